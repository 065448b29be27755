"""Cross-file rules of DESIGN §3 and the SOP/roster rules: a loaded Repo -> issues. Pure."""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from generator.data import model as m
from generator.data.errors import Issue, Location, galat, peringatan
from generator.data.load import CONTENT
from generator.data.narasi import unsupported
from generator.data.schema import looks_numeric


def validate(repo: m.Repo) -> list[Issue]:
    """The cross-file rules (DESIGN §3) and the SOP/roster rules over a loaded repository: issues, errors
    and warnings, in no particular order (callers sort)."""
    issues: list[Issue] = []
    if repo.instansi:
        issues += _instansi(repo.instansi)
    bidang_ids = repo.instansi.bidang_ids() if repo.instansi else None
    for renstra in repo.renstra:
        issues += _renstra(renstra, bidang_ids)
    for year in repo.tahun:
        issues += _year(repo, year, bidang_ids)
    if repo.sop:
        issues += _sop(repo.sop)
    if repo.personil is not None:
        issues += _personil(repo.personil, repo.sop, bidang_ids)
    return issues


def _did_you_mean(word: str, options: Iterable[str]) -> str | None:
    options = sorted(set(options))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"maksudnya '{close[0]}'?"
    if options and len(options) <= 12:
        return f"yang dikenal: {', '.join(options)}"
    return None


def _duplicates(items: Iterable[tuple[str, Location]], what: str, kode: str) -> list[Issue]:
    seen: dict[str, Location] = {}
    issues = []
    for key, loc in items:
        if key in seen:
            first = seen[key]
            where = f"baris {first.line}" if first.path == loc.path else str(first)
            issues.append(galat(loc, kode, f"{what} '{key}' ganda: sudah dipakai di {where}"))
        else:
            seen[key] = loc
    return issues


# ---------------------------------------------------------------- instansi, renstra


def _instansi(instansi: m.Instansi) -> list[Issue]:
    issues = _duplicates(((b.id, b.loc) for b in instansi.bidang), "id bidang", "id-ganda")
    bands = instansi.skala_kategori
    bounds = [b.di_atas for b in bands]
    if bounds[-1] is not None or None in bounds[:-1] or bounds[:-1] != sorted(bounds[:-1],
                                                                              reverse=True):
        issues.append(galat(
            instansi.loc, "skala-kategori-salah",
            "'skala_kategori' harus urut dari batas tertinggi ke terendah, dan hanya kategori "
            "terakhir yang tanpa 'di_atas'",
            "contoh: [{label: Sangat Tinggi, di_atas: 90}, ..., {label: Sangat Rendah}]"))
    return issues


def _renstra(renstra: m.Renstra, bidang_ids: set[str] | None) -> list[Issue]:
    issues = []
    stem = renstra.path.rsplit("/", 1)[-1].removesuffix(".yaml")
    if renstra.mulai > renstra.selesai:
        issues.append(galat(renstra.periode_loc, "periode-salah",
                            f"periode Renstra terbalik: mulai {renstra.mulai} setelah selesai "
                            f"{renstra.selesai}"))
    elif stem != renstra.nama:
        issues.append(galat(renstra.periode_loc, "nama-berkas-salah",
                            f"nama berkas '{stem}.yaml' tidak sesuai periode {renstra.nama}",
                            f"ganti nama berkas menjadi content/renstra/{renstra.nama}.yaml"))
    ids = [(t.id, t.loc) for t in renstra.tujuan]
    ids += [(s.id, s.loc) for s in renstra.sasaran()]
    ids += [(i.id, i.loc) for i in renstra.indikator()]
    issues += _duplicates(ids, "id", "id-ganda")
    for ind in renstra.indikator():
        if bidang_ids is not None and ind.bidang not in bidang_ids:
            issues.append(galat(ind.bidang_loc, "bidang-tidak-dikenal",
                                f"bidang '{ind.bidang}' dari indikator {ind.id} tidak ada di "
                                "content/instansi.yaml", _did_you_mean(ind.bidang, bidang_ids)))
        outside = sorted(y for y in ind.target if not renstra.covers(y))
        if outside:
            issues.append(galat(ind.loc, "target-di-luar-periode",
                                f"indikator {ind.id} punya target tahun {', '.join(map(str, outside))}"
                                f" di luar periode Renstra {renstra.nama}"))
    return issues


