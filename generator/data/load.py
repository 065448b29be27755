"""The only reader of content/ and sop/: files -> checked documents -> model objects.

A file that cannot be parsed or breaks its schema is reported and left out of the model (its path
goes into Repo.broken), so that cross-file rules do not pile consequences on top of the real
problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.data import model as m
from generator.data.errors import Issue, Location, UsageError, galat, peringatan
from generator.data.narasi import images
from generator.data.schema import check
from generator.data.source import FsSource, Source, normalize
from generator.data.yamlpos import Doc, decode, parse_text, split_front_matter
from generator.store import Store, digest, store

CONTENT = "content"
SOP_FILE = "sop/lakip.yaml"
PERSONIL_FILE = "sop/personil.yaml"
_YEAR = re.compile(r"^\d{4}$")
_OTHER_YEAR = re.compile(rf"^{CONTENT}/\d{{4}}/")
_YEAR_FILES = {"perjanjian-kinerja.yaml", "pengiriman.yaml", "reviu-apip.yaml", "lke.yaml"}
_YEAR_DIRS = {"bidang", "narasi", "reviu", "bukti"}


class _Reader:
    def __init__(self, source: Source, cache: Store | None = None):
        self.source = source
        self.cache = cache or Store("dokumen", None)
        self.issues: list[Issue] = []
        self.broken: set[str] = set()

    def _read(self, rel: str) -> bytes | None:
        if self.source.escapes(rel):
            return None  # reported once by _symlinks
        return self.source.read(rel)

    def yaml(self, rel: str, kind: str) -> Doc | None:
        data = self._read(rel)
        if data is None:
            return None
        key = digest(kind, rel, data)
        cached = _from_json(self.cache.get(key))
        doc, issues = cached or self._parse_yaml(rel, data, kind, key)
        self._fail(*issues)
        return doc

    def _parse_yaml(self, rel: str, data: bytes, kind: str, key: str) -> tuple[Doc | None, list[Issue]]:
        text, issues = decode(data, rel)
        doc = None
        if text is not None:
            doc, issues = parse_text(text, rel)
            doc, issues = _schema(doc, issues, kind)
        self.cache.put(key, _to_json((doc, issues)))
        return doc, issues

    def markdown(self, rel: str, kind: str) -> tuple[Doc, str, int] | None:
        data = self._read(rel)
        if data is None:
            return None
        key = digest(kind, rel, data)
        result = _from_json(self.cache.get(key)) or self._parse_markdown(rel, data, kind, key)
        doc, body, body_line, issues = result
        self._fail(*issues)
        return (doc, body, body_line) if doc else None

    def _parse_markdown(self, rel: str, data: bytes, kind: str, key: str) -> tuple:
        text, issues = decode(data, rel)
        result: tuple = (None, "", 1, issues)
        if text is not None:
            front, offset, body, body_line, issues = split_front_matter(text, rel)
            doc = None
            if front is not None:
                doc, issues = parse_text(front, rel, line_offset=offset)
                if doc is None and any(i.kode == "berkas-kosong" for i in issues):
                    issues = [galat(Location(rel, 2, 1), "front-matter-kosong", "front matter kosong",
                                    "isi paling sedikit kunci 'bagian' (narasi) atau 'langkah', "
                                    "'peran', 'keputusan' (reviu)")]
                doc, issues = _schema(doc, issues, kind)
            result = (doc, body, body_line, issues)
        self.cache.put(key, _to_json(result))
        return result

    def _fail(self, *issues: Issue) -> None:
        if not issues:
            return
        self.issues.extend(issues)
        self.broken.update(i.loc.path for i in issues if i.is_error)

    def missing(self, rel: str, what: str, hint: str) -> None:
        self._fail(galat(Location(rel), "berkas-tidak-ada", f"berkas {what} tidak ada", hint))


def load_repo(root: Path, source: Source | None = None) -> tuple[m.Repo, list[Issue]]:
    """Read every data file of the repository at `root` (from `source`, default the working
    tree). Never raises on bad content: problems come back as issues."""
    source = source or FsSource(root)
    cache = store("dokumen")
    reader = _Reader(source, cache)

    instansi = None
    rel = f"{CONTENT}/instansi.yaml"
    if source.is_file(rel):
        doc = reader.yaml(rel, "instansi")
        instansi = _instansi(doc) if doc else None
    else:
        reader.missing(rel, "profil instansi",
                       "buat content/instansi.yaml; contohnya ada di docs/data-reference.md")

    renstra = []
    for name, is_dir in source.entries(f"{CONTENT}/renstra"):
        rel = f"{CONTENT}/renstra/{name}"
        if is_dir or not name.endswith(".yaml"):
            reader.issues.append(_ignored(rel, "content/renstra/<mulai>-<selesai>.yaml"))
            continue
        doc = reader.yaml(rel, "renstra")
        if doc:
            renstra.append(_renstra(doc))

    if instansi:
        reader.issues += _logo(source, instansi)

    years = []
    for name, is_dir in source.entries(CONTENT):
        if name in ("instansi.yaml", "renstra") or (instansi and instansi.logo == f"{CONTENT}/{name}"):
            continue
        if is_dir and _YEAR.match(name):
            years.append(_year(reader, f"{CONTENT}/{name}"))
        else:
            reader.issues.append(_ignored(f"{CONTENT}/{name}", "content/<tahun>/ (empat angka)"))

    sop, personil, issues = load_definitions(source, cache)
    reader.issues += issues
    reader.broken.update(i.loc.path for i in issues if i.is_error)
    reader.issues += _symlinks(source)
    if sop is not None:
        reader.issues += _tte_akar(source, sop)

    repo = m.Repo(root.resolve(), instansi, tuple(renstra), tuple(years), sop, personil,
                  frozenset(reader.broken))
    cache.save()
    return repo, reader.issues


def _symlinks(source: Source) -> list[Issue]:
    """A symlink among the input files is an error (DESIGN §5): lakip reads the repository as
    data and never follows one, so what it points at is not part of the report."""
    return [galat(Location(rel), "symlink", f"'{rel}' adalah symlink; lakip tidak mengikuti symlink "
                  "di repositori", "ganti dengan berkas atau folder biasa: salin isinya ke sini")
            for rel in source.symlinks()] + [
        galat(Location(rel), "nama-bukan-utf8", f"nama berkas '{rel}' bukan teks UTF-8; berkas ini "
              "diabaikan", "ganti nama berkas hanya dengan huruf, angka, '-' dan '_'")
        for rel in source.bad_names()] + [
        galat(Location(rel), "bukan-berkas-biasa", f"'{rel}' bukan berkas biasa (FIFO, soket atau "
              "perangkat); diabaikan", "ganti dengan berkas biasa")
        for rel in source.special_files()]


def newest_year(source: Source) -> int:
    """The newest year folder (`content/<four digits>/`) in `source`: the default `tahun` of
    every command (DESIGN §6). Raises UsageError when there is none."""
    years = [int(name) for name, is_dir in source.entries(CONTENT) if is_dir and _YEAR.match(name)]
    if not years:
        raise UsageError("belum ada folder tahun di content/")
    return max(years)


def for_year(issues: list[Issue] | tuple[Issue, ...], tahun: int) -> list[Issue]:
    """The issues that concern year `tahun`: every issue except those in another year's folder
    (shared files -- instansi, Renstra, sop/ -- concern every year)."""
    own = f"{CONTENT}/{tahun}/"
    return [i for i in issues if not (_OTHER_YEAR.match(i.loc.path) and not i.loc.path.startswith(own))]


def _schema(doc: Doc | None, issues: list[Issue], kind: str) -> tuple[Doc | None, list[Issue]]:
    """A parsed document that breaks its schema is reported and left out of the model."""
    if doc is not None:
        issues = check(doc, kind)
    return (None if issues else doc), issues


def load_definitions(source: Source, cache: Store | None = None
                     ) -> tuple[m.Sop | None, m.Roster | None, list[Issue]]:
    """Only sop/lakip.yaml and sop/personil.yaml: what judging the SOP's history needs."""
    reader = _Reader(source, cache)
    sop = personil = None
    if source.is_file(SOP_FILE):
        doc = reader.yaml(SOP_FILE, "sop")
        sop = _sop(doc) if doc else None
    else:
        reader.missing(SOP_FILE, "SOP", "salin sop/lakip.yaml dari templat lakip")
    if source.is_file(PERSONIL_FILE):
        doc = reader.yaml(PERSONIL_FILE, "personil")
        personil = _personil(doc) if doc else None
    else:
        reader.missing(PERSONIL_FILE, "daftar personil", "buat sop/personil.yaml")
    reader.cache.save()
    return sop, personil, reader.issues


_LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")


def _logo(source: Source, instansi: m.Instansi) -> list[Issue]:
    """The lambang of cover and kop: a missing one is a warning (the documents go out without it);
    a named file that is not there, not inside the repository or not PNG/JPEG/SVG is an error."""
    if not instansi.logo:
        return [peringatan(instansi.loc, "logo-tidak-ada",
                           "'logo' tidak diisi: sampul laporan dan kop surat pengantar tanpa lambang",
                           "simpan lambang daerah (PNG, JPEG atau SVG) di repositori dan tulis "
                           "jalurnya, misalnya logo: content/lambang.png")]
    loc = instansi.logo_loc or instansi.loc
    written = instansi.logo
    norm = normalize(written) if not written.startswith("/") else None
    if norm is None or getattr(source, "escapes", lambda _: False)(norm):
        return [galat(loc, "logo-di-luar-repo", f"logo '{written}' berada di luar repositori",
                      "simpan lambang di dalam repositori dan tulis jalurnya relatif dari akarnya, "
                      "misalnya content/lambang.png")]
    if not written.lower().endswith(_LOGO_TYPES):
        return [galat(loc, "logo-format", f"logo '{written}' bukan berkas PNG, JPEG atau SVG",
                      "simpan lambang sebagai .png, .jpg atau .svg")]
    if not source.is_file(norm):
        return [galat(loc, "logo-tidak-ditemukan", f"berkas logo '{written}' tidak ada",
                      "periksa jalurnya: relatif dari akar repositori, misalnya content/lambang.png")]
    return []


