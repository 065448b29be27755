"""The report's content (issue 14): rencana aksi per triwulan, target 0, the richer Ikhtisar and
Realisasi Anggaran, Bab I's lists, the PK signatures and the Pernyataan Telah Direviu. Logic is
checked on figures and on the rendered HTML (no PDF here; test_laporan_build.py builds once)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from generator.data.load import load_repo
from generator.data.validate import validate
from generator.figures.capaian import compute
from generator.figures.triwulan import rencana_aksi
from generator.render import document
from generator.render.templates import environment
from tests.conftest import ROOT, edit, position, run

MOMENT = dt.datetime(2026, 2, 20, 10, 0, tzinfo=dt.UTC)


def render_html(root: Path, tahun: int = 2025, moment: dt.datetime = MOMENT) -> str:
    repo, _ = load_repo(root)
    figures = compute(repo, tahun)
    state = document.DocumentState(True, True, moment, 8)
    return document.render(environment(root), "document/lakip.html",
                           document.context(repo, tahun, figures, state, None))


def text_of(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))
    return re.sub(r"\s+", " ", unescape(text))


# ---------------------------------------------------------------- rencana aksi per triwulan


def test_quarterly_capaian_by_hand_both_polarities_and_a_missing_quarter(sample: Path) -> None:
    # IKU-1 (positif): tw3 not reported yet; IKU-2 (negatif) complete.
    edit(sample, "content/2025/bidang/koperasi.yaml", "{tw1: 61.5, tw2: 61.9, tw3: 62.1, tw4: 62.4}",
         "{tw1: 61.5, tw2: 61.9, tw4: 62.4}")
    repo, _ = load_repo(sample)
    pk = repo.find_tahun(2025).pk
    rows = {r.id: r for r in rencana_aksi(pk, compute(repo, 2025), dt.date(2026, 1, 20))}
    assert list(rows) == ["IKU-1", "IKU-2", "IKU-4", "IKU-5"]
    iku1 = [(t.triwulan, t.target, t.realisasi, t.capaian, t.status) for t in rows["IKU-1"].triwulan]
    assert iku1 == [
        ("tw1", Decimal("61.8"), Decimal("61.5"), Decimal("99.51"), "dilaporkan"),  # 61,5 / 61,8 × 100
        ("tw2", Decimal("62.2"), Decimal("61.9"), Decimal("99.52"), "dilaporkan"),  # 61,9 / 62,2 × 100
        ("tw3", Decimal("62.6"), None, None, "terlambat"),  # ended 30 Sep, due 14 Oct
        ("tw4", Decimal("63"), Decimal("62.4"), Decimal("99.05"), "dilaporkan")]
    assert rows["IKU-1"].terlambat == ("tw3",)
    # negatif: (2 × target − realisasi) / target × 100
    iku2 = [t.capaian for t in rows["IKU-2"].triwulan]
    assert iku2 == [Decimal("101.51"),  # (93 − 45,8) / 46,5 = 101,505...
                    Decimal("105.05"),  # (91 − 43,2) / 45,5 = 105,054...
                    Decimal("107.87"),  # (89 − 41) / 44,5 = 107,865...
                    Decimal("110.14")]  # (88 − 39,54) / 44 = 110,136...
    assert rows["IKU-5"].triwulan[0].capaian == Decimal("75.00")  # 0,6 / 0,8


def test_a_quarter_reported_before_the_year_ends(sample: Path) -> None:
    """On 10 July tw2 has ended but is still within its 14-day window; on 15 July it is late.
    tw3 and tw4 have not ended: the site and document show the year so far."""
    edit(sample, "content/2025/bidang/koperasi.yaml", "{tw1: 61.5, tw2: 61.9, tw3: 62.1, tw4: 62.4}",
         "{tw1: 61.5}")
    repo, _ = load_repo(sample)
    rows = rencana_aksi(repo.find_tahun(2025).pk, compute(repo, 2025), dt.date(2025, 7, 10))
    iku1 = next(r for r in rows if r.id == "IKU-1")
    assert [t.status for t in iku1.triwulan] == ["dilaporkan", "menunggu", "belum-berakhir", "belum-berakhir"]
    later = rencana_aksi(repo.find_tahun(2025).pk, compute(repo, 2025), dt.date(2025, 7, 15))
    assert [t.status for t in next(r for r in later if r.id == "IKU-1").triwulan][:2] == [
        "dilaporkan", "terlambat"]


def test_quarterly_realisasi_without_a_rencana_aksi_is_a_warning(sample: Path) -> None:
    line, _ = edit(sample, "content/2025/bidang/ukm.yaml", "  IKU-3:\n    nilai: 38.87\n",
                     "  IKU-3:\n    nilai: 38.87\n    realisasi_triwulan: {tw1: 10}\n")
    result = run("validate", "--repo", sample)
    assert result.code == 0
    assert result.out.splitlines()[0] == (
        f"content/2025/bidang/ukm.yaml:{line + 2}:5: peringatan: realisasi triwulan IKU-3 ada, tetapi "
        "Perjanjian Kinerja tidak memuat rencana aksi (target triwulan) indikator ini: capaian triwulan "
        "tidak dihitung (petunjuk: tambahkan IKU-3: {tw1: ..., tw2: ..., tw3: ..., tw4: ...} di bawah "
        "'rencana_aksi' content/2025/perjanjian-kinerja.yaml)")


def test_quarterly_realisasi_is_a_number_per_quarter(sample: Path) -> None:
    line, col = edit(sample, "content/2025/bidang/ukm.yaml", "{tw1: 74.5,", "{tw1: \"74,5\",")
    result = run("validate", "--repo", sample)
    assert result.code == 1
    assert f"content/2025/bidang/ukm.yaml:{line}:{col + 6}: galat:" in result.out
    assert "tw5" not in result.out


# ---------------------------------------------------------------- target 0 and undefined capaian


def _target_nol(sample: Path) -> tuple[int, int]:
    line, col = edit(sample, "content/2025/perjanjian-kinerja.yaml", "IKU-6: 39", "IKU-6: 0")
    edit(sample, "content/2025/bidang/perindustrian.yaml", "nilai: 40.80", "nilai: 0")
    return line, col


def test_target_zero_is_a_warning_with_a_hint(sample: Path) -> None:
    line, col = _target_nol(sample)
    result = run("validate", "--repo", sample)
    assert result.code == 0
    assert result.out.splitlines()[0] == (
        f"content/2025/perjanjian-kinerja.yaml:{line}:{col}: peringatan: target IKU-6 bernilai 0: capaian "
        "tidak dapat dihitung dengan rumus (dibagi target), tabel menampilkan n/a dan rata-rata sasaran "
        "tidak memasukkannya (petunjuk: nyatakan 'capaian' beserta 'catatan' untuk IKU-6 di "
        "content/2025/bidang/perindustrian.yaml, atau ubah targetnya)")


def test_target_zero_with_a_stated_capaian_is_quiet(sample: Path) -> None:
    _target_nol(sample)
    edit(sample, "content/2025/bidang/perindustrian.yaml", "nilai: 0\n",
         "nilai: 0\n    capaian: 100\n    catatan: tidak ada produk yang gagal uji mutu, sesuai target\n")
    repo, issues = load_repo(sample)
    assert [i for i in issues + validate(repo) if i.kode == "target-nol"] == []


def test_target_zero_is_na_in_tables_and_the_mean_says_what_it_leaves_out(sample: Path) -> None:
    _target_nol(sample)
    repo, _ = load_repo(sample)
    figures = compute(repo, 2025)
    iku6 = next(i for i in figures.indikator if i.id == "IKU-6")
    assert (iku6.capaian, iku6.tidak_terdefinisi, iku6.keterangan) == (
        None, True, "tidak dapat dihitung: target nol")
    s3 = next(s for s in figures.sasaran if s.id == "S3")
    assert s3.dikecualikan == (("IKU-6", "tidak dapat dihitung: target nol"),)
    assert s3.capaian == Decimal("68.29")  # IKU-5 alone
    html = render_html(sample)
    table6 = html.split("Tabel 6.")[1].split("</table>")[0]
    assert '<td class="angka">n/a</td>' in table6
    text = text_of(html)
    assert ("rata-rata capaian 1 dari 2 indikatornya. Tidak dimasukkan dalam rata-rata: IKU-6 "
            "(tidak dapat dihitung: target nol).") in text
    assert "n/a: capaian Persentase IKM binaan yang produknya tidak memenuhi standar mutu tidak dapat " \
           "dihitung: target nol." in text
    assert run("figures", "--repo", sample, "--json").code == 0


# ---------------------------------------------------------------- Ikhtisar, Bab I, anggaran, PK


def test_the_sebaran_table_formats_numbers_not_text() -> None:
    text = text_of(render_html(ROOT))
    assert "> 75% s.d. 90%" in text and "s,d," not in text
    # no number formatting by string replacement anywhere in the templates or the renderer
    for path in [*ROOT.glob("site_templates/**/*.*"), *ROOT.glob("generator/render/*.py")]:
        source = path.read_text(encoding="utf-8")
        assert 'replace(".", ",")' not in source and "replace('.', ',')" not in source, path


def test_ikhtisar_names_sasaran_achieved_best_and_worst_indikator_and_serapan() -> None:
    text = text_of(render_html(ROOT))
    assert ("Dari 4 sasaran strategis, 3 sasaran mencapai atau melampaui target (capaian 100% atau lebih): "
            "Meningkatnya kualitas kelembagaan dan tata kelola koperasi (104,60%); Meningkatnya legalitas "
            "dan skala usaha usaha mikro (111,15%); Meningkatnya akuntabilitas kinerja dan kualitas "
            "pelayanan Dinas (100,95%). Sasaran yang belum mencapai target: Meningkatnya pertumbuhan dan "
            "mutu produk industri kecil dan menengah (81,84%, kategori Tinggi).") in text
    assert ("5 dari 8 indikator yang capaiannya dapat dihitung mencapai target. Capaian tertinggi adalah "
            "Persentase usaha mikro binaan yang memiliki Nomor Induk Berusaha (NIB) (120,01%); capaian "
            "terendah adalah Persentase pertumbuhan jumlah industri kecil dan menengah (IKM) (68,29%, "
            "kategori Sedang).") in text


def test_bab_1_lists_the_legal_bases_and_the_staff() -> None:
    html = render_html(ROOT)
    bab1 = html.split('id="bab-1"')[1].split('id="bab-2"')[0]
    assert bab1.count("<li>") >= 10 + 7  # ten dasar hukum after the seven fungsi
    assert "<li>Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi " \
           "Pemerintah</li>" in bab1
    text = text_of(bab1)
    assert "Dinas didukung oleh 48 pegawai per 31 Desember 2025" in text
    assert "III 27 56,25%" in text and "SMA/SMK 9 18,75%" in text and "Jumlah 48 100,00%" in text


def test_realisasi_anggaran_has_the_kegiatan_level_and_a_narrative() -> None:
    html = render_html(ROOT)
    part = text_of(html.split('id="bab-3-b"')[1].split("</table>")[0])
    assert ("Pagu anggaran tahun 2025 sebesar Rp13.807.100.000 dialokasikan untuk 8 program, 11 kegiatan "
            "dan 18 sub kegiatan. Realisasinya Rp13.219.949.900, atau serapan 95,75%. Serapan tertinggi "
            "pada Program Pendidikan dan Latihan Perkoperasian (97,40%) dan terendah pada Program "
            "Perencanaan dan Pembangunan Industri (89,18%). Tidak ada program dengan serapan di bawah "
            "80%.") in part
    assert ("X.XX.01.2.02 Administrasi Keuangan Perangkat Daerah Rp7.248.600.000 Rp7.011.384.500 "
            "96,73%") in part


def test_low_serapan_programs_are_named(sample: Path) -> None:
    text = (sample / "content/2025/bidang/koperasi.yaml").read_text(encoding="utf-8")
    (sample / "content/2025/bidang/koperasi.yaml").write_text(
        text.replace("realisasi: 88320000", "realisasi: 48000000"), encoding="utf-8")
    part = text_of(render_html(sample).split('id="bab-3-b"')[1].split("<table>")[0])
    assert ("terendah pada Program Penilaian Kesehatan KSP/USP Koperasi (50,00%). Program dengan serapan "
            "di bawah 80%: Program Penilaian Kesehatan KSP/USP Koperasi (50,00%).") in part


def test_pk_appendix_carries_both_signature_blocks() -> None:
    html = render_html(ROOT)
    lampiran = text_of(html.split('id="lampiran-pk"')[1].split('id="lampiran-iku"')[0])
    assert ("Samarinda, 3 Februari 2025 Pihak Kedua, Wali Kota Samarinda Dr. H. Rahmat Hidayatullah, "
            "S.H., M.H. Pihak Pertama, Kepala Dinas Koperasi, Usaha Kecil Menengah dan Perindustrian Kota "
            "Samarinda Drs. Ahmad Fauzan Ridwan, M.Si. Pembina Utama Muda (IV/c) NIP. 19720314 199803 1 "
            "004") in lampiran


# ---------------------------------------------------------------- Pernyataan Telah Direviu


def test_pernyataan_telah_direviu_follows_bab_iv_only_with_reviu_apip(sample: Path) -> None:
    html = render_html(sample)
    assert html.index('id="bab-4"') < html.index('id="pernyataan-reviu"') < html.index('id="lampiran"')
    page = text_of(html.split('id="pernyataan-reviu"')[1].split("</section>")[0])
    assert page.startswith("> Pernyataan Telah Direviu Inspektorat Daerah Kota Samarinda Nomor: "
                           "700.1.2.2/112/LHR-LKjIP/Itko/II/2026 Kami telah mereviu Laporan Kinerja Dinas "
                           "Koperasi, Usaha Kecil Menengah dan Perindustrian Kota Samarinda untuk tahun "
                           "anggaran 2025 sesuai Pedoman Reviu atas Laporan Kinerja.")
    assert page.endswith("Samarinda, 16 Februari 2026 Inspektur Drs. H. Muhammad Ridwan Effendi, M.Si. "
                         "Pembina Utama Muda (IV/c) NIP. 19690512 199403 1 007 ")
    assert '<a href="#pernyataan-reviu">Pernyataan Telah Direviu</a>' in html
    (sample / "content/2025/reviu-apip.yaml").unlink()
    html = render_html(sample)
    assert "pernyataan-reviu" not in html and "Kami telah mereviu" not in html


def test_reviu_apip_is_checked_like_every_file(sample: Path) -> None:
    line, col = position(sample, "content/2025/reviu-apip.yaml", '"196905121994031007"')
    edit(sample, "content/2025/reviu-apip.yaml", '"196905121994031007"', "19690512")
    result = run("validate", "--repo", sample)
    assert result.code == 1
    assert result.out.startswith(f"content/2025/reviu-apip.yaml:{line}:{col}: galat: ")


# ---------------------------------------------------------------- LKE self-assessment


LKE_SAMPLE = [  # the sample as a plain folder: no SOP history, tanda terima not yet written
    ("3.a.1", "Y", 0.5), ("3.a.2", "Y", 0.5), ("3.a.3", "T", 0), ("3.a.4", "Y", 0.5),
    ("3.a.5", None, 0), ("3.a.6", "T", 0),
    ("3.b.1", "a", 0.5), ("3.b.2", "a", 0.5), ("3.b.3", "a", 0.5), ("3.b.4", "a", 0.5),
    ("3.b.5", "a", 0.5), ("3.b.6", "d", 0.13), ("3.b.7", "a", 0.5), ("3.b.8", "a", 0.5),
    ("3.b.9", "a", 0.5),
    ("3.c.1", "e", 0), ("3.c.2", "a", 1.07), ("3.c.3", "b", 0.8), ("3.c.4", None, 0),
    ("3.c.5", "b", 0.8), ("3.c.6", None, 0), ("3.c.7", None, 0)]


def test_lke_on_the_sample_criterion_by_criterion(sample: Path) -> None:
    import json

    result = run("lke", "--repo", sample, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["tahun"], data["komponen"], data["bobot"]) == (2025, "Pelaporan Kinerja", 15)
    assert [(k["id"], k["jawaban"], k["nilai"]) for k in data["kriteria"]] == LKE_SAMPLE
    assert [(s["id"], s["bobot"], s["nilai"]) for s in data["subkomponen"]] == [
        ("3.a", 3, 1.5), ("3.b", 4.5, 4.13), ("3.c", 7.5, 2.68)]
    assert data["nilai"] == 8.31
    by_id = {k["id"]: k for k in data["kriteria"]}
    assert set(by_id["3.a.1"]) == {"id", "subkomponen", "uraian", "jawaban", "nilai", "bukti", "cara",
                                   "petunjuk"}
    assert by_id["3.a.4"]["bukti"] == [
        "content/2025/reviu-apip.yaml: nomor 700.1.2.2/112/LHR-LKjIP/Itko/II/2026, 2026-02-16, "
        "Drs. H. Muhammad Ridwan Effendi, M.Si."]
    assert by_id["3.b.6"]["bukti"] == ["2 dari 8 indikator dengan standar nasional",
                                       "belum: IKU-1, IKU-2, IKU-3, IKU-4, IKU-5, IKU-6"]
    assert (by_id["3.a.5"]["cara"], by_id["3.a.5"]["petunjuk"]) == (
        "isi-sendiri", "isi di content/2025/lke.yaml: jawaban: {3.a.5: {jawaban: Y, bukti: ...}} "
        "(jawaban Y atau T)")
    assert by_id["3.c.3"]["bukti"][0] == "content/2025/lke.yaml:4"
    assert by_id["3.a.6"]["bukti"] == ["belum ada tanda terima pengiriman (batas 2026-02-28)"]
    text = run("lke", "--repo", sample).out
    assert text.splitlines()[0] == ("Penilaian mandiri LKE tahun 2025, komponen Pelaporan Kinerja "
                                    "(PermenPANRB 88/2021): nilai 8,31 dari 15,00")
    assert "  3.a.5  [isi sendiri]  0,00  Dokumen Laporan Kinerja telah dipublikasikan." in text


def test_lke_answers_follow_the_data(sample: Path) -> None:
    """Delete the reviu and the quarterly data, answer 3.a.5 yourself, send on 2 March: the answers
    move with the data; a wrong or automatic answer in lke.yaml is ignored with a warning."""
    import json

    (sample / "content/2025/reviu-apip.yaml").unlink()
    edit(sample, "content/2025/bidang/ukm.yaml", "    realisasi_triwulan: {tw1: 74.5, tw2: 80.2, tw3: 86.9, "
         "tw4: 91.21}\n", "")
    with (sample / "content/2025/pengiriman.yaml").open("a", encoding="utf-8") as f:
        f.write("tanda_terima:\n  tanggal: 2026-03-02\n  penerima: Rina\n")
    with (sample / "content/2025/lke.yaml").open("a", encoding="utf-8") as f:
        f.write("  3.a.5: {jawaban: Y, bukti: 'https://contoh.go.id/lkjip'}\n  3.b.6: {jawaban: a}\n"
                "  3.c.4: {jawaban: Y}\n")
    result = run("lke", "--repo", sample, "--json")
    by_id = {k["id"]: k for k in json.loads(result.out)["kriteria"]}
    assert [(i, by_id[i]["jawaban"]) for i in ("3.a.2", "3.a.4", "3.a.5", "3.a.6", "3.b.6", "3.c.4")] == [
        ("3.a.2", "T"), ("3.a.4", "T"), ("3.a.5", "Y"), ("3.a.6", "T"), ("3.b.6", "d"), ("3.c.4", None)]
    assert by_id["3.a.2"]["bukti"][0] == "realisasi triwulan dilaporkan untuk 3 dari 4 indikator rencana aksi"
    assert by_id["3.a.6"]["bukti"] == [
        "content/2025/pengiriman.yaml: tanda terima 2026-03-02, batas 2026-02-28"]
    assert result.err.splitlines() == [
        "peringatan: content/2025/lke.yaml:12:3: kriteria 3.b.6 dijawab lakip dari data; jawaban sendiri "
        "diabaikan",
        "peringatan: content/2025/lke.yaml:13:3: jawaban kriteria 3.c.4 harus a, b, c, d atau e, bukan Y; "
        "diabaikan"]


def test_site_pages_rencana_aksi_and_lke(sample: Path, tmp_path: Path) -> None:
    from generator.render import site
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    edit(sample, "content/2025/bidang/koperasi.yaml", "{tw1: 61.5, tw2: 61.9, tw3: 62.1, tw4: 62.4}",
         "{tw1: 61.5}")
    data = site_data(gather(sample, now=dt.datetime(2025, 8, 20, 2, 0, tzinfo=dt.UTC)))
    site.write(data, tmp_path / "situs")
    page = (tmp_path / "situs/rencana-aksi.md").read_text(encoding="utf-8")
    assert "Keadaan per 20 Agustus 2025." in page
    assert ('<div class="admonition warning"><p class="admonition-title">1 laporan triwulan terlambat</p>'
            "<p>IKU-1 Triwulan II</p></div>") in page
    assert ('<tr><td>Triwulan II</td><td class="lk-angka">62,2</td><td class="lk-angka">–</td>'
            '<td class="lk-angka">–</td><td><span class="lk-lencana lk-galat">terlambat</span> '
            '<span class="lk-kecil">batas 14 Juli 2025</span></td></tr>') in page
    assert ('<tr><td>Triwulan III</td><td class="lk-angka">62,6</td><td class="lk-angka">–</td>'
            '<td class="lk-angka">–</td><td><span class="lk-lencana lk-menunggu">belum berakhir</span>'
            "</td></tr>") in page
    lke = (tmp_path / "situs/lke.md").read_text(encoding="utf-8")
    assert '<p class="lk-angka-besar">Nilai: <strong>' in lke
    assert ('<tr id="lke-3-a-5"><td>3.a.5</td><td>Dokumen Laporan Kinerja telah dipublikasikan.</td>'
            '<td><span class="lk-lencana lk-berjalan">isi sendiri</span></td>') in lke


# ---------------------------------------------------------------- charts


def test_chart_bars_equal_the_figures() -> None:
    from generator.figures.formats import nilai, persen
    from generator.render import charts

    repo, _ = load_repo(ROOT)
    figures = compute(repo, 2025)
    g = charts.laporan(figures)
    assert [(b.label, b.value, b.text) for b in g.capaian_sasaran.bars] == [
        (f"Sasaran {n}", s.capaian, persen(s.capaian)) for n, s in enumerate(figures.sasaran, start=1)]
    for bar in g.capaian_indikator.bars:  # 300 units stand for 150 %
        assert bar.width == pytest.approx(float(min(bar.value, 150)) * 2)
    assert [b.value for b in g.serapan.bars] == [p.serapan for p in figures.program]
    assert g.serapan.bars[0].width == pytest.approx(float(figures.program[0].serapan) * 3)  # 300 = 100 %
    s1 = figures.sasaran[0]
    pairs = g.indikator[s1.id].bars
    assert [(b.label, b.target_text, b.realisasi_text) for b in pairs] == [
        (i.id, nilai(i.target, i.satuan), nilai(i.realisasi, i.satuan)) for i in s1.indikator]
    # IKU-1: target 63 is the longer bar; realisasi 62,4 is 62,4/63 of it
    assert (pairs[0].target_width, pairs[0].realisasi_width) == pytest.approx((330, 330 * 62.4 / 63))


def test_the_document_draws_the_charts_with_the_numbers_of_its_tables() -> None:
    html = render_html(ROOT)
    table6 = html.split("Tabel 6.")[1].split("</table>")[0]
    capaian = re.findall(r'<td class="angka">(\d{1,3},\d{2}%)</td>', table6)
    chart = html.split('id="grafik-capaian-indikator"')[1].split("</figure>")[0]
    assert "<svg" in chart and "Grafik 2. Capaian indikator kinerja tahun 2025" in chart
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" fill="#222222">([^<]+)</text>', chart)
    assert labels == capaian
    ids = re.findall(r'text-anchor="end" fill="#222222">([^<]+)</text>', chart)
    assert ids == [f"IKU-{n}" for n in range(1, 9)]
    assert html.count('<figure class="grafik"') == 2 + 4 + 1  # sasaran, indikator, 4 sasaran, serapan
    serapan = html.split('id="grafik-serapan"')[1].split("</figure>")[0]
    assert "Grafik 7. Serapan anggaran per program tahun 2025" in serapan
    assert "95,76%" in serapan and "X.XX.01" in serapan


# ---------------------------------------------------------------- images and Markdown in narasi

PENDAHULUAN = "content/2025/narasi/pendahuluan.md"
ORG = "![Struktur Organisasi Dinas](../bukti/sekretariat/struktur-organisasi.svg)"


def test_an_image_in_narasi_is_embedded_with_its_caption() -> None:
    import base64

    html = render_html(ROOT)
    figure = html.split('<figure class="gambar">')[1].split("</figure>")[0]
    src = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure).group(1)
    svg = base64.b64decode(src)
    assert svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"') and b"KEPALA DINAS" in svg
    assert figure.endswith('alt="Struktur Organisasi Dinas"><figcaption>Struktur Organisasi Dinas'
                           "</figcaption>")


def _image_error(sample: Path, written: str, setup=None) -> str:
    line, col = edit(sample, PENDAHULUAN, ORG, f"![Bagan]({written})")
    if setup:
        setup(sample)
    result = run("validate", "--repo", sample)
    assert result.code == 1
    errors = [x for x in result.out.splitlines() if "galat" in x]
    assert len(errors) == 1, result.out
    prefix = f"{PENDAHULUAN}:{line}:{col + 9}: galat: "
    assert errors[0].startswith(prefix), errors[0]
    return errors[0].removeprefix(prefix)


def test_image_paths_are_checked_like_bukti(sample: Path) -> None:
    assert _image_error(sample, "../bukti/struktur.png") == (
        "berkas gambar '../bukti/struktur.png' tidak ada (content/2025/bukti/struktur.png) (petunjuk: jalur "
        "ditulis relatif terhadap folder narasi/, misalnya ../bukti/nama.png)")


def test_image_outside_the_repository_or_on_the_web_is_refused(sample: Path) -> None:
    assert _image_error(sample, "../../../../etc/passwd.png").startswith(
        "gambar '../../../../etc/passwd.png' berada di luar repositori")


def test_image_from_the_web_is_refused(sample: Path) -> None:
    assert _image_error(sample, "https://contoh.go.id/bagan.png").startswith(
        "gambar 'https://contoh.go.id/bagan.png' bukan berkas di repositori")


def test_image_type_content_and_size_are_checked(sample: Path) -> None:
    def gif(repo: Path) -> None:
        (repo / "content/2025/bukti/bagan.gif").write_bytes(b"GIF89a")

    assert _image_error(sample, "../bukti/bagan.gif") == (
        "gambar '../bukti/bagan.gif' bukan PNG, JPEG atau SVG (petunjuk: simpan ulang sebagai .png, .jpg "
        "atau .svg)")


def test_image_whose_bytes_are_not_its_type(sample: Path) -> None:
    def fake(repo: Path) -> None:
        (repo / "content/2025/bukti/bagan.png").write_bytes(b"<html>bukan gambar</html>")

    assert _image_error(sample, "../bukti/bagan.png", fake).startswith(
        "isi berkas '../bukti/bagan.png' bukan PNG")


def test_image_too_large(sample: Path) -> None:
    def big(repo: Path) -> None:
        (repo / "content/2025/bukti/besar.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024))

    assert _image_error(sample, "../bukti/besar.png", big) == (
        "gambar '../bukti/besar.png' berukuran 3072 KiB, melebihi batas 2048 KiB (petunjuk: perkecil "
        "resolusi atau kompres gambarnya)")


def test_svg_is_cleaned_and_entities_refused(sample: Path) -> None:
    from generator.data.narasi import clean_svg

    dirty = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             b'onload="alert(1)"><script>alert(2)</script><foreignObject><p>x</p></foreignObject>'
             b'<image xlink:href="file:///etc/hostname"/><use href="#a"/>'
             b'<rect id="a" style="fill:url(https://x.example/y)" width="5" height="5"/></svg>')
    clean, why = clean_svg(dirty)
    assert why is None
    assert clean == (b'<svg xmlns="http://www.w3.org/2000/svg"><image /><use href="#a" />'
                     b'<rect id="a" width="5" height="5" /></svg>')
    assert clean_svg(b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
                     ) == (None, "berisi DOCTYPE atau ENTITY")

    def laughs(repo: Path) -> None:
        (repo / "content/2025/bukti/bom.svg").write_text(
            '<!DOCTYPE svg [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><svg>&b;</svg>', encoding="utf-8")

    assert _image_error(sample, "../bukti/bom.svg", laughs).startswith(
        "SVG '../bukti/bom.svg' tidak dapat dipakai: berisi DOCTYPE atau ENTITY")


def test_unsupported_markdown_is_a_warning_with_file_and_line(sample: Path) -> None:
    path = sample / PENDAHULUAN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## A. Latar Belakang\n", "# Judul Besar\n\n## A. Latar Belakang\n\n"
                                 "Lihat <span style='color:red'>tabel</span> dan catatan[^1].\n\n"
                                 "`<kode>` dan [^x] di dalam kode tidak apa-apa: `[^x]`\n"), encoding="utf-8")
    line = text[:text.index("## A. Latar Belakang")].count("\n") + 1
    result = run("validate", "--repo", sample)
    assert result.code == 0
    assert result.out.splitlines()[:3] == [
        f"{PENDAHULUAN}:{line}:1: peringatan: judul tingkat 1 (#) tidak ditampilkan: tingkat itu dipakai "
        "judul bab (petunjuk: pakai ## untuk subjudul)",
        f"{PENDAHULUAN}:{line + 4}:7: peringatan: HTML mentah di narasi tidak ditampilkan (petunjuk: tulis "
        "dengan Markdown (**tebal**, *miring*, daftar, tabel))",
        f"{PENDAHULUAN}:{line + 4}:55: peringatan: catatan kaki Markdown ([^1]) tidak didukung dan hilang "
        "dari dokumen (petunjuk: tulis keterangannya di dalam kalimat atau di akhir bagian)"]
    assert len(result.out.splitlines()) == 4  # + the summary line