# ---------------------------------------------------------------- one performance year


def _year(repo: m.Repo, year: m.Tahun, bidang_ids: set[str] | None) -> list[Issue]:
    issues: list[Issue] = []
    pk = year.pk
    renstra = None
    if pk:
        if pk.tahun != year.tahun:
            issues.append(galat(pk.tahun_loc, "tahun-salah",
                                f"'tahun' {pk.tahun} tidak sama dengan folder {year.path}/",
                                f"tulis tahun: {year.tahun}"))
        renstra, problem = _renstra_of(repo, year, pk)
        if problem:
            issues.append(problem)
    indikator = {i.id: i for i in renstra.indikator()} if renstra else None
    sasaran_ids = {s.id for s in renstra.sasaran()} if renstra else None

    if pk and indikator is not None:
        issues += _pk(pk, indikator, sasaran_ids, renstra)
    issues += _bidang_files(repo, year, indikator, bidang_ids)
    issues += _laporan(year, indikator)
    issues += _narasi_markdown(year)
    issues += _sub_kegiatan(year)
    issues += _duplicates(((n.bagian, n.loc) for n in year.narasi), "bagian narasi", "bagian-ganda")
    for bagian in year.narasi_kurang:
        if not any(p.startswith(f"{year.path}/narasi/") for p in repo.broken):
            issues.append(peringatan(Location(f"{year.path}/narasi/{bagian}.md"), "narasi-tidak-ada",
                                     f"narasi '{bagian}' tahun {year.tahun} belum ditulis",
                                     f"buat berkas ini dengan front matter 'bagian: {bagian}'; "
                                     "langkah 5 memerlukannya"))
    if repo.sop:
        issues += _reviu(year, repo.sop, repo.personil)
    return issues


def _renstra_of(repo: m.Repo, year: m.Tahun, pk: m.PerjanjianKinerja):
    if pk.renstra:
        renstra = repo.renstra_for(year.tahun, pk.renstra)
        if renstra is None and f"{CONTENT}/renstra/{pk.renstra}.yaml" in repo.broken:
            return None, None  # that file's own errors are reported
        if renstra is None:
            return None, galat(pk.renstra_loc, "renstra-tidak-ada",
                               f"Renstra '{pk.renstra}' tidak ada di content/renstra/",
                               _did_you_mean(pk.renstra, [r.nama for r in repo.renstra]))
        if not renstra.covers(year.tahun):
            return None, galat(pk.renstra_loc, "renstra-tidak-mencakup",
                               f"Renstra {renstra.nama} tidak mencakup tahun {year.tahun}")
        return renstra, None
    covering = [r for r in repo.renstra if r.covers(year.tahun)]
    if len(covering) == 1:
        return covering[0], None
    if any(r.path in repo.broken for r in repo.renstra) or any(
            p.startswith("content/renstra/") for p in repo.broken):
        return None, None  # the broken Renstra is already reported
    if not covering:
        return None, galat(pk.tahun_loc, "renstra-tidak-ada",
                           f"tidak ada Renstra yang mencakup tahun {year.tahun}",
                           "tambahkan content/renstra/<mulai>-<selesai>.yaml yang periodenya "
                           "mencakup tahun ini")
    names = ", ".join(r.nama for r in covering)
    return None, galat(pk.tahun_loc, "renstra-ganda",
                       f"tahun {year.tahun} tercakup oleh beberapa Renstra: {names}",
                       f"tulis kunci renstra: {covering[-1].nama} di perjanjian-kinerja.yaml")