def _tte_akar(source: Source, sop: m.Sop) -> list[Issue]:
    """The TTE trust anchors (`tte.akar`) are files under sop/: the rules' own folder, whose
    changes only a pengelola authorizes (DESIGN §5 "Trust"; docs/tte.md)."""
    found = []
    for written, loc in zip(sop.tte_akar, sop.tte_akar_loc, strict=True):
        norm = normalize(written) if not written.startswith("/") else None
        if norm is None or not norm.startswith("sop/") or getattr(source, "escapes", lambda _: False)(norm):
            found.append(galat(loc, "tte-akar", f"akar TTE '{written}' harus berkas di dalam folder sop/",
                               "simpan sertifikat akar (PEM) di sop/tte/ dan tulis jalurnya, misalnya "
                               "sop/tte/root-ca-indonesia-ds-g1.pem"))
        elif not source.is_file(norm):
            found.append(galat(loc, "tte-akar", f"berkas akar TTE '{written}' tidak ada",
                               "periksa jalurnya: relatif dari akar repositori, misalnya "
                               "sop/tte/bsre-ca-ds-g1.pem"))
    return found


def _ignored(rel: str, expected: str) -> Issue:
    return peringatan(Location(rel), "berkas-diabaikan",
                      f"berkas atau folder tidak dikenal, diabaikan; diharapkan {expected}",
                      "periksa nama dan ekstensinya (.yaml, bukan .yml)")


