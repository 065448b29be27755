"""SOP step 4 ("Format Data") through Excel: a bidang's fill-in form, and its import.

Many bidang staff never edit YAML. `write_form` turns one bidang's data of one year into a
workbook: what the office already decided (PK targets, pagu, keluaran targets) stands in locked
cells, what the bidang reports (realisasi, analisis, solusi) goes into unlocked, validated cells.
`import_form` writes the filled cells back into content/<tahun>/bidang/<id>.yaml through
ruamel.yaml's round-trip mode, so the file keeps its comments, key order and block scalars and a
reviewer's diff shows only the values that changed.

Safety rules, because the file is the office's record: the form carries the SHA-256 of the YAML it
was made from and is refused once that file has changed (no silent overwrite of someone's edit);
every problem of a form is reported at once as `Lembar!A1`; a blank cell never deletes a value; the
file is replaced atomically and restored byte for byte when the result adds validation errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from generator import model as m
from generator.errors import Issue, LakipError
from generator.load import CONTENT, load_repo
from generator.validate import validate

FORMAT = 1  # version of the workbook layout; a form of another version is refused
LANGKAH = 4  # the SOP step whose kelengkapan this form is
META = "_lakip"
META_KEYS = ("format", "bidang", "tahun", "berkas", "sha256")
TANPA_BERKAS = "tidak-ada"  # recorded instead of a hash when the bidang file did not exist yet
HEADER_ROW = 4  # rows 1-3 hold the title, the bidang and year, and a one-line instruction
FIRST_ROW = HEADER_ROW + 1
LIPAT = 80  # analisis/solusi longer than this become `>-` block scalars, as the sample files have
_BIDANG_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
# Text numbers follow the Indonesian convention Excel users type: comma = decimal, dot = thousands.
_ANGKA_ID = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_TITIK_DESIMAL = re.compile(r"^[+-]?\d+\.\d+$")

_TEBAL = Font(bold=True)
_KEPALA = PatternFill("solid", fgColor="D9E1F2")
_ISIAN = PatternFill("solid", fgColor="FFF2CC")
_GARIS = Border(*(Side(style="thin", color="A6A6A6"),) * 4)


# ---------------------------------------------------------------- the one layout definition


@dataclass(frozen=True)
class Kolom:
    """A column. `kunci` names the value in a row; for a fill-in column it is also the dotted
    YAML path below the row's entry, so the same definition writes the cell and reads it back."""

    kunci: str
    judul: str
    lebar: float
    isian: str | None = None  # None: shown only; "teks" | "desimal" | "bulat": read back as such
    nonnegatif: bool = False
    label: str = ""  # names the value in error messages
    format: str = "General"
    bungkus: bool = False


@dataclass(frozen=True)
class Lembar:
    nama: str
    judul: str
    kolom: tuple[Kolom, ...]
    urutan: tuple[str, ...]  # the schema's key order, where a key missing so far is inserted

    def isian(self) -> tuple[tuple[int, Kolom], ...]:
        return tuple((i, k) for i, k in enumerate(self.kolom, 1) if k.isian)

    def ref(self, kolom: int, baris: int) -> str:
        return f"{self.nama}!{get_column_letter(kolom)}{baris}"


REALISASI = Lembar("Realisasi", "Realisasi Indikator Kinerja", (
    Kolom("id", "ID Indikator", 13),
    Kolom("uraian", "Uraian Indikator", 45, bungkus=True),
    Kolom("satuan", "Satuan", 12),
    Kolom("polaritas", "Polaritas", 11),
    Kolom("target", "Target PK", 11),
    Kolom("nilai", "Realisasi", 13, isian="desimal", label="nilai realisasi"),
    Kolom("analisis", "Analisis (penyebab keberhasilan/kegagalan)", 60, isian="teks", bungkus=True),
    Kolom("solusi", "Solusi / Tindak Lanjut", 60, isian="teks", bungkus=True),
), ("nilai", "capaian", "catatan", "analisis", "solusi", "bukti"))