def _pk(pk: m.PerjanjianKinerja, indikator: dict[str, m.Indikator], sasaran_ids: set[str],
        renstra: m.Renstra) -> list[Issue]:
    issues = []
    named = {t.id for t in pk.target}
    for t in pk.target:
        if t.id not in indikator:
            issues.append(galat(t.loc, "indikator-tidak-dikenal",
                                f"target untuk indikator '{t.id}' yang tidak ada di Renstra "
                                f"{renstra.nama}", _did_you_mean(t.id, indikator)))
    for ind in indikator.values():
        if ind.id not in named:
            issues.append(galat(pk.target_loc, "target-tidak-ada",
                                f"target tahun {pk.tahun} untuk indikator {ind.id} tidak ada di "
                                "'target'", f"tambahkan {ind.id}: <angka> di bawah 'target'"))
    for row, _ in pk.rencana_aksi:
        if row.id not in indikator:
            issues.append(galat(row.loc, "indikator-tidak-dikenal",
                                f"rencana aksi untuk indikator '{row.id}' yang tidak ada di "
                                f"Renstra {renstra.nama}", _did_you_mean(row.id, indikator)))
    issues += _duplicates(((p.kode, p.loc) for p in pk.program), "kode program", "kode-ganda")
    issues += _duplicates(((k.kode, k.loc) for k in pk.kegiatan), "kode kegiatan", "kode-ganda")
    for program in pk.program:
        for sid, loc in zip(program.sasaran, program.sasaran_loc, strict=True):
            if sid not in sasaran_ids:
                issues.append(galat(loc, "sasaran-tidak-dikenal",
                                    f"sasaran '{sid}' dari program {program.kode} tidak ada di "
                                    f"Renstra {renstra.nama}", _did_you_mean(sid, sasaran_ids)))
    programs = {p.kode for p in pk.program}
    for kegiatan in pk.kegiatan:
        prefix = ".".join(kegiatan.kode.split(".")[:3])
        if prefix not in programs:
            issues.append(galat(kegiatan.loc, "program-tidak-ada",
                                f"program {prefix} dari kegiatan {kegiatan.kode} tidak ada di "
                                "'program'", _did_you_mean(prefix, programs)))
    return issues


def _bidang_files(repo: m.Repo, year: m.Tahun, indikator: dict[str, m.Indikator] | None,
                  bidang_ids: set[str] | None) -> list[Issue]:
    issues: list[Issue] = []
    reported: dict[str, m.Realisasi] = {}
    for data in year.bidang:
        stem = data.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if data.bidang != stem:
            issues.append(galat(data.loc, "bidang-tidak-cocok",
                                f"'bidang' bernilai '{data.bidang}' tetapi nama berkasnya "
                                f"'{stem}.yaml'", f"tulis bidang: {stem}, atau ganti nama berkas"))
        if bidang_ids is not None and data.bidang not in bidang_ids:
            issues.append(galat(data.loc, "bidang-tidak-dikenal",
                                f"bidang '{data.bidang}' tidak ada di content/instansi.yaml",
                                _did_you_mean(data.bidang, bidang_ids)))
        for r in data.realisasi:
            issues += _realisasi(r, data, indikator)
            reported.setdefault(r.indikator, r)
    if indikator is None:
        return issues
    files = {d.bidang: d for d in year.bidang}
    for ind in indikator.values():
        if ind.id in reported:
            continue
        path = f"{year.path}/bidang/{ind.bidang}.yaml"
        if path in repo.broken:
            continue  # that file's own errors come first
        if ind.bidang in files:
            issues.append(galat(files[ind.bidang].loc, "realisasi-tidak-ada",
                                f"realisasi indikator {ind.id} ({ind.uraian}) tidak ada",
                                f"tambahkan di bawah 'realisasi': {ind.id}: {{nilai: ...}}"))
        else:
            issues.append(galat(Location(path), "realisasi-tidak-ada",
                                f"realisasi indikator {ind.id} tidak ada: berkas bidang "
                                f"'{ind.bidang}' untuk tahun {year.tahun} belum dibuat",
                                f"buat {path} dengan realisasi {ind.id}"))
    return issues