# ---------------------------------------------------------------- builders (schema already passed)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _instansi(doc: Doc) -> m.Instansi:
    v = doc.value
    skala = tuple(m.Kategori(k["label"], _dec(k.get("di_atas")))
                  for k in v.get("skala_kategori", ())) or m.DEFAULT_SKALA
    return m.Instansi(
        nama=v["nama"], pemerintah=v["pemerintah"], kota=v["kota"],
        kepala=m.Pejabat(**v["kepala"]), visi=v["visi"], misi=tuple(v["misi"]),
        tugas=v["tugas"], fungsi=tuple(v["fungsi"]),
        bidang=tuple(m.Bidang(b["id"], b["nama"], doc.loc(("bidang", i, "id")), b.get("kepala"),
                              b.get("tugas")) for i, b in enumerate(v["bidang"])),
        loc=doc.loc(), contoh=v.get("contoh", False), singkatan=v.get("singkatan"),
        alamat=v.get("alamat"), telepon=v.get("telepon"), email=v.get("email"),
        laman=v.get("laman"), logo=v.get("logo"), dasar_hukum=tuple(v.get("dasar_hukum", ())),
        skala_kategori=skala, pegawai=_pegawai(v.get("pegawai")), dokumen=_tata(v.get("dokumen")),
        logo_loc=doc.loc(("logo",)) if "logo" in v else None,
        repo_url=v.get("repositori", {}).get("url"), edit_uri=v.get("repositori", {}).get("edit_uri"),
    )


def _pegawai(v: dict | None) -> m.Pegawai | None:
    if not v:
        return None
    return m.Pegawai(tuple((str(k), n) for k, n in v.get("golongan", {}).items()),
                     tuple((str(k), n) for k, n in v.get("pendidikan", {}).items()),
                     _date(v.get("per_tanggal")))


def _tata(v: dict | None) -> m.TataDokumen:
    if not v:
        return m.TataDokumen()
    margin = v.get("margin")
    return m.TataDokumen(
        kertas=v.get("kertas", "A4"), huruf=v.get("huruf", "arial"),
        margin=tuple(float(margin[k]) for k in ("atas", "kanan", "bawah", "kiri")) if margin else None)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _renstra(doc: Doc) -> m.Renstra:
    v = doc.value
    tujuan = []
    for ti, t in enumerate(v["tujuan"]):
        sasaran = []
        for si, s in enumerate(t["sasaran"]):
            indikator = []
            for ii, i in enumerate(s["indikator"]):
                at = ("tujuan", ti, "sasaran", si, "indikator", ii)
                awal = i.get("kondisi_awal")
                standar = i.get("standar_nasional")
                indikator.append(m.Indikator(
                    id=i["id"], uraian=i["uraian"], satuan=i["satuan"], polaritas=i["polaritas"],
                    bidang=i["bidang"], target={int(k): Decimal(x) for k, x in i["target"].items()},
                    loc=doc.loc((*at, "id")), bidang_loc=doc.loc((*at, "bidang")), sasaran=s["id"],
                    rumus=i.get("rumus"), rumus_capaian=i.get("rumus_capaian", "R/T"),
                    sumber_data=i.get("sumber_data"),
                    kondisi_awal=(awal["tahun"], Decimal(awal["nilai"])) if awal else None,
                    standar_nasional=(Decimal(standar["nilai"]), standar["sumber"])
                    if standar else None,
                ))
            sasaran.append(m.Sasaran(s["id"], s["uraian"], tuple(indikator),
                                     doc.loc(("tujuan", ti, "sasaran", si, "id")), t["id"]))
        tujuan.append(m.Tujuan(t["id"], t["uraian"], tuple(sasaran), doc.loc(("tujuan", ti, "id"))))
    return m.Renstra(doc.path, v["periode"]["mulai"], v["periode"]["selesai"], tuple(tujuan),
                     doc.loc(), doc.loc(("periode",)), v.get("nomor"), v.get("judul"))


