"""The step-4 Excel form: `write_form` and `import_form` on a copy of the sample office.

Cells are filled with openpyxl the way a user fills them in Excel; the assertions look at the YAML
file itself (bytes, comments, key order) as well as at what load_repo reads back from it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from generator.cli.main import exit_code
from generator.data.errors import LakipError, galat
from generator.data.load import load_repo
from generator.workflow import excel
from generator.workflow.excel import FormError, import_form, write_form

KOPERASI = "content/2025/bidang/koperasi.yaml"
ANALISIS = ("Jumlah koperasi aktif naik menjadi 490 unit karena 40 koperasi baru berbadan hukum dan "
            "pendampingan RAT di sepuluh kecamatan berjalan sesuai rencana aksi triwulanan.")


def make_form(repo: Path, bidang: str = "koperasi") -> Path:
    return write_form(repo, bidang, 2025, repo.parent / f"{bidang}.xlsx")


def fill(form: Path, sheet: str, cells: dict[str, object]) -> None:
    wb = load_workbook(form)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(form)


def realisasi(repo: Path, bidang: str = "koperasi"):
    loaded, _ = load_repo(repo)
    return next(d for d in loaded.find_tahun(2025).bidang if d.bidang == bidang)


def key_paths(node, prefix: str = "") -> list[str]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in [f"{prefix}/{k}", *key_paths(v, f"{prefix}/{k}")]]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in key_paths(v, f"{prefix}/{i}")]
    return []


def refused(repo: Path, form: Path) -> LakipError:
    before = (repo / KOPERASI).read_bytes()
    with pytest.raises(LakipError) as e:
        import_form(repo, form)
    assert (repo / KOPERASI).read_bytes() == before, "a refused import must not touch the YAML"
    return e.value


# ---------------------------------------------------------------- the form


def test_form_shows_the_bidang_data_and_locks_all_but_the_fill_in_cells(sample: Path) -> None:
    wb = load_workbook(make_form(sample))
    assert wb.sheetnames == ["Petunjuk", "Realisasi", "Anggaran", "_lakip"]
    assert wb["_lakip"].sheet_state == "veryHidden"
    meta = dict(wb["_lakip"].iter_rows(values_only=True))
    assert meta == {"format": 1, "bidang": "koperasi", "tahun": 2025, "berkas": KOPERASI,
                    "sha256": hashlib.sha256((sample / KOPERASI).read_bytes()).hexdigest()}
    assert "Langkah 4 SOP (Format Data)" in wb["Petunjuk"]["A3"].value

    ws = wb["Realisasi"]
    assert [ws.cell(5, c).value for c in range(1, 6)] == [
        "IKU-1", "Persentase koperasi aktif", "persen", "positif", 63]
    assert (ws["A6"].value, ws["F5"].value, ws["F6"].value) == ("IKU-2", 62.4, 39.54)
    assert ws["G5"].value.startswith("Jumlah koperasi aktif naik dari 462")
    assert ws["A7"].value is None
    assert ws["D4"].font.b and ws.freeze_panes == "B5" and ws.protection.sheet
    for ref in ("A4", "F4", "A5", "E5", "E6"):
        assert ws[ref].protection.locked, ref
    for ref in ("F5", "G5", "H5", "F6", "G6", "H6"):
        assert not ws[ref].protection.locked, ref

    ws = wb["Anggaran"]
    assert [ws.cell(5, c).value for c in (1, 3, 4, 7, 8)] == [
        "2.17.03.2.01.0003", 145000000, 138650000, 60, 60]
    assert ws["A9"].value == "2.17.06.2.01.0003" and ws["A10"].value is None
    assert ws.protection.sheet
    for ref in ("C4", "D4", "A5", "C5", "G9", "E7"):
        assert ws[ref].protection.locked, ref
    for ref in ("D5", "H5", "D9", "H9"):
        assert not ws[ref].protection.locked, ref


def test_numeric_fill_in_cells_carry_data_validation(sample: Path) -> None:
    wb = load_workbook(make_form(sample))
    found = {(name, str(dv.sqref)): (dv.type, dv.operator, dv.formula1, dv.error)
             for name in ("Realisasi", "Anggaran")
             for dv in wb[name].data_validations.dataValidation}
    assert found == {
        ("Realisasi", "F5:F6"): ("decimal", "between", "-1000000000000000",
                                 "Nilai realisasi harus angka."),
        **{("Realisasi", f"{col}5:{col}6"): ("decimal", "between", "-1000000000000000",
                                            f"Realisasi triwulan {tw} harus angka.")
           for col, tw in (("I", "I"), ("J", "II"), ("K", "III"), ("L", "IV"))},
        ("Anggaran", "D5:D9"): ("whole", "greaterThanOrEqual", "0",
                                "Realisasi anggaran harus bilangan bulat yang tidak negatif."),
        ("Anggaran", "H5:H9"): ("decimal", "greaterThanOrEqual", "0",
                                "Realisasi keluaran harus angka yang tidak negatif."),
    }


def test_unknown_bidang_and_year_are_usage_errors(sample: Path, tmp_path: Path) -> None:
    with pytest.raises(LakipError) as e:
        write_form(sample, "koprasi", None, tmp_path / "f.xlsx")
    assert (e.value.pesan, exit_code(e.value)) == (
        "bidang 'koprasi' tidak ada di content/instansi.yaml (petunjuk: maksudnya 'koperasi'?)", 2)
    with pytest.raises(LakipError) as e:
        write_form(sample, "koperasi", 2031, tmp_path / "f.xlsx")
    assert e.value.pesan == "folder content/2031/ tidak ada; tahun yang ada: 2024, 2025"
    with pytest.raises(LakipError) as e:
        import_form(sample, sample / KOPERASI)
    assert (e.value.pesan, exit_code(e.value)) == (
        f"formulir '{sample / KOPERASI}' tidak dapat dibuka: bukan berkas Excel (.xlsx) atau berkasnya "
        "rusak", 2)


def test_no_form_is_made_from_a_bidang_file_that_cannot_be_read(sample: Path) -> None:
    path = sample / KOPERASI
    path.write_text(path.read_text(encoding="utf-8").replace("nilai: 62.40", "nilai: [62.40]"),
                    encoding="utf-8")
    with pytest.raises(LakipError) as e:
        make_form(sample)
    assert e.value.pesan.startswith(f"berkas {KOPERASI} belum dapat dibaca; perbaiki dulu:\n  {KOPERASI}:5:")
    assert not (sample.parent / "koperasi.xlsx").exists()


# ---------------------------------------------------------------- importing


def test_round_trip_changes_the_values_and_keeps_comments_and_key_order(sample: Path) -> None:
    path = sample / KOPERASI
    text = path.read_text(encoding="utf-8")
    text = text.replace("    nilai: 39.54\n", "    nilai: 39.54  # angka sementara\n")
    text = text.replace("sub_kegiatan:\n", "# Anggaran setelah APBD Perubahan.\nsub_kegiatan:\n")
    path.write_text(text, encoding="utf-8")
    form = make_form(sample)
    fill(form, "Realisasi", {"F5": 64.1, "G5": ANALISIS, "H6": "Memperluas RAT kolektif."})
    fill(form, "Anggaran", {"D5": 140000000, "H9": 19})

    result = import_form(sample, form)

    assert result.path == path and result.issues == []
    assert result.changed_fields == [
        "realisasi.IKU-1.nilai", "realisasi.IKU-1.analisis", "realisasi.IKU-2.solusi",
        "sub_kegiatan[2.17.03.2.01.0003].realisasi", "sub_kegiatan[2.17.06.2.01.0003].keluaran.realisasi"]
    after = path.read_text(encoding="utf-8")
    comments = [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) == 2 and all(c in after for c in comments)
    assert "    nilai: 39.54  # angka sementara\n" in after
    assert key_paths(yaml.safe_load(after)) == key_paths(yaml.safe_load(text))
    assert "    nilai: 64.1\n" in after
    assert "    analisis: >-\n      Jumlah koperasi aktif naik menjadi 490" in after  # folded, as before
    assert "    solusi: >-\n      Memperluas RAT kolektif.\n" in after  # a key keeps its style
    data = realisasi(sample)
    iku1, iku2 = data.realisasi
    assert (str(iku1.nilai), iku1.analisis, iku2.solusi) == ("64.1", ANALISIS, "Memperluas RAT kolektif.")
    assert data.sub_kegiatan[0].realisasi == 140000000
    assert data.sub_kegiatan[4].keluaran.realisasi == 19
    # The file differs from the original in the filled-in values only.
    expected = re.sub(r"      Jumlah koperasi aktif naik dari.*?terdaftar\.\n",
                      "      Jumlah koperasi aktif naik menjadi 490 unit karena 40 koperasi baru "
                      "berbadan hukum dan\n      pendampingan RAT di sepuluh kecamatan berjalan "
                      "sesuai rencana aksi triwulanan.\n", text, flags=re.S)
    expected = re.sub(r"      Melanjutkan RAT.*?baku\.\n", "      Memperluas RAT kolektif.\n", expected,
                      flags=re.S)
    expected = expected.replace("nilai: 62.40", "nilai: 64.1").replace(
        "realisasi: 138650000", "realisasi: 140000000").replace("realisasi: 18\n", "realisasi: 19\n")
    assert after == expected


def test_an_untouched_form_changes_nothing(sample: Path) -> None:
    before = (sample / KOPERASI).read_bytes()
    result = import_form(sample, make_form(sample))
    assert result.changed_fields == []
    assert (sample / KOPERASI).read_bytes() == before


def test_a_partly_filled_form_keeps_every_other_value(sample: Path) -> None:
    text = (sample / KOPERASI).read_text(encoding="utf-8")
    form = make_form(sample)
    wb = load_workbook(form)
    for ws in (wb["Realisasi"], wb["Anggaran"]):  # the bidang empties what it has not got yet
        for row in ws.iter_rows(min_row=5):
            for cell in row:
                if not cell.protection.locked:
                    cell.value = None
    wb["Anggaran"]["D6"] = 205000000
    wb.save(form)

    assert import_form(sample, form).changed_fields == ["sub_kegiatan[2.17.03.2.01.0004].realisasi"]
    assert (sample / KOPERASI).read_text(encoding="utf-8") == text.replace(
        "realisasi: 201300000", "realisasi: 205000000")


def test_indonesian_text_numbers_are_read_with_comma_as_decimal(sample: Path) -> None:
    form = make_form(sample)
    fill(form, "Realisasi", {"F5": "64,25", "F6": " 1.234,5 "})
    fill(form, "Anggaran", {"D5": "140.000.000", "D6": "Rp 205.000.000", "H5": "59"})
    import_form(sample, form)
    data = realisasi(sample)
    assert [str(r.nilai) for r in data.realisasi] == ["64.25", "1234.5"]
    assert [s.realisasi for s in data.sub_kegiatan[:2]] == [140000000, 205000000]
    assert data.sub_kegiatan[0].keluaran.realisasi == 59


def test_an_invalid_number_names_sheet_and_cell(sample: Path) -> None:
    form = make_form(sample)
    fill(form, "Realisasi", {"F5": "tujuh puluh"})
    e = refused(sample, form)
    assert isinstance(e, FormError)
    assert e.masalah == ['Realisasi!F5: nilai realisasi harus angka, ditemukan "tujuh puluh"']
    assert e.pesan == ("formulir koperasi.xlsx berisi 1 kesalahan; berkas YAML tidak diubah:\n"
                       '  Realisasi!F5: nilai realisasi harus angka, ditemukan "tujuh puluh"')


def test_all_bad_cells_are_reported_at_once(sample: Path) -> None:
    form = make_form(sample)
    fill(form, "Realisasi", {"F5": "62.4", "G5": "Analisis baru", "F6": True})
    fill(form, "Anggaran", {"D5": 1.5, "D6": -5, "H7": "tiga puluh", "A9": "2.17.06.2.01.0099"})
    e = refused(sample, form)
    assert e.masalah == [
        'Realisasi!F5: nilai realisasi "62.4" memakai titik sebagai tanda desimal; di formulir ini '
        "koma = desimal dan titik = pemisah ribuan (tulis 62,4)",
        "Realisasi!F6: nilai realisasi harus angka, ditemukan TRUE",
        "Anggaran!D5: realisasi anggaran harus bilangan bulat (rupiah tanpa sen), ditemukan 1,5",
        "Anggaran!D6: realisasi anggaran tidak boleh negatif, ditemukan -5",
        'Anggaran!H7: realisasi keluaran harus angka, ditemukan "tiga puluh"',
        "Anggaran!A9: Kode Sub Kegiatan '2.17.06.2.01.0099' tidak dikenal untuk bidang ini "
        "(sel terkunci diubah?); buat formulir baru dengan lakip format-data",
    ]


def test_a_moved_column_is_refused(sample: Path) -> None:
    form = make_form(sample)
    wb = load_workbook(form)
    wb["Realisasi"].insert_cols(2)
    wb.save(form)
    assert refused(sample, form).masalah[0] == (
        'Realisasi!B4: judul kolom "None", seharusnya "Uraian Indikator" (kolom tidak boleh '
        "disisipkan atau dipindah)")


def test_a_yaml_changed_since_the_form_was_made_is_refused(sample: Path) -> None:
    form = make_form(sample)
    old = hashlib.sha256((sample / KOPERASI).read_bytes()).hexdigest()
    with (sample / KOPERASI).open("a", encoding="utf-8") as f:
        f.write("# diperbaiki Tim Kerja\n")
    new = hashlib.sha256((sample / KOPERASI).read_bytes()).hexdigest()
    fill(form, "Realisasi", {"F5": 64.1})
    e = refused(sample, form)
    assert e.pesan == (
        f"berkas {KOPERASI} sudah berubah sejak formulir dibuat (SHA-256 saat itu {old[:12]}, "
        f"sekarang {new[:12]}); buat formulir baru dengan lakip format-data --bidang koperasi "
        "--tahun 2025, lalu salin isian dari koperasi.xlsx")


def test_a_result_that_fails_validation_restores_the_original_bytes(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_validate = excel.validate

    def strict(repo):  # a rule that rejects the imported value, as a future rule might
        iku1 = next(d for d in repo.find_tahun(2025).bidang if d.bidang == "koperasi").realisasi[0]
        extra = [galat(iku1.nilai_loc, "uji", "nilai ditolak")] if str(iku1.nilai) == "64.1" else []
        return real_validate(repo) + extra

    monkeypatch.setattr(excel, "validate", strict)
    form = make_form(sample)
    fill(form, "Realisasi", {"F5": 64.1})
    e = refused(sample, form)
    assert e.pesan == ("hasil impor koperasi.xlsx tidak valid, jadi content/2025/bidang/koperasi.yaml "
                       "dikembalikan seperti semula:\n"
                       "  content/2025/bidang/koperasi.yaml:5:12: galat: nilai ditolak")
    assert not list((sample / KOPERASI).parent.glob(".*tmp"))


def test_a_tampered_hidden_sheet_is_refused(sample: Path) -> None:
    form = make_form(sample)
    wb = load_workbook(form)
    wb["_lakip"]["B4"] = "../../sop/personil.yaml"
    wb.save(form)
    e = refused(sample, form)
    assert e.pesan == ("lembar _lakip pada 'koperasi.xlsx' rusak atau diubah (berkas "
                       "'../../sop/personil.yaml' tidak sesuai bidang koperasi tahun 2025); buat "
                       "formulir baru dengan lakip format-data")
    del wb["_lakip"]
    wb.save(form)
    assert refused(sample, form).pesan.startswith("'koperasi.xlsx' bukan formulir lakip")


def test_a_new_bidang_file_is_created_with_every_indikator(sample: Path) -> None:
    (sample / KOPERASI).unlink()
    form = make_form(sample)
    wb = load_workbook(form)
    assert wb["Anggaran"]["A5"].value is None and "Belum ada sub kegiatan" in wb["Anggaran"]["A3"].value
    fill(form, "Realisasi", {"F5": 64.1, "H6": "Baris\nkedua"})
    result = import_form(sample, form)
    assert (sample / KOPERASI).read_text(encoding="utf-8") == (
        "# Data bidang koperasi tahun 2025, dibuat dari formulir Excel.\n"
        "bidang: koperasi\n"
        "realisasi:\n"
        "  IKU-1:\n"
        "    nilai: 64.1\n"
        "  IKU-2:\n"
        "    nilai: null\n"
        "    solusi: |-\n"
        "      Baris\n"
        "      kedua\n")
    assert [i.kode for i in result.issues] == ["realisasi-belum-tersedia"]


def test_a_percent_typed_in_excel_is_read_as_the_number_shown(sample: Path) -> None:
    form = make_form(sample)
    wb = load_workbook(form)
    wb["Realisasi"]["F5"] = 0.641  # what Excel stores when a user types 64,1%
    wb["Realisasi"]["F5"].number_format = "0.0%"
    wb.save(form)
    import_form(sample, form)
    assert str(realisasi(sample).realisasi[0].nilai) == "64.1"


def test_a_sub_kegiatan_without_keluaran_keeps_its_keluaran_cell_locked(sample: Path) -> None:
    path = sample / KOPERASI
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(    realisasi: 138650000\n)    keluaran:\n(      .*\n)+", r"\1", text, count=1),
                    encoding="utf-8")
    form = make_form(sample)
    wb = load_workbook(form)
    assert wb["Anggaran"]["H5"].value is None and wb["Anggaran"]["H5"].protection.locked
    assert not wb["Anggaran"]["H6"].protection.locked
    fill(form, "Anggaran", {"H5": 60})  # as if someone lifted the sheet protection
    before = path.read_bytes()
    with pytest.raises(FormError) as e:
        import_form(sample, form)
    assert e.value.masalah == ["Anggaran!H5: Kode Sub Kegiatan 2.17.03.2.01.0003 tidak punya 'keluaran' di "
                               "berkas YAML, jadi realisasi keluaran tidak dapat diisi di formulir"]
    assert path.read_bytes() == before


def test_old_problems_do_not_block_an_import_and_a_ratio_is_left_alone(sample: Path) -> None:
    path = sample / KOPERASI
    path.write_text(path.read_text(encoding="utf-8").replace("nilai: 62.40", 'nilai: "1:32"'),
                    encoding="utf-8")
    form = make_form(sample)
    assert load_workbook(form)["Realisasi"]["F5"].value == "1:32"
    fill(form, "Realisasi", {"F6": 40})
    result = import_form(sample, form)  # the file already had a galat; the import adds none
    assert result.changed_fields == ["realisasi.IKU-2.nilai"]
    assert [i.kode for i in result.issues] == ["capaian-tidak-ada"]
    assert 'nilai: "1:32"' in path.read_text(encoding="utf-8")
    assert "    nilai: 40\n" in path.read_text(encoding="utf-8")


def test_quarterly_realisasi_columns_round_trip(sample: Path) -> None:
    """The rencana aksi columns show what the bidang reported; a quarter typed in is written into
    `realisasi_triwulan` (created where the indikator had none), the rest of the file unchanged."""
    form = make_form(sample)
    wb = load_workbook(form)
    ws = wb["Realisasi"]
    assert [ws.cell(4, c).value for c in range(9, 13)] == [
        "Realisasi TW I", "Realisasi TW II", "Realisasi TW III", "Realisasi TW IV"]
    assert [ws.cell(5, c).value for c in range(9, 13)] == [61.5, 61.9, 62.1, 62.4]  # IKU-1
    ws["J5"] = "62,05"
    wb.save(form)
    path = sample / "content/2025/bidang/koperasi.yaml"
    before = path.read_text(encoding="utf-8")
    result = import_form(sample, form)
    assert result.changed_fields == ["realisasi.IKU-1.realisasi_triwulan.tw2"]
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("{tw1: 61.5, tw2: 61.9, tw3: 62.1,", "{tw1: 61.5, tw2: 62.05, tw3: 62.1,")


def test_a_first_quarter_creates_realisasi_triwulan(sample: Path) -> None:
    form = make_form(sample, "ukm")
    wb = load_workbook(form)
    ws = wb["Realisasi"]
    assert ws["A5"].value == "IKU-3" and ws["I5"].value is None
    ws["I5"] = 9.5
    wb.save(form)
    import_form(sample, form)
    text = (sample / "content/2025/bidang/ukm.yaml").read_text(encoding="utf-8")
    assert "  IKU-3:\n    nilai: 38.87\n    realisasi_triwulan:\n      tw1: 9.5\n    analisis: >-\n" in text