ANGGARAN = Lembar("Anggaran", "Realisasi Anggaran dan Keluaran Sub Kegiatan", (
    Kolom("kode", "Kode Sub Kegiatan", 20),
    Kolom("nama", "Nama Sub Kegiatan", 45, bungkus=True),
    Kolom("pagu", "Pagu (Rp)", 17, format="#,##0"),
    Kolom("realisasi", "Realisasi Anggaran (Rp)", 18, isian="bulat", nonnegatif=True,
          label="realisasi anggaran", format="#,##0"),
    Kolom("keluaran.uraian", "Keluaran", 40, bungkus=True),
    Kolom("keluaran.satuan", "Satuan Keluaran", 14),
    Kolom("keluaran.target", "Target Keluaran", 12),
    Kolom("keluaran.realisasi", "Realisasi Keluaran", 12, isian="desimal", nonnegatif=True,
          label="realisasi keluaran"),
), ("kode", "nama", "pagu", "realisasi", "keluaran", "uraian", "satuan", "target"))

_TERKUNCI = "_terkunci"  # row key: fill-in columns that do not apply to this row (stay locked)


@dataclass(frozen=True)
class ImportResult:
    path: Path
    changed_fields: list[str]  # e.g. "realisasi.IKU-1.nilai", "sub_kegiatan[2.17.03.2.01.0003].realisasi"
    issues: list[Issue]  # load and validation issues of the written file


class FormError(LakipError):
    """A form with bad cells; `masalah` lists them, each starting with `Lembar!A1`."""

    def __init__(self, form: Path, masalah: list[str]):
        daftar = "\n".join(f"  {x}" for x in masalah)
        super().__init__(f"formulir {form.name} berisi {len(masalah)} kesalahan; berkas YAML tidak "
                         f"diubah:\n{daftar}")
        self.masalah = masalah


# ---------------------------------------------------------------- lakip format-data


def write_form(root: Path, bidang: str, tahun: int | None, out: Path) -> Path:
    """Write the step-4 form of one bidang and year (default: the newest) to `out` (.xlsx)."""
    if out.suffix.lower() != ".xlsx":
        raise LakipError(f"nama berkas formulir '{out}' harus berakhiran .xlsx", exit_code=2)
    repo, issues = load_repo(root)
    tahun, nama = _pilih(repo, bidang, tahun)
    rel = f"{CONTENT}/{tahun}/bidang/{bidang}.yaml"
    if rel in repo.broken:  # a form from a file we cannot read would import over unknown data
        daftar = "\n".join(f"  {i.format()}" for i in issues if i.loc.path == rel and i.is_error)
        raise LakipError(f"berkas {rel} belum dapat dibaca; perbaiki dulu:\n{daftar}")
    year = repo.year(tahun)
    pk = year.pk
    renstra = repo.renstra_for(tahun, pk.renstra if pk else None)
    if renstra is None:
        raise LakipError(f"Renstra untuk tahun {tahun} tidak ditemukan (petunjuk: jalankan lakip validate)")
    data = next((d for d in year.bidang if d.path == rel), None)
    real = {r.indikator: r for r in data.realisasi} if data else {}
    baris_r = [{"id": i.id, "uraian": i.uraian, "satuan": i.satuan, "polaritas": i.polaritas,
                "target": pk.target_of(i.id) if pk else None,
                **{k: getattr(real.get(i.id), k, None) for k in ("nilai", "analisis", "solusi")}}
               for i in renstra.indikator() if i.bidang == bidang]
    baris_a = [{"kode": s.kode, "nama": s.nama, "pagu": s.pagu, "realisasi": s.realisasi,
                **{f"keluaran.{k}": getattr(s.keluaran, k, None)
                   for k in ("uraian", "satuan", "target", "realisasi")},
                _TERKUNCI: () if s.keluaran else ("keluaran.realisasi",)}
               for s in (data.sub_kegiatan if data else ())]
    path = root / rel
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else TANPA_BERKAS

    wb = Workbook()
    _petunjuk(wb.active, repo, bidang, nama, tahun, rel)
    sub = f"{nama} · Tahun {tahun}"
    _lembar(wb.create_sheet(REALISASI.nama), REALISASI, baris_r, sub,
            "Isi sel kuning: nilai realisasi, analisis dan solusi. Sel kosong tidak mengubah data.")
    _lembar(wb.create_sheet(ANGGARAN.nama), ANGGARAN, baris_a, sub,
            "Isi sel kuning: realisasi anggaran dan keluaran. Sel kosong tidak mengubah data."
            if baris_a else f"Belum ada sub kegiatan di {rel}; Tim Kerja menambahkannya di sana.")
    meta = wb.create_sheet(META)
    for row in zip(META_KEYS, (FORMAT, bidang, tahun, rel, sha), strict=True):
        meta.append(row)
    meta.sheet_state = "veryHidden"  # not listed under Unhide: staff cannot stumble on it
    meta.protection.sheet = True
    try:
        wb.save(out)
    except OSError as e:
        raise LakipError(f"formulir tidak dapat ditulis ke '{out}': {e.strerror}", exit_code=2) from e
    return out