def _year(reader: _Reader, folder: str) -> m.Tahun:
    source = reader.source
    tahun = int(folder.rsplit("/", 1)[-1])
    for name, is_dir in source.entries(folder):
        if name not in _YEAR_FILES and not (is_dir and name in _YEAR_DIRS):
            reader.issues.append(_ignored(f"{folder}/{name}", "perjanjian-kinerja.yaml, "
                                          "pengiriman.yaml, reviu-apip.yaml, lke.yaml, bidang/, "
                                          "narasi/, reviu/ atau bukti/"))

    pk = None
    if source.is_file(f"{folder}/perjanjian-kinerja.yaml"):
        doc = reader.yaml(f"{folder}/perjanjian-kinerja.yaml", "perjanjian-kinerja")
        pk = _pk(doc) if doc else None
    else:
        reader.missing(f"{folder}/perjanjian-kinerja.yaml", f"Perjanjian Kinerja tahun {tahun}",
                       "setiap folder tahun memerlukan perjanjian-kinerja.yaml")

    bidang = []
    for rel in _files(reader, f"{folder}/bidang", ".yaml", f"{folder}/bidang/<bidang-id>.yaml"):
        doc = reader.yaml(rel, "bidang")
        if doc:
            bidang.append(_bidang(reader, doc, folder))
    narasi = []
    for rel in _files(reader, f"{folder}/narasi", ".md", f"{folder}/narasi/*.md"):
        parsed = reader.markdown(rel, "narasi")
        if parsed:
            doc, body, line = parsed
            v = doc.value
            narasi.append(m.Narasi(doc.path, v["bagian"], body, line, doc.loc(("bagian",)),
                                   v.get("judul"), v.get("urutan", 0),
                                   images(source, doc.path, body, line)))
    reviu = []
    for rel in _files(reader, f"{folder}/reviu", ".md", f"{folder}/reviu/*.md"):
        parsed = reader.markdown(rel, "reviu")
        if parsed:
            doc, body, _ = parsed
            v = doc.value
            reviu.append(m.Reviu(doc.path, v["langkah"], v["peran"], v["keputusan"], body,
                                 doc.loc(), doc.loc(("langkah",)), doc.loc(("peran",)),
                                 doc.loc(("keputusan",)), _date(v.get("tanggal")), v.get("oleh"),
                                 v.get("judul")))
    pengiriman = None
    if source.is_file(f"{folder}/pengiriman.yaml"):
        doc = reader.yaml(f"{folder}/pengiriman.yaml", "pengiriman")
        if doc:
            pengiriman = _pengiriman(doc)
    reviu_apip = None
    if source.is_file(f"{folder}/reviu-apip.yaml"):
        doc = reader.yaml(f"{folder}/reviu-apip.yaml", "reviu-apip")
        if doc:
            reviu_apip = _reviu_apip(doc)
    lke: tuple[m.JawabanLke, ...] = ()
    lke_path = None
    if source.is_file(f"{folder}/lke.yaml"):
        doc = reader.yaml(f"{folder}/lke.yaml", "lke")
        if doc:
            lke_path = doc.path
            lke = tuple(m.JawabanLke(k, str(a["jawaban"]), doc.loc(("jawaban", k), key=True),
                                     a.get("bukti"), a.get("catatan"))
                        for k, a in doc.value.get("jawaban", {}).items())
    return m.Tahun(tahun, folder, pk, tuple(bidang), tuple(narasi), tuple(reviu), pengiriman,
                   reviu_apip, lke, lke_path)


def _reviu_apip(doc: Doc) -> m.ReviuApip:
    v = doc.value
    return m.ReviuApip(doc.path, v["nomor"], _date(v["tanggal"]), m.Pejabat(**v["inspektur"]),
                       doc.loc(), tuple(v.get("catatan", ())), v.get("instansi"))


def _files(reader: _Reader, folder: str, suffix: str, expected: str) -> list[str]:
    found = []
    for name, is_dir in reader.source.entries(folder):
        if not is_dir and name.endswith(suffix):
            found.append(f"{folder}/{name}")
        elif name != ".gitkeep":
            reader.issues.append(_ignored(f"{folder}/{name}", expected))
    return found


