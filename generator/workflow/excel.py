"""SOP step 4 ("Format Data") through Excel, for bidang staff who never edit YAML.

`write_form` (lakip format-data) puts what the office decided (PK target, pagu) in locked cells and
what the bidang reports in unlocked, validated ones. `import_form` (lakip impor) writes the cells
into content/<tahun>/bidang/<id>.yaml with ruamel.yaml's round trip (comments, key order and block
scalars stay). It refuses a form whose YAML changed since, reports all bad cells at once as
`Lembar!A1`, never deletes a value for a blank cell, and restores the file byte for byte when the
result brings in validation errors."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from generator.data import model as m
from generator.data.errors import DataInvalid, Issue, Refused, UsageError
from generator.data.load import CONTENT, load_repo
from generator.data.numbers import parse_angka
from generator.data.validate import validate
from generator.render.reproducible import reproducible_zip
from generator.store import UnsafePath, make_dirs, read_file, remove_file, write_file
from generator.workflow.snapshot import Snapshot, gather

FORMAT = 1  # version of the workbook layout; a form of another version is refused
LANGKAH = 4  # the SOP step whose kelengkapan ("Format Data") this form is
META = "_lakip"
META_KEYS = ("format", "bidang", "tahun", "berkas", "sha256")
TANPA_BERKAS = "tidak-ada"  # recorded instead of a hash when the bidang file did not exist yet
HEADER_ROW = 4  # rows 1-3: title, bidang and year, a one-line instruction
FIRST_ROW = HEADER_ROW + 1
LIPAT = 80  # analisis/solusi longer than this become `>-` block scalars, as in the sample files
_BIDANG_ID, _TAHUN, _SHA = (re.compile(x).fullmatch
                             for x in ("[a-z][a-z0-9-]{0,39}", "[0-9]{4}", "[0-9a-f]{64}"))
# Text numbers follow the Indonesian convention Excel users type: comma = decimal, dot = thousands.
_TITIK_DESIMAL = re.compile(r"^[+-]?\d+\.\d+$")  # "62.4": refused, not guessed (is "1.250" 1,25?)
_TEBAL, _ISIAN = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
_KEPALA, _GARIS = PatternFill("solid", fgColor="D9E1F2"), Border(*(Side("thin", color="A6A6A6"),) * 4)


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
    induk_baru: bool = False  # the parent map may be created by the import (realisasi_triwulan)


@dataclass(frozen=True)
class Lembar:
    nama: str
    judul: str
    kolom: tuple[Kolom, ...]
    urutan: tuple[str, ...]  # the schema's key order: where a key missing so far is inserted

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
    # rencana aksi (monev triwulan), last so the columns above keep their letters
    *(Kolom(f"realisasi_triwulan.tw{n}", f"Realisasi TW {romawi}", 11, isian="desimal",
            label=f"realisasi triwulan {romawi}", induk_baru=True)
      for n, romawi in ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))),
), ("nilai", "realisasi_triwulan", "capaian", "catatan", "analisis", "solusi", "bukti",
    "tw1", "tw2", "tw3", "tw4"))

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
    issues: list[Issue]  # load and validation issues of the bidang file, after the import


class FormError(DataInvalid):
    """A form with bad cells; `masalah` lists them, each starting with `Lembar!A1`."""

    def __init__(self, form: Path, masalah: list[str]):
        super().__init__(f"formulir {form.name} berisi {len(masalah)} kesalahan; berkas YAML tidak diubah:"
                         + "".join(f"\n  {x}" for x in masalah))
        self.masalah = masalah


def write_form(root: Path, bidang: str, tahun: int | None, out: Path) -> Path:
    """Write the step-4 form of one bidang and year (default: the newest) to `out` (.xlsx)."""
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"nama berkas formulir '{out}' harus berakhiran .xlsx")
    form = form_bytes(gather(root, tahun), bidang)
    try:  # atomically and never through a symlink at `out` (store.write_file)
        write_file(out.parent.absolute(), out.absolute(), form)
    except UnsafePath as e:
        raise UsageError(f"formulir tidak dapat ditulis: {e.pesan}") from None
    except OSError as e:
        raise UsageError(f"formulir tidak dapat ditulis ke '{out}': {e.strerror or e}") from None
    return out


def form_bytes(snapshot: Snapshot, bidang: str) -> bytes:
    """The .xlsx bytes of the step-4 form of `bidang` for the snapshot's year (what
    `write_form` writes; the website offers the same form). Raises UsageError for an unknown
    bidang, DataInvalid when the bidang file or the Renstra cannot be read."""
    repo, issues, tahun = snapshot.repo, snapshot.issues, snapshot.tahun
    nama = _nama(repo, bidang)
    rel = f"{CONTENT}/{tahun}/bidang/{bidang}.yaml"
    if rel in repo.broken:  # a form from a file we cannot read would import over unknown data
        daftar = "\n".join(f"  {i.format()}" for i in issues if i.loc.path == rel and i.is_error)
        raise DataInvalid(f"berkas {rel} belum dapat dibaca; perbaiki dulu:\n{daftar}")
    pk = (year := repo.find_tahun(tahun)).pk
    renstra = repo.renstra_for(tahun, pk.renstra if pk else None)
    if renstra is None:
        raise DataInvalid(f"Renstra untuk tahun {tahun} tidak ditemukan (petunjuk: jalankan lakip validate)")
    data = next((d for d in year.bidang if d.path == rel), None)
    real = {r.indikator: r for r in data.realisasi} if data else {}
    baris_r = [{"id": i.id, "uraian": i.uraian, "satuan": i.satuan, "polaritas": i.polaritas,
                "target": pk.target_of(i.id) if pk else None,
                **{k: getattr(real.get(i.id), k, None) for k in ("nilai", "analisis", "solusi")},
                **{f"realisasi_triwulan.{tw}": v for tw, v in getattr(real.get(i.id), "triwulan", ())}}
               for i in renstra.indikator() if i.bidang == bidang]
    baris_a = [{"kode": s.kode, "nama": s.nama, "pagu": s.pagu, "realisasi": s.realisasi,
                **{f"keluaran.{k}": getattr(s.keluaran, k, None)
                   for k in ("uraian", "satuan", "target", "realisasi")},
                _TERKUNCI: () if s.keluaran else ("keluaran.realisasi",)}
               for s in (data.sub_kegiatan if data else ())]
    source = snapshot.source
    sha = hashlib.sha256(source.read(rel)).hexdigest() if source.is_file(rel) else TANPA_BERKAS
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
    meta.sheet_state, meta.protection.sheet = "veryHidden", True  # veryHidden: not even under Unhide
    _as_text(wb)
    # The same form on every run (the website offers it; its files are compared): dated like
    # the document (from git), else the first day after the year, never the clock.
    moment = form_date(snapshot)
    wb.properties.created = wb.properties.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps `modified` with the clock
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return reproducible_zip(buffer.getvalue(), moment)


def form_date(snapshot: Snapshot) -> dt.datetime:
    """The date a form carries (created and modified, UTC without a zone as xlsx stores it): the
    document's date from git, else 1 January after the year; never the clock, so the same data
    give the same bytes."""
    from generator.data.errors import LakipError

    try:
        moment = snapshot.state.tanggal if snapshot.is_git else None
    except LakipError:  # no SOP history to date it: the fixed date below
        moment = None
    if moment is None:
        return dt.datetime(snapshot.tahun + 1, 1, 1)
    return moment.astimezone(dt.UTC).replace(tzinfo=None)  # xlsx stores UTC without a zone


def _nama(repo: m.Repo, bidang: str) -> str:
    """The bidang's name; a usage error names the bidang that exist."""
    if repo.instansi is None:
        raise DataInvalid("content/instansi.yaml belum valid (petunjuk: jalankan lakip validate)")
    names = {b.id: b.nama for b in repo.instansi.bidang}
    if bidang not in names:
        close = difflib.get_close_matches(bidang, names, n=1, cutoff=0.6)
        hint = f"maksudnya '{close[0]}'?" if close else f"yang dikenal: {', '.join(sorted(names))}"
        raise UsageError(f"bidang '{bidang}' tidak ada di content/instansi.yaml (petunjuk: {hint})")
    return names[bidang]