def _pilih(repo: m.Repo, bidang: str, tahun: int | None) -> tuple[int, str]:
    """The year (default the newest) and the bidang's name; usage errors name what exists."""
    known = sorted(t.tahun for t in repo.tahun)
    if not known:
        raise LakipError("belum ada folder tahun di content/", exit_code=2)
    if tahun is not None and tahun not in known:
        raise LakipError(f"folder content/{tahun}/ tidak ada; tahun yang ada: "
                         f"{', '.join(map(str, known))}", exit_code=2)
    if repo.instansi is None:
        raise LakipError("content/instansi.yaml belum valid (petunjuk: jalankan lakip validate)")
    names = {b.id: b.nama for b in repo.instansi.bidang}
    if bidang not in names:
        close = difflib.get_close_matches(bidang, names, n=1, cutoff=0.6)
        hint = f"maksudnya '{close[0]}'?" if close else f"yang dikenal: {', '.join(sorted(names))}"
        raise LakipError(f"bidang '{bidang}' tidak ada di content/instansi.yaml (petunjuk: {hint})",
                         exit_code=2)
    return (known[-1] if tahun is None else tahun), names[bidang]


def _petunjuk(ws: Worksheet, repo: m.Repo, bidang: str, nama: str, tahun: int, rel: str) -> None:
    ws.title = "Petunjuk"
    step = repo.sop.step(LANGKAH) if repo.sop else None
    role = repo.sop.role(step.pelaksana) if step else None
    pj = [p.nama for p in repo.personil or () if bidang in p.bidang and p.berlaku_sampai is None]
    lines = [f"Formulir Data Bidang — LAKIP Tahun {tahun}", f"Bidang: {nama} ({bidang})"]
    if step:
        lines += [f"Langkah {step.no} SOP ({step.kelengkapan}): {step.kegiatan}.",
                  f"Batas waktu: {step.waktu} kerja sejak disposisi langkah {step.no - 1}; hasilnya: "
                  f"{step.output}. Tanggalnya tampil di halaman Beranda situs LAKIP."]
    lines += [f"Diisi oleh: staf {nama}, lalu diserahkan kepada "
              f"{role.nama if role else 'Tim Kerja Perencanaan Program'}, yang memasukkannya ke data "
              "dengan perintah: lakip impor <berkas>.xlsx"]
    lines += [f"Penanggung jawab data bidang: {', '.join(pj)}"] if pj else []
    lines += [
        "", "Cara mengisi",
        "1. Isi hanya sel berwarna kuning di lembar Realisasi dan Anggaran. Sel lain terkunci dan tidak "
        "dibaca kembali.",
        "2. Lembar Realisasi: satu baris per indikator kinerja bidang ini. Isi nilai realisasi (angka), "
        "analisis penyebab keberhasilan/kegagalan, dan solusi atau tindak lanjut.",
        f"3. Lembar Anggaran: satu baris per sub kegiatan yang sudah tercatat di {rel}. Isi realisasi "
        "anggaran (rupiah, bilangan bulat) dan realisasi keluaran. Sub kegiatan baru tidak dapat "
        "ditambahkan di sini: mintalah Tim Kerja menambahkannya ke berkas itu, lalu buat formulir baru.",
        "4. Angka: ketik seperti biasa. Bila angka tersimpan sebagai teks, berlaku aturan koma = desimal "
        "dan titik = pemisah ribuan: \"1.234,5\" berarti seribu dua ratus tiga puluh empat koma lima; "
        "\"62.4\" ditolak (tulis 62,4).",
        "5. Sel kosong tidak mengubah data yang sudah ada, jadi formulir boleh diisi sebagian. Data yang "
        "sudah ada ditampilkan lebih dulu; ubah bila perlu.",
        "6. Jangan menambah, menghapus atau memindahkan baris, kolom, dan lembar.",
        f"7. Formulir ini terikat pada isi {rel} saat formulir dibuat. Bila berkas itu berubah sebelum "
        "impor, impor ditolak dan isian perlu disalin ke formulir baru.",
    ]
    for line in lines:
        ws.append([line])
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws[f"A{lines.index('Cara mengisi') + 1}"].font = _TEBAL
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True