def _pk(doc: Doc) -> m.PerjanjianKinerja:
    v = doc.value
    kedua = v.get("pihak_kedua")
    return m.PerjanjianKinerja(
        path=doc.path, tahun=v["tahun"], tanggal=_date(v["tanggal"]),
        target=tuple(m.Nilai(k, x, doc.loc(("target", k), key=True))
                     for k, x in v["target"].items()),
        program=tuple(
            m.Kode(p["kode"], p["nama"], doc.loc(("program", i, "kode")), p["pagu"],
                   tuple(p.get("sasaran", ())),
                   tuple(doc.loc(("program", i, "sasaran", j)) for j in
                         range(len(p.get("sasaran", ())))))
            for i, p in enumerate(v["program"])),
        loc=doc.loc(), tahun_loc=doc.loc(("tahun",)), target_loc=doc.loc(("target",), key=True),
        nomor=v.get("nomor"),
        renstra=v.get("renstra"), renstra_loc=doc.loc(("renstra",)) if "renstra" in v else None,
        pihak_kedua=(kedua["nama"], kedua["jabatan"]) if kedua else None,
        rencana_aksi=tuple((m.Nilai(k, 0, doc.loc(("rencana_aksi", k), key=True)),
                            {tw: Decimal(x) for tw, x in row.items()})
                           for k, row in v.get("rencana_aksi", {}).items()),
        kegiatan=tuple(m.Kode(k["kode"], k["nama"], doc.loc(("kegiatan", i, "kode")))
                       for i, k in enumerate(v.get("kegiatan", ()))),
    )


def _bidang(reader: _Reader, doc: Doc, folder: str) -> m.DataBidang:
    v = doc.value
    realisasi = []
    for ind, r in v.get("realisasi", {}).items():
        at = ("realisasi", ind)
        bukti = tuple(_bukti(reader, folder, p, doc.loc((*at, "bukti", i)))
                      for i, p in enumerate(r.get("bukti", ())))
        triwulan = r.get("realisasi_triwulan", {})
        realisasi.append(m.Realisasi(
            ind, r["nilai"], doc.loc(at, key=True), doc.loc((*at, "nilai")),
            _dec(r.get("capaian")), r.get("catatan"), r.get("analisis"), r.get("solusi"), bukti,
            tuple((tw, _dec(triwulan[tw])) for tw in ("tw1", "tw2", "tw3", "tw4") if tw in triwulan),
            doc.loc((*at, "realisasi_triwulan"), key=True) if triwulan else None))
    subs = []
    for i, s in enumerate(v.get("sub_kegiatan", ())):
        k = s.get("keluaran")
        subs.append(m.SubKegiatan(
            s["kode"], s["nama"], s["pagu"], s["realisasi"], doc.loc(("sub_kegiatan", i, "kode")),
            doc.loc(("sub_kegiatan", i, "realisasi")),
            m.Keluaran(k["uraian"], k["satuan"], k["target"], k.get("realisasi")) if k else None))
    return m.DataBidang(doc.path, v["bidang"], doc.loc(("bidang",)), tuple(realisasi), tuple(subs))


def _bukti(reader: _Reader, folder: str, written: str, loc: Location) -> m.Bukti:
    norm = normalize(f"{folder}/{written}") if not written.startswith("/") else None
    if norm is None or reader.source.escapes(norm):
        return m.Bukti(written, loc, exists=False, inside_repo=False)
    if reader.source.is_file(norm):
        return m.Bukti(written, loc, exists=True, inside_repo=True)
    parent, _, name = norm.rpartition("/")
    siblings = [n for n, is_dir in reader.source.entries(parent) if not is_dir]
    close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.5)
    saran = written.rpartition("/")[0] + "/" + close[0] if close and "/" in written else (
        close[0] if close else None)
    return m.Bukti(written, loc, exists=False, inside_repo=True, saran=saran)


def _pengiriman(doc: Doc) -> m.Pengiriman:
    v = doc.value
    surat = v.get("surat_pengantar")
    terima = v.get("tanda_terima")
    return m.Pengiriman(
        doc.path,
        m.SuratPengantar(surat["nomor"], _date(surat["tanggal"]), surat["perihal"],
                         surat["kepada"], surat.get("sifat"), surat.get("lampiran"),
                         surat.get("di"), tuple(surat.get("tembusan", ())),
                         m.Penandatangan(**surat["penandatangan"]) if surat.get("penandatangan")
                         else None) if surat else None,
        m.TandaTerima(_date(terima["tanggal"]), terima["penerima"], terima.get("nomor"),
                      terima.get("jabatan"), terima.get("bukti")) if terima else None,
    )