def _realisasi(r: m.Realisasi, data: m.DataBidang,
               indikator: dict[str, m.Indikator] | None) -> list[Issue]:
    issues = []
    if indikator is not None:
        ind = indikator.get(r.indikator)
        if ind is None:
            issues.append(galat(r.loc, "indikator-tidak-dikenal",
                                f"indikator '{r.indikator}' tidak ada di Renstra tahun ini",
                                _did_you_mean(r.indikator, indikator)))
        elif ind.bidang != data.bidang:
            issues.append(galat(r.loc, "indikator-bidang-lain",
                                f"indikator {r.indikator} dilaporkan oleh bidang '{ind.bidang}' "
                                f"menurut Renstra, bukan '{data.bidang}'",
                                f"pindahkan realisasinya ke bidang/{ind.bidang}.yaml"))
    if r.nilai is None:
        issues.append(peringatan(r.nilai_loc, "realisasi-belum-tersedia",
                                 f"realisasi {r.indikator} belum tersedia (nilai: null)",
                                 "langkah 4 memerlukan semua nilai realisasi"))
    elif isinstance(r.nilai, str) and not looks_numeric(r.nilai) and r.capaian is None:
        # (text that looks like a number is refused by schema.py, with the file's schema errors)
        issues.append(galat(r.nilai_loc, "capaian-tidak-ada",
                            f"nilai {r.indikator} berupa teks \"{r.nilai}\" sehingga capaian "
                            "tidak dapat dihitung dengan rumus",
                            "nyatakan 'capaian' (angka persen) dan 'catatan' cara menghitungnya"))
    if r.capaian is not None and not r.catatan:
        issues.append(peringatan(r.loc, "catatan-tidak-ada",
                                 f"capaian {r.indikator} dinyatakan langsung tanpa 'catatan'",
                                 "jelaskan cara menghitung capaian di 'catatan'"))
    for bukti in r.bukti:
        if not bukti.inside_repo:
            issues.append(galat(bukti.loc, "bukti-di-luar-repo",
                                f"berkas bukti '{bukti.path}' berada di luar repositori",
                                "simpan bukti di folder bukti/ tahun ini dan tulis jalurnya relatif, "
                                "misalnya bukti/koperasi/rekap.csv"))
        elif not bukti.exists:
            hint = (f"maksudnya '{bukti.saran}'?" if bukti.saran else
                    "jalur ditulis relatif terhadap folder tahun; periksa ejaannya atau tambahkan berkasnya")
            issues.append(galat(bukti.loc, "bukti-tidak-ada", f"berkas bukti '{bukti.path}' tidak ada", hint))
    return issues


def _sub_kegiatan(year: m.Tahun) -> list[Issue]:
    issues: list[Issue] = []
    subs = [s for data in year.bidang for s in data.sub_kegiatan]
    issues += _duplicates(((s.kode, s.loc) for s in subs), "kode sub kegiatan", "kode-ganda")
    pk = year.pk
    programs = {p.kode: p for p in pk.program} if pk else {}
    kegiatan = {k.kode for k in pk.kegiatan} if pk else set()
    spent: dict[str, int] = defaultdict(int)
    for s in subs:
        if pk and s.program not in programs:
            issues.append(galat(s.loc, "program-tidak-ada",
                                f"program {s.program} dari sub kegiatan {s.kode} tidak ada di "
                                f"{pk.path}", _did_you_mean(s.program, programs)))
        elif pk and kegiatan and s.kegiatan not in kegiatan:
            issues.append(galat(s.loc, "kegiatan-tidak-ada",
                                f"kegiatan {s.kegiatan} dari sub kegiatan {s.kode} tidak ada di "
                                f"'kegiatan' {pk.path}", _did_you_mean(s.kegiatan, kegiatan)))
        spent[s.program] += s.pagu
        if s.realisasi is None:
            issues.append(peringatan(s.realisasi_loc, "realisasi-belum-tersedia",
                                     f"realisasi anggaran sub kegiatan {s.kode} belum tersedia",
                                     "langkah 4 memerlukan semua realisasi anggaran"))
        elif s.realisasi > s.pagu:
            issues.append(peringatan(s.realisasi_loc, "realisasi-melebihi-pagu",
                                     f"realisasi anggaran {s.kode} (Rp{s.realisasi:,}) melebihi pagu "
                                     f"(Rp{s.pagu:,})".replace(",", "."),
                                     "periksa angka realisasi atau pagu setelah perubahan APBD"))
    for kode, total in spent.items():
        program = programs.get(kode)
        if program and program.pagu is not None and total > program.pagu:
            issues.append(peringatan(program.loc, "pagu-program-terlampaui",
                                     f"jumlah pagu sub kegiatan program {kode} (Rp{total:,}) melebihi "
                                     f"pagu program (Rp{program.pagu:,})".replace(",", ".")))
    return issues