def _lembar(ws: Worksheet, lembar: Lembar, rows: list[dict[str, Any]], sub: str, note: str) -> None:
    ws["A1"], ws["A2"], ws["A3"] = lembar.judul, sub, note
    ws["A1"].font = Font(bold=True, size=14)
    for c, kol in enumerate(lembar.kolom, 1):
        cell = ws.cell(HEADER_ROW, c, kol.judul)
        cell.font, cell.fill, cell.border = _TEBAL, _KEPALA, _GARIS
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = kol.lebar
    ws.row_dimensions[HEADER_ROW].height = 32
    for r, row in enumerate(rows, FIRST_ROW):
        for c, kol in enumerate(lembar.kolom, 1):
            cell = ws.cell(r, c, _sel(row.get(kol.kunci)))
            cell.number_format, cell.border = kol.format, _GARIS
            cell.alignment = Alignment(wrap_text=kol.bungkus, vertical="top")
            if kol.isian and kol.kunci not in row.get(_TERKUNCI, ()):
                cell.protection = Protection(locked=False)
                cell.fill = _ISIAN
        # Excel does not grow rows for wrapped text written by a program: estimate the height.
        lines = max([1, *(len(str(row.get(k.kunci) or "")) // int(k.lebar * 1.1) + 1
                          for k in lembar.kolom if k.bungkus)])
        ws.row_dimensions[r].height = min(409, 15 * lines)
    for c, kol in lembar.isian():
        if kol.isian == "teks" or not rows:
            continue
        jenis = "bilangan bulat" if kol.isian == "bulat" else "angka"
        batas = " yang tidak negatif" if kol.nonnegatif else ""
        dv = DataValidation(
            type="whole" if kol.isian == "bulat" else "decimal",
            operator="greaterThanOrEqual" if kol.nonnegatif else "between",
            formula1="0" if kol.nonnegatif else "-1000000000000000", formula2=None
            if kol.nonnegatif else "1000000000000000", allow_blank=True, showErrorMessage=True,
            errorTitle="Isian tidak sah", error=f"{kol.label.capitalize()} harus {jenis}{batas}.")
        letter = get_column_letter(c)
        dv.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(rows) - 1}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)
    # No password: it would only lock staff out; the import checks every row's id anyway.
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # widening stays allowed