def _petunjuk(ws: Worksheet, repo: m.Repo, bidang: str, nama: str, tahun: int, rel: str) -> None:
    step = repo.sop.find_langkah(LANGKAH) if repo.sop else None
    role = repo.sop.find_peran(step.pelaksana) if step else None
    pj = ", ".join(p.nama for p in repo.personil or () if bidang in p.bidang and p.berlaku_sampai is None)
    lines = [f"Formulir Data Bidang — LAKIP Tahun {tahun}", f"Bidang: {nama} ({bidang})"]
    if step:  # who and when come from the SOP itself, so the form follows the office's SOP
        lines += [f"Langkah {step.no} SOP ({step.kelengkapan}): {step.kegiatan}.",
                  f"Batas waktu: {step.waktu} kerja sejak disposisi langkah {step.no - 1} (tanggalnya di "
                  f"halaman Beranda situs LAKIP); hasilnya: {step.output}."]
    lines += [f"Diisi oleh: staf {nama}{f' (penanggung jawab data: {pj})' if pj else ''}; diserahkan kepada "
              f"{role.nama if role else 'Tim Kerja'}, yang mengimpornya: lakip impor <berkas>.xlsx",
              "", "Cara mengisi",
              "1. Isi hanya sel kuning di lembar Realisasi (nilai realisasi, analisis penyebab keberhasilan/"
              "kegagalan, solusi) dan Anggaran (realisasi anggaran dalam rupiah, realisasi keluaran).",
              f"2. Sub kegiatan diambil dari {rel}; sub kegiatan baru ditambahkan Tim Kerja di sana.",
              "3. Angka yang tersimpan sebagai teks dibaca dengan koma = desimal dan titik = pemisah "
              "ribuan: \"1.234,5\" = seribu dua ratus tiga puluh empat koma lima; \"62.4\" ditolak.",
              "4. Sel kosong tidak mengubah data yang sudah ada: formulir boleh diisi sebagian.",
              "5. Jangan menambah, menghapus atau memindahkan baris, kolom, dan lembar.",
              f"6. Bila {rel} berubah sebelum impor, impor ditolak: salin isian ke formulir baru."]
    ws.title, ws.column_dimensions["A"].width = "Petunjuk", 120
    for line in lines:
        ws.append([line])
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws[f"A{lines.index('Cara mengisi') + 1}"].font = _TEBAL
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
    # openpyxl hashes every style object assigned to a cell to find it in the workbook's lists
    # (two thirds of making a form); a cell styled like an earlier one of its column gets a copy
    # of that cell's style indices instead: the same workbook, without the hashing.
    styled: dict[tuple[int, bool], Any] = {}
    for r, row in enumerate(rows, FIRST_ROW):
        for c, kol in enumerate(lembar.kolom, 1):
            value = row.get(kol.kunci)  # Decimal as int or float: Excel stores binary doubles
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = ws.cell(r, c, value)
            unlocked = bool(kol.isian) and kol.kunci not in row.get(_TERKUNCI, ())
            if (c, unlocked) in styled:
                cell._style = copy(styled[c, unlocked])
                continue
            cell.number_format, cell.border = kol.format, _GARIS
            cell.alignment = Alignment(wrap_text=kol.bungkus, vertical="top")
            if unlocked:
                cell.protection, cell.fill = Protection(locked=False), _ISIAN
            styled[c, unlocked] = copy(cell._style)
        # Excel does not grow rows for wrapped text written by a program: estimate the height.
        lines = max([1, *(len(str(row.get(k.kunci) or "")) // int(k.lebar * 1.1) + 1
                          for k in lembar.kolom if k.bungkus)])
        ws.row_dimensions[r].height = min(409, 15 * lines)
    for c, kol in lembar.isian():
        if kol.isian != "teks" and rows:
            bulat, letter = kol.isian == "bulat", get_column_letter(c)
            batas = dict(operator="greaterThanOrEqual", formula1="0") if kol.nonnegatif else dict(
                operator="between", formula1="-1000000000000000", formula2="1000000000000000")
            pesan = f"{'bilangan bulat' if bulat else 'angka'}{' yang tidak negatif' * kol.nonnegatif}"
            dv = DataValidation(type="whole" if bulat else "decimal", allow_blank=True, showErrorMessage=True,
                                errorTitle="Isian tidak sah",
                                error=f"{kol.label[:1].upper()}{kol.label[1:]} harus {pesan}.", **batas)
            dv.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + len(rows) - 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)
    # No password: it would only lock staff out; the import checks every row's id anyway. Widening
    # columns and rows stays allowed, to read long texts.
    ws.protection.sheet, ws.protection.formatColumns, ws.protection.formatRows = True, False, False