def _reviu(year: m.Tahun, sop: m.Sop, personil: m.Roster | None) -> list[Issue]:
    issues = []
    deciding = {s.no: s for s in sop.langkah if s.keputusan}
    roles = {r.id for r in sop.peran}
    emails = {p.email for p in personil or ()}
    for note in year.reviu:
        step = deciding.get(note.langkah)
        if step is None:
            issues.append(galat(note.langkah_loc, "langkah-tidak-dikenal",
                                f"catatan reviu untuk langkah {note.langkah}, padahal langkah "
                                "yang memeriksa adalah "
                                f"{', '.join(map(str, deciding)) or '(tidak ada)'}"))
        elif note.keputusan not in step.keputusan:
            issues.append(galat(note.keputusan_loc, "keputusan-tidak-dikenal",
                                f"keputusan '{note.keputusan}' tidak dikenal di langkah {step.no}; "
                                f"diharapkan {' atau '.join(step.keputusan)}",
                                _did_you_mean(note.keputusan, step.keputusan)))
        if note.peran not in roles:
            issues.append(galat(note.peran_loc, "peran-tidak-dikenal",
                                f"peran '{note.peran}' tidak ada di {sop.path}",
                                _did_you_mean(note.peran, roles)))
        elif step and note.peran != step.pelaksana:
            issues.append(galat(note.peran_loc, "peran-salah",
                                f"langkah {step.no} dilaksanakan oleh peran '{step.pelaksana}', "
                                f"bukan '{note.peran}'"))
        if note.oleh and personil is not None and note.oleh not in emails:
            issues.append(peringatan(note.loc, "personil-tidak-dikenal",
                                     f"'oleh' {note.oleh} tidak ada di sop/personil.yaml"))
    return issues


# ---------------------------------------------------------------- SOP and roster


def _sop(sop: m.Sop) -> list[Issue]:
    issues = _duplicates(((r.id, r.loc) for r in sop.peran), "id peran", "id-ganda")
    roles = {r.id for r in sop.peran}
    numbers = [s.no for s in sop.langkah]
    for index, step in enumerate(sop.langkah, start=1):
        if step.no != index:
            issues.append(galat(step.loc, "nomor-langkah-salah",
                                f"langkah ke-{index} bernomor {step.no}; langkah harus bernomor "
                                "urut mulai 1"))
        if step.pelaksana not in roles:
            issues.append(galat(step.pelaksana_loc, "peran-tidak-dikenal",
                                f"pelaksana '{step.pelaksana}' langkah {step.no} tidak ada di "
                                "'peran'", _did_you_mean(step.pelaksana, roles)))
        for decision, target in step.keputusan.items():
            if target not in numbers:
                issues.append(galat(step.keputusan_loc[decision], "langkah-tidak-dikenal",
                                    f"keputusan '{decision}' langkah {step.no} menuju langkah "
                                    f"{target} yang tidak ada"))
    for role in sop.pengelola:
        if role not in roles:
            issues.append(galat(sop.pengelola_loc or sop.loc, "peran-tidak-dikenal",
                                f"pengelola '{role}' tidak ada di 'peran'",
                                _did_you_mean(role, roles)))
    try:
        zoneinfo.ZoneInfo(sop.zona_waktu)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        issues.append(galat(sop.zona_waktu_loc, "zona-waktu-salah",
                            f"zona waktu '{sop.zona_waktu}' tidak dikenal",
                            "WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura"))
    if sop.jam_kerja[0] >= sop.jam_kerja[1]:
        issues.append(galat(sop.jam_kerja_loc, "jam-kerja-salah",
                            "jam kerja 'mulai' harus sebelum 'selesai'"))
    return issues


