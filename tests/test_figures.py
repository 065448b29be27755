"""Figures (DESIGN §4): every formula with exact values, then `compute` on the sample office.

Expected values on the sample are computed by hand from content/ in the comments next to them, so
a change in the data or in a formula shows up here as a number a reader can recheck.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal, localcontext

import pytest

from generator.data import model as m
from generator.data.load import load_repo
from generator.figures.capaian import (
    BELUM_TERSEDIA,
    BUKAN_ANGKA,
    TARGET_TIDAK_ADA,
    TIDAK_DAPAT_DIHITUNG,
    CapaianIndikator,
    Figures,
    compute,
    efisiensi,
    figures_json,
    hitung_capaian,
    kategori,
    rata_rata,
    serapan,
)
from tests.conftest import ROOT

D = Decimal
BAIK = (
    m.Kategori("Sangat Baik", D(90)),
    m.Kategori("Baik", D(75)),
    m.Kategori("Cukup", D(65)),
    m.Kategori("Kurang", D(50)),
    m.Kategori("Sangat Kurang", None),
)


@pytest.fixture(scope="module")
def repo() -> m.Repo:
    loaded, issues = load_repo(ROOT)
    assert issues == []
    return loaded


# ---------------------------------------------------------------- helpers: the sample changed in memory


def _with_year(repo: m.Repo, year: m.Tahun) -> m.Repo:
    return replace(repo, tahun=tuple(year if t.tahun == year.tahun else t for t in repo.tahun))


def with_realisasi(repo: m.Repo, tahun: int, ind: str, **changes) -> m.Repo:
    year = repo.find_tahun(tahun)
    bidang = tuple(replace(b, realisasi=tuple(replace(r, **changes) if r.indikator == ind else r
                                               for r in b.realisasi)) for b in year.bidang)
    return _with_year(repo, replace(year, bidang=bidang))


def without_realisasi(repo: m.Repo, tahun: int, ind: str) -> m.Repo:
    year = repo.find_tahun(tahun)
    bidang = tuple(replace(b, realisasi=tuple(r for r in b.realisasi if r.indikator != ind))
                   for b in year.bidang)
    return _with_year(repo, replace(year, bidang=bidang))


def with_target(repo: m.Repo, tahun: int, ind: str, nilai: Decimal) -> m.Repo:
    year = repo.find_tahun(tahun)
    target = tuple(replace(t, nilai=nilai) if t.id == ind else t for t in year.pk.target)
    return _with_year(repo, replace(year, pk=replace(year.pk, target=target)))


def with_sub_kegiatan(repo: m.Repo, tahun: int, kode: str, **changes) -> m.Repo:
    year = repo.find_tahun(tahun)
    bidang = tuple(replace(b, sub_kegiatan=tuple(replace(s, **changes) if s.kode == kode else s
                                                  for s in b.sub_kegiatan)) for b in year.bidang)
    return _with_year(repo, replace(year, bidang=bidang))


def with_indikator(repo: m.Repo, renstra: str, ind: str, **changes) -> m.Repo:
    def fix(r: m.Renstra) -> m.Renstra:
        if r.nama != renstra:
            return r
        return replace(r, tujuan=tuple(replace(t, sasaran=tuple(replace(s, indikator=tuple(
            replace(i, **changes) if i.id == ind else i for i in s.indikator)) for s in t.sasaran))
            for t in r.tujuan))
    return replace(repo, renstra=tuple(fix(r) for r in repo.renstra))


def indikator(f: Figures, ind: str) -> CapaianIndikator:
    return next(i for i in f.indikator if i.id == ind)


# ---------------------------------------------------------------- hitung_capaian


def test_positif_is_realisasi_over_target():
    # 57.2 / 58 × 100 = 98.6206... -> 98.62
    assert hitung_capaian(D("57.2"), D(58), "positif") == (D("98.62"), None)
    assert hitung_capaian(58, 58, "positif") == (D("100.00"), None)


def test_negatif_is_two_target_minus_realisasi_over_target():
    # (2 × 44 − 39.54) / 44 × 100 = 48.46 / 44 × 100 = 110.1363... -> 110.14
    assert hitung_capaian(D("39.54"), D(44), "negatif") == (D("110.14"), None)
    # worse than twice the target goes below zero, and is reported as such
    assert hitung_capaian(D(25), D(10), "negatif") == (D("-50.00"), None)


def test_rounding_is_half_up_not_half_even():
    # 0.01 / 8 × 100 = 0.125 exactly: half-up 0.13 (half-even would give 0.12)
    assert hitung_capaian(D("0.01"), D(8), "positif") == (D("0.13"), None)
    # (16 − 15.99) / 8 × 100 = 0.125
    assert hitung_capaian(D("15.99"), D(8), "negatif") == (D("0.13"), None)


def test_result_does_not_depend_on_the_callers_decimal_context():
    with localcontext() as ctx:
        ctx.prec = 3
        assert hitung_capaian(D("39.54"), D(44), "negatif") == (D("110.14"), None)
        assert rata_rata([D("99.05"), D("110.14")]) == D("104.60")
        assert serapan(13_219_949_900, 13_807_100_000) == D("95.75")
        assert efisiensi(D("81.84"), D("89.18")) == D("0.92")


def test_capaian_above_100_is_not_capped():
    # 91.21 / 76 × 100 = 120.0131... -> 120.01
    assert hitung_capaian(D("91.21"), D(76), "positif") == (D("120.01"), None)


def test_t_over_r_variant_whatever_the_polaritas():
    assert hitung_capaian(D(8), D(10), "positif", "T/R") == (D("125.00"), None)
    assert hitung_capaian(D(8), D(10), "negatif", "T/R") == (D("125.00"), None)
    # 32 / 30 × 100 = 106.666... -> 106.67
    assert hitung_capaian(D(30), D(32), "positif", "T/R") == (D("106.67"), None)


def test_zero_target_or_zero_realisasi_with_t_over_r_cannot_be_computed():
    assert hitung_capaian(D(5), D(0), "positif") == (None, "tidak dapat dihitung: target nol")
    assert hitung_capaian(D(5), D(0), "negatif") == (None, "tidak dapat dihitung: target nol")
    assert hitung_capaian(D(5), D(0), "positif", "T/R") == (None, "tidak dapat dihitung: target nol")
    assert hitung_capaian(D(0), D(5), "positif", "T/R") == (None, "tidak dapat dihitung: realisasi nol")
    assert hitung_capaian(D(0), D(5), "positif") == (D("0.00"), None)  # R/T: zero realisasi is 0%
    assert TIDAK_DAPAT_DIHITUNG == "tidak dapat dihitung"


def test_missing_realisasi_or_target_or_text_realisasi():
    assert hitung_capaian(None, D(58), "positif") == (None, "belum tersedia")
    assert hitung_capaian(None, None, "positif") == (None, BELUM_TERSEDIA)
    assert hitung_capaian(D(5), None, "positif") == (None, "target tidak ada")
    assert hitung_capaian("1:32", D(30), "positif") == (None, BUKAN_ANGKA)


# ---------------------------------------------------------------- kategori, serapan, mean, efisiensi


@pytest.mark.parametrize(("capaian", "label"), [
    ("120.01", "Sangat Tinggi"), ("100", "Sangat Tinggi"), ("90.01", "Sangat Tinggi"), ("90", "Tinggi"),
    ("75.01", "Tinggi"), ("75", "Sedang"), ("65.01", "Sedang"), ("65", "Rendah"), ("50.01", "Rendah"),
    ("50", "Sangat Rendah"), ("0", "Sangat Rendah"), ("-50", "Sangat Rendah"),
])
def test_kategori_bands_are_strictly_above(capaian, label):
    assert kategori(D(capaian)) == label


def test_kategori_none_and_custom_scale():
    assert kategori(None) is None
    assert [kategori(D(c), BAIK) for c in ("90.01", "90", "75", "65", "50")] == [
        "Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang"]
    # a scale without an open last band leaves a capaian below it unclassified
    assert kategori(D(10), BAIK[:2]) is None


def test_serapan():
    # 332,500,000 / 350,000,000 × 100 = 95
    assert serapan(332_500_000, 350_000_000) == D("95.00")
    assert serapan(1, 800) == D("0.13")  # 0.125, half-up
    assert serapan(0, 350_000_000) == D("0.00")
    assert serapan(5, 0) is None
    assert serapan(None, 350_000_000) is None


def test_rata_rata_ignores_unknown_values():
    assert rata_rata([D("0.12"), D("0.13")]) == D("0.13")  # 0.125, half-up
    assert rata_rata([D("99.05"), None, D("110.14")]) == D("104.60")
    assert rata_rata([None]) is None
    assert rata_rata([]) is None


def test_efisiensi():
    # 104.60 / 92.00 = 1.1369... -> 1.14 ; 81.84 / 89.18 = 0.9176... -> 0.92
    assert efisiensi(D("104.60"), D("92.00")) == D("1.14")
    assert efisiensi(D("81.84"), D("89.18")) == D("0.92")
    assert efisiensi(D(95), D(95)) == D("1.00")
    assert efisiensi(None, D(95)) is None
    assert efisiensi(D(95), None) is None
    assert efisiensi(D(95), D(0)) is None


# ---------------------------------------------------------------- compute on the sample office


def test_sample_2025_capaian(repo):
    f = compute(repo, 2025)
    assert f.tahun == 2025 and f.renstra == "2025-2029"
    assert [i.id for i in f.indikator] == [f"IKU-{n}" for n in range(1, 9)]  # Renstra order
    # IKU-4 (ukm.yaml nilai 91.21, PK target 76): 91.21 / 76 × 100 = 120.0131... -> 120.01
    iku4 = indikator(f, "IKU-4")
    assert (iku4.target, iku4.realisasi, iku4.capaian, iku4.kategori) == (
        D(76), D("91.21"), D("120.01"), "Sangat Tinggi")
    # IKU-2 negatif (koperasi.yaml 39.54, target 44): (88 − 39.54) / 44 × 100 = 110.1363... -> 110.14
    iku2 = indikator(f, "IKU-2")
    assert (iku2.polaritas, iku2.capaian, iku2.kategori) == ("negatif", D("110.14"), "Sangat Tinggi")
    # IKU-5 (perindustrian.yaml 2.39, target 3.5): 2.39 / 3.5 × 100 = 68.2857... -> 68.29
    iku5 = indikator(f, "IKU-5")
    assert (iku5.capaian, iku5.kategori, iku5.keterangan, iku5.dinyatakan) == (
        D("68.29"), "Sedang", None, False)
    assert iku5.bidang == "perindustrian" and iku5.sasaran == "S3"
    assert iku5.bukti == ("bukti/perindustrian/iku-5-rekap-jumlah-ikm.csv",
                          "bukti/perindustrian/notulen-evaluasi-sentra-ikm-2025.md")
    assert iku5.analisis.startswith("Jumlah IKM hanya bertambah 104 unit")
    assert iku5.target_renstra == D("3.5")


def test_sample_2025_sasaran_means(repo):
    f = compute(repo, 2025)
    got = {s.id: (s.capaian, s.kategori, tuple(i.id for i in s.indikator)) for s in f.sasaran}
    assert got == {
        # IKU-1 62.40 / 63 = 99.05; (99.05 + 110.14) / 2 = 104.595 -> 104.60
        "S1": (D("104.60"), "Sangat Tinggi", ("IKU-1", "IKU-2")),
        # IKU-3 38.87 / 38 = 102.29; (102.29 + 120.01) / 2 = 111.15
        "S2": (D("111.15"), "Sangat Tinggi", ("IKU-3", "IKU-4")),
        # IKU-6 (78 − 40.80) / 39 = 95.38; (68.29 + 95.38) / 2 = 81.835 -> 81.84
        "S3": (D("81.84"), "Tinggi", ("IKU-5", "IKU-6")),
        # IKU-7 70.35 / 70 = 100.50; IKU-8 83.15 / 82 = 101.40; mean 100.95
        "S4": (D("100.95"), "Sangat Tinggi", ("IKU-7", "IKU-8")),
    }
    assert [s.tujuan for s in f.sasaran] == ["T1", "T1", "T2", "T3"]


def test_previous_year_from_the_earlier_year_folder(repo):
    iku2 = indikator(compute(repo, 2025), "IKU-2")
    # 2024: realisasi 47.19, PK 2024 target 46, negatif: (92 − 47.19) / 46 × 100 = 97.4130... -> 97.41
    assert iku2.tahun_lalu == ((2024, D("47.19"), D("97.41")),)
    # 2024: 72.43 / 72 × 100 = 100.597... -> 100.60
    assert indikator(compute(repo, 2025), "IKU-4").tahun_lalu == ((2024, D("72.43"), D("100.60")),)


def test_previous_year_falls_back_to_kondisi_awal(repo):
    # no 2023 folder: 2024 compares with the 2021-2024 Renstra's kondisi_awal (2020, 52.8)
    assert indikator(compute(repo, 2024), "IKU-1").tahun_lalu == ((2020, D("52.8"), None),)
    # without the 2024 folder, 2025 uses the 2025-2029 Renstra's kondisi_awal (2024, 61.52)
    only_2025 = replace(repo, tahun=tuple(t for t in repo.tahun if t.tahun == 2025))
    assert indikator(compute(only_2025, 2025), "IKU-1").tahun_lalu == ((2024, D("61.52"), None),)
    no_awal = with_indikator(only_2025, "2025-2029", "IKU-1", kondisi_awal=None)
    assert indikator(compute(no_awal, 2025), "IKU-1").tahun_lalu == ()


def test_capaian_against_renstra_end_target(repo):
    f = compute(repo, 2025)
    iku1 = indikator(f, "IKU-1")
    # 62.40 / target 2029 71 × 100 = 87.887... -> 87.89
    assert (iku1.target_akhir, iku1.tahun_akhir, iku1.capaian_akhir) == (D(71), 2029, D("87.89"))
    # negatif: (2 × 32 − 39.54) / 32 × 100 = 76.4375 -> 76.44
    assert indikator(f, "IKU-2").capaian_akhir == D("76.44")
    # IKU-4 already passed its 2029 target 90: 91.21 / 90 × 100 = 101.344... -> 101.34
    assert indikator(f, "IKU-4").capaian_akhir == D("101.34")


def test_capaian_against_national_standard(repo):
    f = compute(repo, 2025)
    iku8 = indikator(f, "IKU-8")
    # 83.15 / 76.61 × 100 = 108.536... -> 108.54
    assert (iku8.standar_nasional, iku8.capaian_standar) == (D("76.61"), D("108.54"))
    assert iku8.standar_sumber.startswith("Peraturan Menteri PANRB Nomor 14 Tahun 2017")
    iku1 = indikator(f, "IKU-1")
    assert (iku1.standar_nasional, iku1.standar_sumber, iku1.capaian_standar) == (None, None, None)


def test_text_realisasi_with_capaian_stated_by_the_bidang(repo):
    changed = with_realisasi(repo, 2025, "IKU-7", nilai="1:32", capaian=D("95.5"),
                             catatan="rasio pegawai terhadap layanan; capaian dihitung manual")
    f = compute(changed, 2025)
    iku7 = indikator(f, "IKU-7")
    assert (iku7.realisasi, iku7.capaian, iku7.kategori, iku7.dinyatakan, iku7.keterangan) == (
        "1:32", D("95.50"), "Sangat Tinggi", True, "rasio pegawai terhadap layanan; capaian dihitung manual")
    assert (iku7.capaian_akhir, iku7.capaian_standar) == (None, None)  # no formula for a ratio
    # S4 = (95.50 + 101.40) / 2 = 98.45
    assert next(s for s in f.sasaran if s.id == "S4").capaian == D("98.45")
    assert json.loads(json.dumps(figures_json(f)))["indikator"][6]["realisasi"] == "1:32"


def test_text_realisasi_without_stated_capaian(repo):
    iku7 = indikator(compute(with_realisasi(repo, 2025, "IKU-7", nilai="1:32"), 2025), "IKU-7")
    assert (iku7.capaian, iku7.kategori, iku7.keterangan, iku7.dinyatakan) == (None, None, BUKAN_ANGKA, False)


def test_missing_realisasi_is_belum_tersedia_never_zero(repo):
    f = compute(with_realisasi(repo, 2025, "IKU-3", nilai=None), 2025)
    iku3 = indikator(f, "IKU-3")
    assert (iku3.realisasi, iku3.capaian, iku3.kategori, iku3.keterangan) == (
        None, None, None, "belum tersedia")
    assert iku3.capaian_akhir is None
    # S2 is then IKU-4 alone
    assert next(s for s in f.sasaran if s.id == "S2").capaian == D("120.01")
    # a realisasi record missing altogether degrades the same way
    gone = indikator(compute(without_realisasi(repo, 2025, "IKU-3"), 2025), "IKU-3")
    assert (gone.capaian, gone.keterangan, gone.analisis, gone.bukti) == (None, BELUM_TERSEDIA, None, ())


def test_sasaran_without_any_capaian(repo):
    changed = with_realisasi(with_realisasi(repo, 2025, "IKU-5", nilai=None), 2025, "IKU-6", nilai=None)
    f = compute(changed, 2025)
    s3 = next(s for s in f.sasaran if s.id == "S3")
    assert (s3.capaian, s3.kategori) == (None, None)
    p = next(p for p in f.program if p.kode == "3.31.02")
    assert (p.capaian, p.efisiensi, p.efisien) == (None, None, None)


def test_t_over_r_indikator_on_the_sample(repo):
    changed = with_indikator(repo, "2025-2029", "IKU-6", rumus_capaian="T/R")
    iku6 = indikator(compute(changed, 2025), "IKU-6")
    # 39 / 40.80 × 100 = 95.588... -> 95.59 ; end target 27 / 40.80 × 100 = 66.176... -> 66.18
    assert (iku6.capaian, iku6.capaian_akhir, iku6.rumus_capaian) == (D("95.59"), D("66.18"), "T/R")


def test_zero_or_missing_pk_target(repo):
    iku1 = indikator(compute(with_target(repo, 2025, "IKU-1", D(0)), 2025), "IKU-1")
    assert (iku1.capaian, iku1.keterangan) == (None, "tidak dapat dihitung: target nol")
    year = repo.find_tahun(2025)
    pk = replace(year.pk, target=tuple(t for t in year.pk.target if t.id != "IKU-1"))
    iku1 = indikator(compute(_with_year(repo, replace(year, pk=pk)), 2025), "IKU-1")
    assert (iku1.target, iku1.capaian, iku1.keterangan) == (None, None, TARGET_TIDAK_ADA)


def test_custom_scale_from_instansi(repo):
    changed = replace(repo, instansi=replace(repo.instansi, skala_kategori=BAIK))
    f = compute(changed, 2025)
    assert f.skala == BAIK
    assert indikator(f, "IKU-5").kategori == "Cukup"  # 68.29 > 65
    assert indikator(f, "IKU-4").kategori == "Sangat Baik"
    assert next(s for s in f.sasaran if s.id == "S3").kategori == "Baik"  # 81.84


def test_budget_programs_and_total(repo):
    f = compute(repo, 2025)
    assert [p.kode for p in f.program] == ["X.XX.01", "2.17.03", "2.17.04", "2.17.05", "2.17.06",
                                           "2.17.07", "2.17.08", "3.31.02"]  # PK order
    p = f.program[1]
    # 2.17.03: 138,650,000 + 201,300,000 = 339,950,000 of 355,000,000 -> 95.7605... -> 95.76
    assert (p.pagu, p.realisasi, p.serapan, p.lengkap, p.sasaran) == (
        355_000_000, 339_950_000, D("95.76"), True, ("S1",))
    assert [s.kode for s in p.sub_kegiatan] == ["2.17.03.2.01.0003", "2.17.03.2.01.0004"]
    assert p.sub_kegiatan[0].serapan == D("95.62")  # 138,650,000 / 145,000,000 = 95.6206...
    assert [(k.kode, k.pagu, k.realisasi) for k in p.kegiatan] == [("2.17.03.2.01", 355_000_000, 339_950_000)]
    assert p.kegiatan[0].nama.startswith("Pemeriksaan dan Pengawasan Koperasi")
    # X.XX.01: seven sub kegiatan, sorted by code across the sekretariat file
    sub = [s.kode for s in f.program[0].sub_kegiatan]
    assert sub == sorted(sub) and len(sub) == 7
    # total pagu = sum of the PK pagu: 9,418,100,000 + 355,000,000 + 96,000,000 + 315,000,000
    # + 128,000,000 + 1,455,000,000 + 735,000,000 + 1,305,000,000 = 13,807,100,000;
    # realisasi 13,219,949,900 -> 95.7474... -> 95.75
    assert f.total == type(f.total)("", "Total", 13_807_100_000, 13_219_949_900, D("95.75"), True)


def test_efisiensi_per_program_on_the_sample(repo):
    f = compute(repo, 2025)
    by_kode = {p.kode: p for p in f.program}
    # 2.17.04: capaian S1 104.60; serapan 88,320,000 / 96,000,000 = 92.00; 104.60 / 92.00 -> 1.14
    p = by_kode["2.17.04"]
    assert (p.capaian, p.serapan, p.efisiensi, p.efisien) == (D("104.60"), D("92.00"), D("1.14"), True)
    # 3.31.02: capaian S3 81.84; serapan 1,163,800,000 / 1,305,000,000 = 89.18; 81.84 / 89.18 -> 0.92
    p = by_kode["3.31.02"]
    assert (p.capaian, p.serapan, p.efisiensi, p.efisien) == (D("81.84"), D("89.18"), D("0.92"), False)


def test_unreported_budget_realisasi_counts_zero_and_marks_incomplete(repo):
    f = compute(with_sub_kegiatan(repo, 2025, "2.17.03.2.01.0004", realisasi=None), 2025)
    p = next(p for p in f.program if p.kode == "2.17.03")
    assert (p.realisasi, p.lengkap, p.efisiensi, p.efisien) == (138_650_000, False, None, None)
    assert p.serapan == D("39.06")  # what is reported so far: 138,650,000 / 355,000,000 = 39.0563...
    sub = p.sub_kegiatan[1]
    assert (sub.realisasi, sub.serapan, sub.lengkap) == (0, None, False)
    assert f.total.lengkap is False
    assert f.total.realisasi == 13_219_949_900 - 201_300_000


def test_program_without_sub_kegiatan(repo):
    year = repo.find_tahun(2025)
    bidang = tuple(replace(b, sub_kegiatan=tuple(s for s in b.sub_kegiatan if s.program != "2.17.04"))
                   for b in year.bidang)
    p = next(p for p in compute(_with_year(repo, replace(year, bidang=bidang)), 2025).program
             if p.kode == "2.17.04")
    assert (p.pagu, p.realisasi, p.serapan, p.lengkap, p.sub_kegiatan) == (96_000_000, 0, None, False, ())


def test_compute_refuses_only_without_year_pk_or_renstra(repo):
    with pytest.raises(ValueError, match="folder tahun 2030 tidak ditemukan"):
        compute(repo, 2030)
    year = repo.find_tahun(2025)
    with pytest.raises(ValueError, match="Perjanjian Kinerja tahun 2025 tidak ada"):
        compute(_with_year(repo, replace(year, pk=None)), 2025)
    with pytest.raises(ValueError, match="Renstra 2030-2034 untuk tahun 2025 tidak ditemukan"):
        compute(_with_year(repo, replace(year, pk=replace(year.pk, renstra="2030-2034"))), 2025)
    # without an instansi the default scale serves
    assert compute(replace(repo, instansi=None), 2025).skala == m.DEFAULT_SKALA


def test_figures_json_on_the_sample(repo):
    data = figures_json(compute(repo, 2025))
    text = json.dumps(data)  # no default=: every value is a JSON type
    assert json.loads(text) == data
    assert set(data) >= {"tahun", "indikator", "sasaran", "anggaran"}
    assert data["tahun"] == 2025 and data["renstra"] == "2025-2029"
    iku1 = data["indikator"][0]
    assert {k: iku1[k] for k in ("id", "target", "realisasi", "capaian", "kategori")} == {
        "id": "IKU-1", "target": 63, "realisasi": 62.4, "capaian": 99.05, "kategori": "Sangat Tinggi"}
    assert type(iku1["target"]) is int and type(iku1["capaian"]) is float
    assert iku1["tahun_lalu"] == [{"tahun": 2024, "realisasi": 61.52, "capaian": 102.53}]
    assert (iku1["standar_nasional"], iku1["keterangan"]) == (None, None)
    assert data["indikator"][4]["target"] == 3.5
    assert data["sasaran"][0] == {"id": "S1", "uraian": data["sasaran"][0]["uraian"], "tujuan": "T1",
                                  "capaian": 104.6, "kategori": "Sangat Tinggi",
                                  "indikator": ["IKU-1", "IKU-2"], "dikecualikan": []}
    anggaran = data["anggaran"]
    assert (anggaran["pagu"], anggaran["realisasi"], anggaran["serapan"]) == (13_807_100_000, 13_219_949_900,
                                                                            95.75)
    program = anggaran["program"][-1]
    assert {k: program[k] for k in ("kode", "pagu", "realisasi", "serapan", "capaian", "efisiensi",
                                    "efisien")} == {
        "kode": "3.31.02", "pagu": 1_305_000_000, "realisasi": 1_163_800_000, "serapan": 89.18,
        "capaian": 81.84, "efisiensi": 0.92, "efisien": False}
    assert [s["kode"] for s in program["sub_kegiatan"]] == ["3.31.02.2.01.0004", "3.31.02.2.01.0005"]
    assert data["skala"][0] == {"label": "Sangat Tinggi", "di_atas": 90}
    assert data["skala"][-1] == {"label": "Sangat Rendah", "di_atas": None}


def test_figures_json_missing_values_are_null(repo):
    data = figures_json(compute(with_realisasi(repo, 2025, "IKU-3", nilai=None), 2025))
    iku3 = data["indikator"][2]
    assert (iku3["realisasi"], iku3["capaian"], iku3["kategori"], iku3["keterangan"]) == (
        None, None, None, "belum tersedia")
    json.dumps(data)


def test_figures_command_json_and_text() -> None:
    import json

    from tests.conftest import ROOT, run

    result = run("figures", "--repo", ROOT, "--tahun", "2025", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    anggaran = data["anggaran"]
    assert (data["tahun"], anggaran["pagu"], anggaran["serapan"]) == (2025, 13807100000, 95.75)
    assert [(i["id"], i["capaian"], i["kategori"]) for i in data["indikator"]][:2] == [
        ("IKU-1", 99.05, "Sangat Tinggi"), ("IKU-2", 110.14, "Sangat Tinggi")]
    text = run("figures", "--repo", ROOT, "--tahun", "2025").out
    assert "IKU-5              3,5            2,39     68,29%  Sedang" in text