def import_form(root: Path, form: Path, named: tuple[str, str, int] | None = None) -> ImportResult:
    """Write the filled cells of `form` into its bidang's YAML; refuse rather than guess.

    `named` (repository path, bidang, tahun) is what the form's location says
    (content/<tahun>/formulir/<bidang>.xlsx in CI): a form filled for another bidang or year is
    refused with UsageError before anything is written (review 1 item 8)."""
    _inspect(form)  # before openpyxl loads it whole: size, extent, formulas without a value
    try:  # whatever openpyxl trips on (not a zip, not a workbook), the user needs the same advice
        wb = load_workbook(form, data_only=True)
    except Exception as e:
        raise UsageError(f"formulir '{form}' tidak dapat dibuka: bukan berkas Excel (.xlsx) atau "
                         "berkasnya rusak") from e
    bidang, tahun, rel, sha = _meta(wb, form)
    if named is not None and (named[1], named[2]) != (bidang, tahun):
        where, nama_bidang, nama_tahun = named
        raise UsageError(f"formulir {where} berisi data bidang {bidang} tahun {tahun}, tetapi nama "
                         f"berkasnya menyebut bidang {nama_bidang} tahun {nama_tahun}; tidak diimpor "
                         f"(petunjuk: unggah formulir ini sebagai content/{tahun}/formulir/{bidang}.xlsx)")
    path = root / rel
    try:  # never through a symlink: the repository's bidang/ might point at the user's files
        before = read_file(root, path)
    except FileNotFoundError:
        before = None
    except UnsafePath as e:
        raise UsageError(f"{e.pesan}; impor dibatalkan") from None
    now = hashlib.sha256(before).hexdigest() if before is not None else TANPA_BERKAS
    if now != sha:
        raise Refused(f"berkas {rel} sudah berubah sejak formulir dibuat (SHA-256 saat itu {sha[:12]}, "
                         f"sekarang {now[:12]}); buat formulir baru dengan lakip format-data --bidang "
                         f"{bidang} --tahun {tahun}, lalu salin isian dari {form.name}")
    yaml = _yaml()
    try:
        data = yaml.load(before.decode("utf-8-sig")) if before is not None else None
    except Exception as e:  # ruamel has many parser errors; `lakip validate` explains them better
        raise Refused(f"berkas {rel} tidak dapat dibaca (petunjuk: jalankan lakip validate)") from e
    if data is None:
        data = CommentedMap(bidang=bidang)
        data.yaml_set_start_comment(f"Data bidang {bidang} tahun {tahun}, dibuat dari formulir Excel.")
    try:
        snapshot = gather(root, tahun)
    except UsageError:
        raise Refused(f"formulir {form.name} untuk tahun {tahun}, tetapi folder content/{tahun}/ "
                      "tidak ada lagi") from None
    repo = snapshot.repo
    year = repo.find_tahun(tahun)
    renstra = repo.renstra_for(tahun, year.pk.renstra if year.pk else None)
    ids = {i.id for i in renstra.indikator() if i.bidang == bidang} if renstra else set()
    real = data.get("realisasi") or CommentedMap()
    subs = {s["kode"]: s for s in data.get("sub_kegiatan") or ()}
    masalah: list[str] = []
    isi = [("realisasi.{}", real, REALISASI, _baca(wb, REALISASI, ids | set(real), real, masalah)),
           ("sub_kegiatan[{}]", subs, ANGGARAN, _baca(wb, ANGGARAN, set(subs), subs, masalah))]
    if masalah:
        raise FormError(form, masalah)
    changed: list[str] = []
    for name, entries, lembar, rows in isi:
        for key, row in rows.items():
            # Every indikator row gets an entry, even a blank one: `nilai: null` says "not yet
            # available" (a warning) where a missing entry is an error.
            entries.setdefault(key, CommentedMap(nilai=None))
            for kunci, value in row.items():
                *parents, leaf = kunci.split(".")
                entry = entries[key]
                for part in parents:
                    if part not in entry:  # only for induk_baru columns: _baca refused the others
                        before = lembar.urutan[:lembar.urutan.index(part)]
                        entry.insert(max((i + 1 for i, k in enumerate(entry) if k in before), default=0),
                                     part, CommentedMap())
                    entry = entry[part]
                if _put(entry, leaf, value, lembar.urutan):
                    changed.append(f"{name.format(key)}.{kunci}")
    if real and data.get("realisasi") is not real:  # the file had no (or an empty) realisasi
        data.pop("realisasi", None)
        data.insert(1, "realisasi", real)
    sebelum = snapshot.issues
    if not changed:
        return ImportResult(path, [], [i for i in sebelum if i.loc.path == rel])
    buf = io.StringIO()
    yaml.dump(data, buf)
    try:
        make_dirs(root, path.parent)  # bidang/ of a year whose first bidang file this is
        _tulis(root, path, buf.getvalue().encode("utf-8"))
    except OSError as e:  # a read-only folder, a full disk, a symlink on the way: nothing written
        why = e.pesan if isinstance(e, UnsafePath) else e.strerror or str(e)
        raise UsageError(f"{rel} tidak dapat ditulis: {why}; impor dibatalkan, berkas tidak berubah"
                         ) from None
    try:
        repo, issues = load_repo(root)  # the state after the write: a new reading, not the snapshot
        mine = [i for i in issues + validate(repo) if i.loc.path == rel]
    except BaseException:
        _tulis(root, path, before)  # never leave a half-done file, whatever interrupted us
        raise
    # Only errors the import brought in refuse it: an old problem (a bukti file not yet uploaded,
    # say) must not keep a bidang from handing in its numbers. Lines move, so compare by message.
    lama = {(i.kode, i.pesan) for i in sebelum if i.loc.path == rel and i.is_error}
    if baru := [i for i in mine if i.is_error and (i.kode, i.pesan) not in lama]:
        _tulis(root, path, before)
        daftar = "\n".join(f"  {i.format()}" for i in baru)
        raise DataInvalid(f"hasil impor {form.name} tidak valid, jadi {rel} dikembalikan seperti semula:"
                         f"\n{daftar}")
    return ImportResult(path, changed, mine)