def _dated_entries(p: m.Personil) -> list[Issue]:
    """Contradictory or overlapping dates of a person's roles and keys (DESIGN §3)."""
    issues = []
    for r in p.peran_rinci:
        if r.mulai and r.sampai and r.sampai < r.mulai:
            issues.append(galat(r.loc, "masa-berlaku-salah",
                                f"peran '{r.id}' {p.nama} berakhir ({r.sampai}) sebelum dimulai "
                                f"({r.mulai})"))
        elif (r.sampai and r.sampai < p.berlaku_mulai) or (
                r.mulai and p.berlaku_sampai and r.mulai > p.berlaku_sampai):
            issues.append(galat(r.loc, "masa-berlaku-salah",
                                f"peran '{r.id}' {p.nama} ({r.mulai or '-'} s.d. {r.sampai or '-'}) "
                                f"di luar masa berlaku orangnya ({p.berlaku_mulai} s.d. "
                                f"{p.berlaku_sampai or '-'})"))
    for i, r in enumerate(p.peran_rinci):
        for other in p.peran_rinci[:i]:
            if other.id == r.id and _overlap(other.mulai, other.sampai, r.mulai, r.sampai):
                issues.append(galat(r.loc, "masa-berlaku-tumpang-tindih",
                                    f"peran '{r.id}' {p.nama} ditulis dua kali untuk masa yang "
                                    f"tumpang tindih (baris {other.loc.line} dan {r.loc.line})",
                                    "gabungkan atau batasi dengan mulai/sampai"))
    for k in p.kunci:
        if k.mulai and k.sampai and k.sampai < k.mulai:
            issues.append(galat(k.loc, "masa-berlaku-salah",
                                f"kunci SSH {p.nama} berakhir ({k.sampai}) sebelum dimulai ({k.mulai})"))
        if k.dicabut and (k.mulai or k.sampai):
            issues.append(peringatan(k.loc, "kunci-dicabut",
                                     f"kunci SSH {p.nama} dicabut {k.dicabut}: semua tanda tangan "
                                     "dengan kunci ini tidak sah, apa pun tanggalnya; mulai/sampai "
                                     "tidak berpengaruh"))
    current = [k for k in p.kunci if k.dicabut is None]
    for i, k in enumerate(current):
        for other in current[:i]:
            if _overlap(other.mulai, other.sampai, k.mulai, k.sampai):
                issues.append(peringatan(k.loc, "masa-berlaku-tumpang-tindih",
                                         f"dua kunci SSH {p.nama} berlaku bersamaan (baris "
                                         f"{other.loc.line} dan {k.loc.line})",
                                         "saat mengganti kunci, isi 'sampai' kunci lama sehari "
                                         "sebelum 'mulai' kunci baru"))
    return issues


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    low, high = dt.date.min, dt.date.max
    return (a_start or low) <= (b_end or high) and (b_start or low) <= (a_end or high)