def _sel(value: Any) -> Any:
    """A model value as a cell value: Decimal as int or float (Excel stores binary doubles)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------- lakip impor


def import_form(root: Path, form: Path) -> ImportResult:
    """Write the filled cells of `form` into its bidang's YAML; refuse rather than guess."""
    try:  # whatever openpyxl trips on (not a zip, not a workbook), the user needs the same advice
        wb = load_workbook(form, data_only=True)
    except Exception as e:
        raise LakipError(f"formulir '{form}' tidak dapat dibuka sebagai berkas Excel (.xlsx): {e}",
                         exit_code=2) from e
    bidang, tahun, rel, sha = _meta(wb, form)
    path = root / rel
    before = path.read_bytes() if path.is_file() else None
    now = hashlib.sha256(before).hexdigest() if before is not None else TANPA_BERKAS
    if now != sha:
        raise LakipError(f"berkas {rel} sudah berubah sejak formulir dibuat (SHA-256 saat itu "
                         f"{sha[:12]}, sekarang {now[:12]}); buat formulir baru dengan lakip "
                         f"format-data --bidang {bidang} --tahun {tahun}, lalu salin isian dari "
                         f"{form.name}")

    yaml = _yaml()
    try:
        data = yaml.load(before.decode("utf-8-sig")) if before is not None else None
    except Exception as e:  # ruamel's many parser errors; load_repo reports the details
        raise LakipError(f"berkas {rel} tidak dapat dibaca (petunjuk: jalankan lakip validate): "
                         f"{e}") from e
    if data is None:
        data = CommentedMap(bidang=bidang)
        data.yaml_set_start_comment(f"Data bidang {bidang} tahun {tahun}, dibuat dari formulir Excel.")
    repo, issues = load_repo(root)
    year = repo.year(tahun)
    if year is None or not isinstance(data, CommentedMap):
        raise LakipError(f"folder content/{tahun}/ atau berkas {rel} tidak lagi sesuai formulir "
                         "(petunjuk: jalankan lakip validate)")
    renstra = repo.renstra_for(tahun, year.pk.renstra if year.pk else None)
    ids = {i.id for i in renstra.indikator() if i.bidang == bidang} if renstra else set()
    real = data.get("realisasi") or {}
    subs = {s["kode"]: s for s in data.get("sub_kegiatan") or ()}

    masalah: list[str] = []
    isi_r = _baca(wb, REALISASI, ids | set(real), real, masalah)
    isi_a = _baca(wb, ANGGARAN, set(subs), subs, masalah)
    if masalah:
        raise FormError(form, masalah)

    changed: list[str] = []
    for ind, row in isi_r.items():
        if ind not in real:  # every form row gets an entry; null = not yet available (DESIGN §4)
            if data.get("realisasi") is None:  # absent, or an empty `realisasi:`
                if "realisasi" in data:
                    data["realisasi"] = CommentedMap()
                else:
                    data.insert(1, "realisasi", CommentedMap())
            real = data["realisasi"]
            real[ind] = CommentedMap(nilai=None)
        for kunci, value in row.items():
            if _put(real.get(ind), kunci, value, REALISASI.urutan):
                changed.append(f"realisasi.{ind}.{kunci}")
    for kode, row in isi_a.items():
        for kunci, value in row.items():
            *parents, leaf = kunci.split(".")
            entry = subs[kode]
            for p in parents:
                entry = entry[p]
            if _put(entry, leaf, value, ANGGARAN.urutan):
                changed.append(f"sub_kegiatan[{kode}].{kunci}")
    if not changed:
        return ImportResult(path, [], [i for i in issues + validate(repo) if i.loc.path == rel])

    sebelum = {(i.kode, i.pesan) for i in issues + validate(repo) if i.loc.path == rel and i.is_error}
    buf = io.StringIO()
    yaml.dump(data, buf)
    try:
        path.parent.mkdir(exist_ok=True)  # bidang/ of a year whose first bidang file this is
        _tulis(path, buf.getvalue().encode("utf-8"))
        repo, issues = load_repo(root)
        mine = [i for i in issues + validate(repo) if i.loc.path == rel]
    except BaseException:
        _pulihkan(path, before)  # never leave a half-done file, whatever interrupted us
        raise
    # Only errors the import introduced refuse it: an old problem (say, a bukti file not yet
    # uploaded) must not keep a bidang from handing in its numbers.
    baru = [i for i in mine if i.is_error and (i.kode, i.pesan) not in sebelum]
    if baru:
        _pulihkan(path, before)
        daftar = "\n".join(f"  {i.format()}" for i in baru)
        raise LakipError(f"hasil impor {form.name} tidak valid, jadi {rel} dikembalikan seperti "
                         f"semula:\n{daftar}")
    return ImportResult(path, changed, mine)