def _meta(wb: Workbook, form: Path) -> tuple[str, int, str, str]:
    """The hidden sheet's record, checked: what it names is what the import will write."""
    if META not in wb.sheetnames:
        raise UsageError(f"'{form.name}' bukan formulir lakip: lembar {META} tidak ada (petunjuk: buat "
                         "formulir dengan lakip format-data)")
    meta = {str(k).strip(): str(v).strip() for k, v, *_ in wb[META].iter_rows(max_col=2, values_only=True)
            if k and v is not None}
    form_, bidang, tahun, rel, sha = (meta.get(k, "") for k in META_KEYS)
    # The path is rebuilt, never trusted: a crafted form must not make lakip write elsewhere.
    why = (f"tidak ada: {', '.join(missing)}" if (missing := [k for k in META_KEYS if not meta.get(k)])
           else f"versi format {form_}, lakip ini membaca versi {FORMAT}" if form_ != str(FORMAT)
           else "bidang atau tahun tidak sah" if not (_BIDANG_ID(bidang) and _TAHUN(tahun))
           else f"berkas '{rel}' tidak sesuai bidang {bidang} tahun {tahun}"
           if rel != f"{CONTENT}/{tahun}/bidang/{bidang}.yaml"
           else "sidik jari SHA-256 tidak sah" if sha != TANPA_BERKAS and not _SHA(sha) else None)
    if why:
        raise UsageError(f"lembar {META} pada '{form.name}' rusak atau diubah ({why}); buat formulir "
                         "baru dengan lakip format-data")
    return bidang, int(tahun), rel, sha