def _sop(doc: Doc) -> m.Sop:
    v = doc.value
    default_ttd = v.get("tanda_tangan", True)
    langkah = []
    for i, s in enumerate(v["langkah"]):
        at = ("langkah", i)
        keputusan = s.get("keputusan", {})
        langkah.append(m.Langkah(
            no=s["no"], kegiatan=s["kegiatan"], pelaksana=s["pelaksana"],
            kelengkapan=s["kelengkapan"], waktu=s["waktu"], output=s["output"],
            tanda_tangan=s.get("tanda_tangan", default_ttd), loc=doc.loc((*at, "no")),
            pelaksana_loc=doc.loc((*at, "pelaksana")), judul=s.get("judul"),
            keterangan=s.get("keterangan"), keputusan=dict(keputusan),
            keputusan_loc={k: doc.loc((*at, "keputusan", k)) for k in keputusan},
            pengesahan=s.get("pengesahan"), syarat=tuple(s.get("syarat", ())),
        ))
    jam = v["jam_kerja"]
    libur = v.get("hari_libur", {})
    return m.Sop(
        path=doc.path, id=v["id"], judul=v["judul"], nomor=v["nomor"],
        tanggal_pembuatan=_date(v["tanggal_pembuatan"]),
        tanggal_efektif=_date(v["tanggal_efektif"]), disahkan_oleh=dict(v["disahkan_oleh"]),
        jam_kerja=(dt.time.fromisoformat(jam["mulai"]), dt.time.fromisoformat(jam["selesai"])),
        zona_waktu=v["zona_waktu"],
        peran=tuple(m.Peran(r["id"], r["nama"], doc.loc(("peran", i, "id")), r.get("singkatan"))
                    for i, r in enumerate(v["peran"])),
        langkah=tuple(langkah), loc=doc.loc(), zona_waktu_loc=doc.loc(("zona_waktu",)),
        jam_kerja_loc=doc.loc(("jam_kerja",)), tanggal_revisi=_date(v.get("tanggal_revisi")),
        pemerintah=v.get("pemerintah"), instansi=v.get("instansi"), unit=v.get("unit"),
        dasar_hukum=tuple(v.get("dasar_hukum", ())),
        kualifikasi_pelaksana=tuple(v.get("kualifikasi_pelaksana", ())),
        keterkaitan=tuple(v.get("keterkaitan", ())), peralatan=tuple(v.get("peralatan", ())),
        peringatan=tuple(v.get("peringatan", ())), pencatatan=tuple(v.get("pencatatan", ())),
        hari_libur_negara=libur.get("negara", "ID"),
        hari_libur_kategori=tuple(libur.get("kategori", ("public", "government"))),
        hari_libur_tambah=tuple(_libur_tambahan(libur.get("tambah", ()))),
        hari_libur_hapus=tuple(_date(d) for d in libur.get("hapus", ())),
        pengelola=tuple(v.get("pengelola", ("kepala-dinas", "sekretaris"))),
        pengelola_loc=doc.loc(("pengelola",)) if "pengelola" in v else None,
        tte_akar=tuple(v.get("tte", {}).get("akar", ())),
        tte_akar_loc=tuple(doc.loc(("tte", "akar", i)) for i in range(len(v.get("tte", {}).get("akar", ())))),
    )


def _libur_tambahan(items) -> list[tuple[dt.date, str]]:
    # `tambah: [2026-03-20, {tanggal: 2026-12-24, nama: Cuti Bersama Natal}]`
    return [(_date(i), "Hari libur (SOP)") if isinstance(i, str) else
            (_date(i["tanggal"]), i.get("nama", "Hari libur (SOP)")) for i in items]