def _meta(wb: Workbook, form: Path) -> tuple[str, int, str, str]:
    if META not in wb.sheetnames:
        raise LakipError(f"'{form.name}' bukan formulir lakip: lembar {META} tidak ada (petunjuk: "
                         "buat formulir dengan lakip format-data)", exit_code=2)
    meta = {str(k).strip(): v for k, v, *_ in wb[META].iter_rows(max_col=2, values_only=True) if k}

    def rusak(why: str) -> LakipError:
        return LakipError(f"lembar {META} pada '{form.name}' rusak atau diubah ({why}); buat "
                          "formulir baru dengan lakip format-data", exit_code=2)

    missing = [k for k in META_KEYS if meta.get(k) in (None, "")]
    if missing:
        raise rusak(f"tidak ada: {', '.join(missing)}")
    if str(meta["format"]) != str(FORMAT):
        raise rusak(f"versi format {meta['format']}, lakip ini membaca versi {FORMAT}")
    bidang, tahun, rel, sha = (str(meta[k]).strip() for k in META_KEYS[1:])
    if not _BIDANG_ID.match(bidang) or not re.fullmatch(r"\d{4}", tahun):
        raise rusak("bidang atau tahun tidak sah")
    # The path is rebuilt, never trusted: a crafted form must not make lakip write elsewhere.
    if rel != f"{CONTENT}/{tahun}/bidang/{bidang}.yaml":
        raise rusak(f"berkas '{rel}' tidak sesuai bidang {bidang} tahun {tahun}")
    if sha != TANPA_BERKAS and not _SHA.match(sha):
        raise rusak("sidik jari SHA-256 tidak sah")
    return bidang, int(tahun), rel, sha


def _baca(wb: Workbook, lembar: Lembar, dikenal: set[str], sekarang: Any,
          masalah: list[str]) -> dict[str, dict[str, Any]]:
    """The fill-in values of one sheet by row id: {id: {kunci: value}}; blank cells left out."""
    if lembar.nama not in wb.sheetnames:
        masalah.append(f"{lembar.nama}: lembar tidak ada")
        return {}
    ws = wb[lembar.nama]
    moved = [f"{lembar.ref(c, HEADER_ROW)}: judul kolom \"{ws.cell(HEADER_ROW, c).value}\", "
             f"seharusnya \"{k.judul}\" (kolom tidak boleh disisipkan atau dipindah)"
             for c, k in enumerate(lembar.kolom, 1) if ws.cell(HEADER_ROW, c).value != k.judul]
    if moved:  # positions are no longer trustworthy: read nothing from this sheet
        masalah.extend(moved)
        return {}
    out: dict[str, dict[str, Any]] = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        key = ws.cell(r, 1).value
        filled = [c for c, _ in lembar.isian() if not _kosong(ws.cell(r, c).value)]
        if _kosong(key):
            if filled:
                masalah.append(f"{lembar.ref(filled[0], r)}: baris {r} tidak punya "
                               f"{lembar.kolom[0].judul}; isiannya tidak dapat dibaca")
            continue
        key = str(key).strip()
        what = lembar.kolom[0].judul
        if key not in dikenal:
            masalah.append(f"{lembar.ref(1, r)}: {what} '{key}' tidak dikenal untuk bidang ini "
                           "(sel terkunci diubah?); buat formulir baru dengan lakip format-data")
            continue
        if key in out:
            masalah.append(f"{lembar.ref(1, r)}: {what} '{key}' muncul dua kali")
            continue
        entry = sekarang.get(key) or {}
        row = {}
        for c, kol in lembar.isian():
            value = ws.cell(r, c).value
            if _kosong(value):
                continue
            *parents, leaf = kol.kunci.split(".")
            cur = entry
            for p in parents:
                cur = cur.get(p) if isinstance(cur, dict) else None
            if cur is None:
                masalah.append(f"{lembar.ref(c, r)}: {what} {key} tidak punya "
                               f"'{'.'.join(parents)}' di berkas YAML, jadi {kol.label} tidak dapat "
                               "diisi di formulir")
                continue
            parsed = _nilai(kol, value, lembar.ref(c, r), cur.get(leaf), masalah)
            if parsed is not None:
                row[kol.kunci] = parsed
        out[key] = row
    return out