def _baca(wb: Workbook, lembar: Lembar, dikenal: set[str], sekarang: dict,
          masalah: list[str]) -> dict[str, dict[str, Any]]:
    """The fill-in values of one sheet by row id, {id: {kunci: value}}; blank cells left out."""
    ws = wb[lembar.nama] if lembar.nama in wb.sheetnames else None
    moved = [f"{lembar.nama}: lembar tidak ada"] if ws is None else [
        f"{lembar.ref(c, HEADER_ROW)}: judul kolom \"{ws.cell(HEADER_ROW, c).value}\", seharusnya "
        f"\"{k.judul}\" (kolom tidak boleh disisipkan atau dipindah)"
        for c, k in enumerate(lembar.kolom, 1) if ws.cell(HEADER_ROW, c).value != k.judul]
    if moved:  # positions are no longer trustworthy: read nothing from this sheet
        masalah.extend(moved)
        return {}
    out, what = {}, lembar.kolom[0].judul
    for r in range(FIRST_ROW, ws.max_row + 1):
        key, filled = _teks_sel(ws.cell(r, 1).value), [
            (c, k, ws.cell(r, c)) for c, k in lembar.isian() if _teks_sel(ws.cell(r, c).value)]
        if key not in dikenal or key in out:
            if key or filled:  # a blank row is no problem; a filled one without its id is
                masalah.append(f"{lembar.ref(1, r)}: " + (
                    f"baris {r} diisi tetapi tidak punya {what}" if not key else f"{what} '{key}' muncul "
                    "dua kali" if key in out else f"{what} '{key}' tidak dikenal untuk bidang ini (sel "
                    "terkunci diubah?); buat formulir baru dengan lakip format-data"))
            continue
        out[key] = {}
        for c, kol, cell in filled:
            # "62,4%" typed in Excel is stored as 0.624 in a percent format: the user means 62.4.
            value = cell.value * 100 if "%" in cell.number_format and isinstance(
                cell.value, int | float) and not isinstance(cell.value, bool) else cell.value
            *parents, leaf = kol.kunci.split(".")
            cur = sekarang.get(key) or {}
            for part in parents:
                cur = cur.get(part) if isinstance(cur, dict) else None
                cur = {} if cur is None and kol.induk_baru else cur
            if cur is None:  # the locked cells of a sub kegiatan without keluaran, unlocked by hand
                masalah.append(f"{lembar.ref(c, r)}: {what} {key} tidak punya '{'.'.join(parents)}' "
                               f"di berkas YAML, jadi {kol.label} tidak dapat diisi di formulir")
                continue
            try:
                if (parsed := _nilai(kol, value, cur.get(leaf))) is not None:
                    out[key][kol.kunci] = parsed
            except ValueError as e:
                masalah.append(f"{lembar.ref(c, r)}: {e}")
    return out