def _personil(people: m.Roster, sop: m.Sop | None,
              bidang_ids: set[str] | None) -> list[Issue]:
    issues = _duplicates(((p.email, p.loc) for p in people), "email", "personil-ganda")
    issues += _duplicates(((p.nip, p.loc) for p in people), "NIP", "personil-ganda")
    issues += _duplicates(((k.kunci.split()[1], k.loc) for p in people for k in p.kunci),
                          "kunci SSH", "kunci-ganda")
    roles = {r.id for r in sop.peran} if sop else None
    for p in people:
        if roles is not None:
            for role, loc in ((r.id, r.loc) for r in p.peran_rinci):
                if role not in roles:
                    issues.append(galat(loc, "peran-tidak-dikenal",
                                        f"peran '{role}' milik {p.nama} tidak ada di {sop.path}",
                                        _did_you_mean(role, roles)))
        if bidang_ids is not None:
            for bid, loc in zip(p.bidang, p.bidang_loc, strict=True):
                if bid not in bidang_ids:
                    issues.append(galat(loc, "bidang-tidak-dikenal",
                                        f"bidang '{bid}' milik {p.nama} tidak ada di "
                                        "content/instansi.yaml", _did_you_mean(bid, bidang_ids)))
        if p.berlaku_sampai and p.berlaku_sampai < p.berlaku_mulai:
            issues.append(galat(p.berlaku_loc, "masa-berlaku-salah",
                                f"masa berlaku {p.nama} berakhir ({p.berlaku_sampai}) sebelum "
                                f"dimulai ({p.berlaku_mulai})"))
        issues += _dated_entries(p)
    if sop:
        for role in sop.peran:
            if not any(any(r.id == role.id and r.sampai is None for r in p.peran_rinci)
                       and p.berlaku_sampai is None for p in people):
                issues.append(peringatan(role.loc, "peran-kosong",
                                         f"tidak ada personil aktif dengan peran '{role.id}' "
                                         f"({role.nama})",
                                         "tambahkan orangnya di sop/personil.yaml"))
    return issues


# ---------------------------------------------------------------- report content (issue 14)


def _laporan(year: m.Tahun, indikator: dict[str, m.Indikator] | None) -> list[Issue]:
    """Target 0 (capaian undefined) and quarterly realisasi without a rencana aksi: warnings."""
    issues: list[Issue] = []
    pk = year.pk
    if pk is None or indikator is None:
        return issues
    reported = {r.indikator: (r, d) for d in year.bidang for r in d.realisasi}
    for t in pk.target:
        if t.nilai != 0 or t.id not in indikator:
            continue
        r, data = reported.get(t.id, (None, None))
        if r is not None and r.capaian is not None:
            continue
        where = data.path if data else f"{year.path}/bidang/{indikator[t.id].bidang}.yaml"
        issues.append(peringatan(
            t.loc, "target-nol",
            f"target {t.id} bernilai 0: capaian tidak dapat dihitung dengan rumus (dibagi target), "
            "tabel menampilkan n/a dan rata-rata sasaran tidak memasukkannya",
            f"nyatakan 'capaian' beserta 'catatan' untuk {t.id} di {where}, atau ubah targetnya"))
    planned = {row.id for row, _ in pk.rencana_aksi}
    for data in year.bidang:
        for r in data.realisasi:
            if r.triwulan and r.indikator not in planned and r.indikator in indikator:
                issues.append(peringatan(
                    r.triwulan_loc or r.loc, "rencana-aksi-tidak-ada",
                    f"realisasi triwulan {r.indikator} ada, tetapi Perjanjian Kinerja tidak memuat "
                    "rencana aksi (target triwulan) indikator ini: capaian triwulan tidak dihitung",
                    f"tambahkan {r.indikator}: {{tw1: ..., tw2: ..., tw3: ..., tw4: ...}} di bawah "
                    f"'rencana_aksi' {pk.path}"))
    return issues


def _narasi_markdown(year: m.Tahun) -> list[Issue]:
    """Images that cannot be embedded are errors; Markdown the report would drop, warnings."""
    issues: list[Issue] = []
    for n in year.narasi:
        for g in n.gambar:
            if g.masalah:
                issues.append(galat(Location(n.path, g.line, g.col), "gambar-salah", g.masalah, g.petunjuk))
        for line, col, message, hint in unsupported(n.body, n.body_line):
            issues.append(peringatan(Location(n.path, line, col), "markdown-tidak-didukung", message, hint))
    return issues


def incomplete(issues: list[Issue] | tuple[Issue, ...], path: str) -> list[Issue]:
    """What keeps the data under `path` (a bidang file, or a whole year folder) from being
    complete for step 4 (`data-bidang-lengkap`): its errors and its realisasi not yet available."""
    return [i for i in issues if i.loc.path.startswith(path)
            and (i.is_error or i.kode == "realisasi-belum-tersedia")]