def _kosong(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _nilai(kol: Kolom, value: Any, ref: str, current: Any, masalah: list[str]) -> Any:
    """A cell's value as the YAML will hold it, or None (unchanged) with a problem recorded."""
    if kol.isian == "teks":
        return str(value).replace("\r\n", "\n").strip()
    if isinstance(value, bool):
        masalah.append(f"{ref}: {kol.label} harus angka, ditemukan {'TRUE' if value else 'FALSE'}")
        return None
    if isinstance(value, dt.date | dt.time):
        masalah.append(f"{ref}: {kol.label} harus angka, ditemukan tanggal/jam \"{value}\" (Excel "
                       "membaca isian sebagai tanggal; ketik angkanya dengan koma desimal, mis. 1,5)")
        return None
    if isinstance(value, int | float):
        d = Decimal(f"{value:.15g}")  # Excel keeps 15 significant digits; the rest is binary noise
    else:
        text = str(value).strip()
        if isinstance(current, str) and text == current.strip():
            return None  # a ratio such as "1:32", shown as the YAML has it and left alone
        t = re.sub(r"[\s\u00a0]", "", text)
        if kol.isian == "bulat":
            t = re.sub(r"^[Rr][Pp]\.?", "", t)
        if _ANGKA_ID.match(t):
            d = Decimal(t.replace(".", "").replace(",", "."))
        elif _TITIK_DESIMAL.match(t):
            masalah.append(f"{ref}: {kol.label} \"{text}\" memakai titik sebagai tanda desimal; di "
                           "formulir ini koma = desimal dan titik = pemisah ribuan (tulis "
                           f"{t.replace('.', ',')})")
            return None
        else:
            masalah.append(f"{ref}: {kol.label} harus angka, ditemukan \"{text}\"")
            return None
    try:
        if not d.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        masalah.append(f"{ref}: {kol.label} harus angka, ditemukan \"{value}\"")
        return None
    if kol.isian == "bulat" and d != d.to_integral_value():
        masalah.append(f"{ref}: {kol.label} harus bilangan bulat (rupiah tanpa sen), ditemukan "
                       f"{_id(d)}")
        return None
    if kol.nonnegatif and d < 0:
        masalah.append(f"{ref}: {kol.label} tidak boleh negatif, ditemukan {_id(d)}")
        return None
    return d


def _id(d: Decimal) -> str:
    """1234.5 -> 1.234,5: numbers in messages as the user typed them."""
    return f"{d:,}".replace(",", "_").replace(".", ",").replace("_", ".")


# ---------------------------------------------------------------- YAML round trip


class _Representer(RoundTripRepresenter):
    """Writes null as `null`, the spelling DESIGN uses, where ruamel would leave the value empty.
    A subclass, so ruamel's own representer (shared by other users in the process) stays as is."""


_Representer.add_representer(
    type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the long plain scalars (nama) that the file already has
    yaml.indent(mapping=2, sequence=4, offset=2)  # the sample files' `  - kode:` style
    return yaml


def _put(entry: CommentedMap, kunci: str, value: Any, urutan: tuple[str, ...]) -> bool:
    """Set one value unless it is equal already; True when the file changes. A key that exists
    keeps its place and comments; a new one goes where the schema's usual order puts it."""
    old = entry.get(kunci)
    if isinstance(value, Decimal):
        if isinstance(old, int | float) and not isinstance(old, bool) and \
                Decimal(f"{old:.15g}") == value:
            return False
        new: Any = int(value) if value == value.to_integral_value() else float(str(value))
    else:
        if isinstance(old, str) and old.split() == value.split():
            return False  # only line breaks or spacing differ: keep the file's wrapping
        new = _teks(value)
    if kunci in entry:
        entry[kunci] = new
    else:
        before = urutan[:urutan.index(kunci)]
        entry.insert(max((i + 1 for i, k in enumerate(entry) if k in before), default=0), kunci, new)
    return True


def _teks(text: str) -> str:
    """Long text as a block scalar: `|-` keeps the user's line breaks, `>-` folds at spaces."""
    if "\n" in text:
        return LiteralScalarString(text)
    if len(text) <= LIPAT:
        return text
    folded = FoldedScalarString(text)
    # Fold only at a single space between words: a line must not start with a space, which
    # YAML would keep as a literal line break.
    spaces = [x.start() for x in re.finditer(r"(?<=\S) (?=\S)", text)]
    folds: list[int] = []
    start, prev = 0, -1
    for p in [*spaces, len(text)]:
        if p - start > LIPAT + 8 and prev > start:
            folds.append(prev)
            start = prev + 1
        prev = p
    folded.fold_pos = folds
    return folded


def _tulis(path: Path, data: bytes) -> None:
    """Replace the file atomically: a reader sees the old bytes or the new ones, never half."""
    tmp = path.with_name(f".{path.name}.impor.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _pulihkan(path: Path, before: bytes | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)  # the import created it; there was nothing before
    else:
        _tulis(path, before)