def _teks_sel(value: Any) -> str:
    return "" if value is None else str(value).strip()  # "" for a blank cell, or only spaces


def _nilai(kol: Kolom, value: Any, current: Any) -> Any:
    """A filled cell as the YAML will hold it, or None to leave the value as it is. A ValueError
    says in Indonesian what is wrong with it."""
    if kol.isian == "teks":
        return str(value).replace("\r\n", "\n").strip()
    salah = f"{kol.label} harus angka, ditemukan"
    if isinstance(value, bool | dt.date | dt.time):  # TRUE/FALSE, or text Excel took for a date
        raise ValueError(f"{salah} {str(value).upper()}" if isinstance(value, bool) else
                         f"{salah} tanggal {value} (petunjuk: Excel membaca 1.5 sebagai tanggal; ketik 1,5)")
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits of a double; the rest is binary noise.
        d = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
    else:
        text = str(value).strip()
        if isinstance(current, str) and text == current.strip():
            return None  # a ratio such as "1:32", shown as the YAML has it and left alone
        t = re.sub(r"\s", "", text)  # \s covers the no-break space Excel pastes as well
        t = re.sub(r"^[Rr][Pp]\.?", "", t) if kol.isian == "bulat" else t
        if _TITIK_DESIMAL.match(t):
            raise ValueError(f"{kol.label} \"{text}\" memakai titik sebagai tanda desimal; di formulir ini "
                             f"koma = desimal dan titik = pemisah ribuan (tulis {t.replace('.', ',')})")
        try:
            d = parse_angka(t)
        except ValueError:
            raise ValueError(f"{salah} \"{text}\"") from None
    tampil = f"{d:,}".replace(",", "_").replace(".", ",").replace("_", ".")  # 1.234,5 as typed
    if not d.is_finite():
        raise ValueError(f"{salah} \"{value}\"")
    if kol.isian == "bulat" and d != d.to_integral_value():
        raise ValueError(f"{kol.label} harus bilangan bulat (rupiah tanpa sen), ditemukan {tampil}")
    if kol.nonnegatif and d < 0:
        raise ValueError(f"{kol.label} tidak boleh negatif, ditemukan {tampil}")
    return d