def _personil(doc: Doc) -> m.Roster:
    people = []
    for i, p in enumerate(doc.value["personil"]):
        at = ("personil", i)
        berlaku = p["berlaku"]
        roles = [r if isinstance(r, dict) else {"id": r} for r in p["peran"]]
        rinci = tuple(m.PeranPersonil(r["id"], doc.loc((*at, "peran", j)), _date(r.get("mulai")),
                                      _date(r.get("sampai")), r.get("sebagai"))
                      for j, r in enumerate(roles))
        keys = p.get("kunci_ssh")
        if isinstance(keys, str):
            keys = [{"kunci": keys}]
        kunci = tuple(m.KunciSsh(k["kunci"] if isinstance(k, dict) else k,
                                 doc.loc((*at, "kunci_ssh", j)) if isinstance(p["kunci_ssh"], list)
                                 else doc.loc((*at, "kunci_ssh")),
                                 *((_date(k.get("mulai")), _date(k.get("sampai")), _date(k.get("dicabut")))
                                   if isinstance(k, dict) else ()))
                      for j, k in enumerate(keys or ()))
        people.append(m.Personil(
            nama=p["nama"], nip=p["nip"], email=p["email"], peran=tuple(dict.fromkeys(r.id for r in rinci)),
            berlaku_mulai=_date(berlaku["mulai"]), loc=doc.loc((*at, "email")),
            peran_loc=tuple(r.loc for r in rinci),
            bidang=tuple(p.get("bidang", ())),
            bidang_loc=tuple(doc.loc((*at, "bidang", j)) for j in range(len(p.get("bidang", ())))),
            berlaku_sampai=_date(berlaku.get("sampai")), berlaku_loc=doc.loc((*at, "berlaku")),
            jabatan=p.get("jabatan"), pangkat=p.get("pangkat"), golongan=p.get("golongan"),
            nik=p.get("nik"),
            peran_rinci=rinci, kunci=kunci,
        ))
    return m.Roster(tuple(people))


# ---------------------------------------------------------------- cache form (JSON, no pickle)


def _enc(value: Any) -> Any:
    """A parsed YAML value as JSON: Decimal, list and mapping are tagged so that they come back
    as exactly what the parser made (a mapping's keys are text)."""
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, list):
        return ["l", [_enc(v) for v in value]]
    if isinstance(value, dict):
        return ["m", [[k, _enc(v)] for k, v in value.items()]]
    return value


def _dec_value(value: Any) -> Any:
    if isinstance(value, list):
        tag, body = value
        if tag == "d":
            return Decimal(body)
        if tag == "l":
            return [_dec_value(v) for v in body]
        if tag == "m":
            return {k: _dec_value(v) for k, v in body}
        raise ValueError(tag)
    return value


def _to_json(result: tuple) -> list:
    """(doc, issues) or (doc, body, body_line, issues) as a JSON value for the cache."""
    doc, issues = result[0], result[-1]
    return [
        None if doc is None else [doc.path, _enc(doc.value),
                                  [[list(k), *v] for k, v in doc.spans.items()],
                                  [[list(k), *v] for k, v in doc.key_spans.items()]],
        list(result[1:-1]),
        [[i.loc.path, i.loc.line, i.loc.col, i.tingkat, i.kode, i.pesan, i.petunjuk] for i in issues],
    ]


def _from_json(cached: Any) -> tuple | None:
    """The inverse of _to_json; None for anything else (the caller parses the file again)."""
    if cached is None:
        return None
    try:
        raw_doc, middle, raw_issues = cached
        doc = None
        if raw_doc is not None:
            path, value, spans, key_spans = raw_doc
            doc = Doc(path, _dec_value(value), {tuple(k): (line, col) for k, line, col in spans},
                      {tuple(k): (line, col) for k, line, col in key_spans})
        issues = [Issue(Location(p, line, col), tingkat, kode, pesan, petunjuk)
                  for p, line, col, tingkat, kode, pesan, petunjuk in raw_issues]
        return (doc, *middle, issues)
    except (TypeError, ValueError, ArithmeticError):
        return None