class _Representer(RoundTripRepresenter):
    """null as `null` (DESIGN's spelling), not empty; a subclass leaves ruamel's own one alone."""


_Representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer, yaml.preserve_quotes = _Representer, True
    yaml.width = 4096  # never re-wrap the long plain scalars (nama) that the file already has
    yaml.indent(mapping=2, sequence=4, offset=2)  # the sample files' `  - kode:` style
    return yaml


def _put(entry: CommentedMap, kunci: str, value: Any, urutan: tuple[str, ...]) -> bool:
    """Set one value unless it is equal already; True when the file changes. An existing key keeps
    its place, comments and scalar style; a new one goes where the schema's usual order puts it."""
    old = entry.get(kunci)
    if isinstance(value, Decimal):
        if isinstance(old, int | float) and not isinstance(old, bool) and Decimal(repr(old + 0)) == value:
            return False  # +0 turns ruamel's ScalarFloat into a float, whose repr is the digits
        new: Any = int(value) if value == value.to_integral_value() else float(str(value))
    elif isinstance(old, str) and old.split() == value.split():
        return False  # only line breaks or spacing differ: keep the file's wrapping
    else:
        new = _teks(value)
    before = urutan[:urutan.index(kunci)]
    if kunci in entry:
        entry[kunci] = new
    else:
        entry.insert(max((i + 1 for i, k in enumerate(entry) if k in before), default=0), kunci, new)
    return True


def _teks(text: str) -> str:
    """Long text as a block scalar: `|-` keeps the user's line breaks, `>-` folds at spaces."""
    if "\n" in text:
        return LiteralScalarString(text)
    if len(text) <= LIPAT:
        return text
    # Fold only at a single space between words: a line must not start with a space, which YAML
    # would keep as a literal line break.
    folds, start, prev = [], 0, -1
    for p in [*(x.start() for x in re.finditer(r"(?<=\S) (?=\S)", text)), len(text)]:
        if p - start > LIPAT + 8 and prev > start:
            folds.append(prev)
            start = prev + 1
        prev = p
    folded = FoldedScalarString(text)
    folded.fold_pos = folds
    return folded


def _tulis(root: Path, path: Path, data: bytes | None) -> None:
    """Replace the file atomically (a reader sees the old bytes or the new, never half), never
    through a symlink (store.write_file); None removes it: restoring a file that the import
    itself created."""
    if data is None:
        remove_file(root, path)
    else:
        write_file(root, path, data)


def _as_text(wb: Workbook) -> None:
    """Every text lakip writes is a string cell, never a formula: openpyxl would store an analisis
    that starts with '=' (`=HYPERLINK(...)`, a DDE payload) as a live formula (TOOLCHAIN.md)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    cell.data_type = "s"


# What a form lakip made can hold; anything beyond is refused before it is loaded.
BATAS_BARIS, BATAS_KOLOM = 5000, 40
BATAS_UKURAN = 20 * 1024 * 1024  # bytes, all parts of the .xlsx uncompressed


def _inspect(form: Path) -> None:
    """Read the sheets' XML as a stream (never the whole workbook) and refuse, with sheet and
    cell: a form whose parts exceed BATAS_UKURAN, a cell beyond BATAS_BARIS/BATAS_KOLOM (a 10 KB
    file with a cell at row 1,048,576 makes openpyxl take minutes and gigabytes), a formula without
    a cached value (openpyxl reads it as empty: the value typed would be silently lost).
    Raises UsageError."""
    import posixpath
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def refuse(why: str) -> UsageError:
        return UsageError(f"formulir '{form.name}' ditolak: {why} (petunjuk: buat formulir baru dengan "
                          "lakip format-data, isi hanya sel kuning, simpan sebagai .xlsx)")

    try:
        archive = zipfile.ZipFile(form)
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # load_workbook below gives the one message for every unreadable file
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > BATAS_UKURAN or len(infos) > 200:
            raise refuse(f"isinya lebih dari {BATAS_UKURAN // (1024 * 1024)} MB setelah dibuka")
        names = _sheet_names(archive)
        masalah: list[str] = []
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            sheet = names.get(posixpath.basename(info.filename), posixpath.basename(info.filename))
            cell = formula = value = None
            try:
                with archive.open(info) as stream:
                    for event, element in iterparse(stream, events=("start", "end")):
                        tag = element.tag.rpartition("}")[2]
                        if event == "start" and tag == "c":
                            cell, formula, value = element.get("r", ""), False, False
                            try:
                                letters, row = coordinate_from_string(cell)
                                column = column_index_from_string(letters)
                            except ValueError:
                                raise refuse(f"{sheet}: alamat sel '{cell[:20]}' tidak sah") from None
                            if row > BATAS_BARIS or column > BATAS_KOLOM:
                                raise refuse(f"lembar {sheet} berisi sel {sheet}!{cell}, jauh di luar "
                                             f"baris 1-{BATAS_BARIS} dan kolom 1-{BATAS_KOLOM} formulir")
                        elif event == "end" and tag == "f":
                            formula = True
                        elif event == "end" and tag == "v" and (element.text or "") != "":
                            value = True
                        elif event == "end" and tag == "c":
                            if formula and not value and len(masalah) < 20:
                                masalah.append(f"{sheet}!{cell}")
                            element.clear()
            except (ParseError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
                raise refuse(f"lembar {sheet} rusak") from None
        if masalah:
            raise refuse("sel berisi rumus tanpa nilai tersimpan (buka dan simpan ulang di Excel atau "
                         "LibreOffice, atau ketik angkanya langsung): " + ", ".join(masalah))


def _sheet_names(archive) -> dict[str, str]:
    """worksheet file name (sheet1.xml) -> the sheet's name (Realisasi), from workbook.xml."""
    from xml.etree.ElementTree import ParseError, fromstring

    try:
        book = fromstring(archive.read("xl/workbook.xml")[:2_000_000])
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels")[:2_000_000])
    except (KeyError, ParseError, OSError, RuntimeError):
        return {}
    targets = {r.get("Id"): (r.get("Target") or "").rpartition("/")[2] for r in rels}
    found = {}
    for element in book.iter():
        if element.tag.rpartition("}")[2] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                found[targets[rid]] = element.get("name", "")
    return found
