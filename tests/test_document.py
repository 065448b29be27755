"""The LAKIP document from one source: HTML (golden), PDF and DOCX carry the same chapters and
figures; DRAF follows the SOP; builds are reproducible; content cannot reach outside."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from generator.workflow.build import run_build
from generator.workflow.outputs import DOCUMENTS
from tests.conftest import ROOT, run

GOLDEN = ROOT / "tests" / "golden" / "lakip-2025.html"
EPOCH = "1771552800"  # 2026-02-20 02:00 UTC
CHAPTERS = ["KATA PENGANTAR", "DAFTAR ISI", "IKHTISAR EKSEKUTIF", "BAB I", "PENDAHULUAN", "BAB II",
            "PERENCANAAN KINERJA", "BAB III", "AKUNTABILITAS KINERJA", "BAB IV", "PENUTUP", "LAMPIRAN"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample (a plain folder, not a git repository) built once for this module: a fresh
    serial render (no stored output is used or stored), which the parallel-build test compares
    with."""
    repo = tmp_path_factory.mktemp("sampel") / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "sop", repo / "sop")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    mp.setenv("LAKIP_TANPA_CACHE", "1")
    try:
        run_build(repo, repo / "out", 2025)
    finally:
        mp.undo()
    return repo / "out"


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def html_text(path: Path) -> str:
    text = re.sub(r"<style.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def capaian_values(html: str) -> list[str]:
    """The capaian column of Tabel 6 (every indikator), as printed."""
    table = html.split("Tabel 6.")[1].split("</table>")[0]
    return re.findall(r'<td class="angka">(\d{1,3},\d{2}%)</td>', table)


def test_golden_html(built: Path, update_golden: bool) -> None:
    html = (built / "lakip-2025.html").read_text(encoding="utf-8")
    if update_golden:
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8"), "run pytest --update-golden after checking the diff"


def test_outputs_are_written(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [
        "lakip-2025.docx", "lakip-2025.html", "lakip-2025.pdf", "surat-pengantar-2025.docx",
        "surat-pengantar-2025.pdf"]


def test_pdf_and_docx_have_the_chapters_and_figures_of_the_html(built: Path) -> None:
    html = (built / "lakip-2025.html").read_text(encoding="utf-8")
    values = capaian_values(html)
    assert values[:5] == ["99,05%", "110,14%", "102,29%", "120,01%", "68,29%"]
    pdf = pdf_text(built / "lakip-2025.pdf")
    word = docx_text(built / "lakip-2025.docx")
    for heading in CHAPTERS:
        assert heading in pdf.upper(), heading
        assert heading in word.upper(), heading
        assert heading in html_text(built / "lakip-2025.html").upper(), heading
    for value in values:
        assert value in pdf and value in word, value
    for amount in ("Rp13.807.100.000", "Rp13.219.949.900", "95,75%"):
        assert amount in pdf and amount in word and amount in html


def test_pdf_is_a4_with_page_numbers_toc_and_embedded_fonts(built: Path) -> None:
    path = built / "lakip-2025.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 15
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    toc = pdf_text(path, "-f", "3", "-l", "3")
    assert re.search(r"Bab III Akuntabilitas Kinerja\.+ ?\d+", toc.replace(" .", "."))
    last = pdf_text(path, "-f", str(pages), "-l", str(pages))
    assert last.strip().splitlines()[-1].strip() == str(pages)  # page number in the footer


def test_every_pdf_page_carries_the_marks(built: Path) -> None:
    path = built / "lakip-2025.pdf"
    pages = pdf_text(path).split("\f")
    assert all("DRAF" in page and "CONTOH" in page for page in pages if page.strip())


def test_docx_has_real_word_structure(built: Path) -> None:
    path = built / "lakip-2025.docx"
    document = docx.Document(str(path))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'TOC \\o "1-3"' in xml
    assert '<w:tblHeader w:val="true"/>' in xml
    footer = "".join(zipfile.ZipFile(path).read(n).decode() for n in zipfile.ZipFile(path).namelist()
                     if n.startswith("word/footer"))
    assert "PAGE" in footer
    header = document.sections[0].header.paragraphs[0].text
    assert "DRAF · CONTOH" in header
    assert document.core_properties.created.isoformat().startswith("2026-02-20T02:00:00")


@pytest.mark.slow
def test_reused_and_parallel_documents_are_byte_identical_to_a_fresh_serial_render(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Content-addressed outputs (issue 18; moved here from test_reuse): builders in parallel
    write the bytes one process writes, and an unchanged key reuses them. The fresh serial render
    is this module's build (`built`), so the documents render twice here, not three times."""
    from tests.test_reuse import _build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing stored by other builds
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the date of `built`
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "sop", root / "sop")
    lines, parallel = _build(root, tmp_path / "a", DOCUMENTS, jobs=2)
    assert not [line for line in lines if "dipakai ulang" in line]
    lines, reused = _build(root, tmp_path / "b", DOCUMENTS, jobs=2)
    assert sorted(line for line in lines if "dipakai ulang" in line) == [
        f"{kind} tidak berubah: dipakai ulang dari penyimpanan (tanpa render)"
        for kind in ("DOCX", "HTML", "PDF", "surat pengantar")]
    fresh = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()}
    assert sorted(fresh) == ["lakip-2025.docx", "lakip-2025.html", "lakip-2025.pdf",
                             "surat-pengantar-2025.docx", "surat-pengantar-2025.pdf"]
    assert parallel == reused == fresh


def test_surat_pengantar(built: Path) -> None:
    text = " ".join(pdf_text(built / "surat-pengantar-2025.pdf").split())
    assert "000.8.3.3/086/100.14" in text
    assert "Penyampaian Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun 2025" in text
    # a DRAF letter carries the draft's date like the Kata Pengantar (pengiriman.yaml says 23
    # Februari; that date is printed once the document is FINAL: see the DRAF test below)
    assert "Samarinda, 20 Februari 2026" in text and "23 Februari 2026" not in text
    assert "NIP. 19720314 199803 1 004" in text
    assert "000.8.3.3/086/100.14" in docx_text(built / "surat-pengantar-2025.docx")


def test_indonesian_formats_in_the_document(built: Path) -> None:
    html = (built / "lakip-2025.html").read_text(encoding="utf-8")
    assert "NIP. 19720314 199803 1 004" in html
    assert "Rp9.418.100.000" in html
    assert "20 Februari 2026" in html


@pytest.mark.slow
def test_untrusted_content_is_escaped_or_sanitized(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "sop", repo / "sop")
    bidang = repo / "content/2025/bidang/koperasi.yaml"
    text = bidang.read_text(encoding="utf-8")
    payload = "    analisis: >-\n      <script>alert(1)</script> Jumlah koperasi aktif"
    bidang.write_text(text.replace("    analisis: >-\n      Jumlah koperasi aktif", payload, 1),
                      encoding="utf-8")
    narasi = repo / "content/2025/narasi/penutup.md"
    narasi.write_text(narasi.read_text(encoding="utf-8") + '\n<img src="http://contoh.invalid/x.png" '
                      'onerror="alert(2)">\n\n[tautan](javascript:alert(3))\n', encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    html_only(repo, repo / "out")
    html = (repo / "out/lakip-2025.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "contoh.invalid" not in html and "onerror" not in html and "javascript:" not in html


def test_build_refuses_invalid_data(sample: Path) -> None:
    bidang = sample / "content/2025/bidang/koperasi.yaml"
    bidang.write_text(bidang.read_text(encoding="utf-8").replace("pagu: 145000000", "pagu: -1", 1),
                      encoding="utf-8")
    line = bidang.read_text(encoding="utf-8").splitlines().index("    pagu: -1") + 1
    result = run("build", "--repo", sample, "--out", sample / "out")
    assert result.code == 1
    assert result.err.splitlines()[-3:] == [
        "lakip: galat: data tahun 2025 belum valid:",
        f"  content/2025/bidang/koperasi.yaml:{line}:11: galat: 'sub_kegiatan[1].pagu' tidak boleh "
        "negatif: ditemukan -1",
        "(petunjuk: jalankan lakip validate)"]
    assert not (sample / "out").exists()


# ---------------------------------------------------------------- DRAF follows the SOP


def marks(out: Path) -> tuple[bool, bool]:
    pages = [p for p in pdf_text(out / "lakip-2025.pdf").split("\f") if p.strip()]
    return all("DRAF" in p for p in pages), any("DRAF" in p for p in pages)


def html_marks(out: Path) -> tuple[bool, bool]:
    """DRAF as the HTML carries it: the mark on every page (@page box and the fixed `.tanda`
    element) and the line under the cover title; test_every_pdf_page_carries_the_marks checks
    that the PDF shows them on each page."""
    html = (out / "lakip-2025.html").read_text(encoding="utf-8")
    every_page = ('@top-right { content: "DRAF' in html
                  and '<div class="tanda" aria-hidden="true">DRAF' in html)
    return every_page, "dokumen belum disahkan" in html


def html_only(root: Path, out: Path):
    """`run_build` writing the HTML only: PDF, DOCX and site are not what these tests look at."""
    return run_build(root, out, 2025, formats=("html",))


@pytest.mark.slow
# The FINAL documents of the recorded office are test_archive's (same HTML): rendered once per run.
# Two real renders of one HTML are compared byte for byte by the parallel-build test above.
@pytest.mark.usefixtures("rendered_once")
def test_draf_until_step_8_then_back_after_a_content_change(office) -> None:
    office.run_until(7)
    html_only(office.root, office.root.parent / "a")
    assert html_marks(office.root.parent / "a") == (True, True)

    office.step(8)
    first = run_build(office.root, office.root.parent / "b", 2025, formats=DOCUMENTS)
    assert first.state.draf is False
    assert marks(office.root.parent / "b") == (False, False)
    assert html_marks(office.root.parent / "b") == (False, False)
    assert "CONTOH" in pdf_text(office.root.parent / "b" / "lakip-2025.pdf")
    final_letter = " ".join(pdf_text(office.root.parent / "b" / "surat-pengantar-2025.pdf").split())
    assert "Samarinda, 23 Februari 2026" in final_letter  # FINAL: the date pengiriman.yaml sets

    # the same commit builds to identical bytes (the second build serves the stored outputs)
    run_build(office.root, office.root.parent / "c", 2025, formats=DOCUMENTS)
    for name in ("lakip-2025.html", "lakip-2025.pdf", "lakip-2025.docx", "surat-pengantar-2025.pdf",
                 "surat-pengantar-2025.docx"):
        first_bytes = (office.root.parent / "b" / name).read_bytes()
        assert first_bytes == (office.root.parent / "c" / name).read_bytes(), name

    path = "content/2025/bidang/koperasi.yaml"
    text = (office.root / path).read_text(encoding="utf-8").replace("nilai: 62.40", "nilai: 70", 1)
    (office.root / path).write_text(text, encoding="utf-8")
    uncommitted = html_only(office.root, office.root.parent / "d")
    assert uncommitted.state.draf is True  # the working tree is not what step 8 approved
    office.commit(office.actors["tim-kerja"], "2026-02-11T13:00:00", "Ubah realisasi", {path: text})
    html_only(office.root, office.root.parent / "e")
    assert html_marks(office.root.parent / "e") == (True, True)


# ---------------------------------------------------------------- report content (issue 14)


@pytest.mark.slow
def test_new_sections_are_in_html_pdf_and_docx(built: Path) -> None:
    """The sections issue 14 added, in every format of the one shared build."""
    html = " ".join(html_text(built / "lakip-2025.html").split())
    # the watermark's letters (DRAF, CONTOH) land between lines of text: drop one-letter lines
    lines = [x for x in pdf_text(built / "lakip-2025.pdf").splitlines() if len(x.strip()) > 1]
    pdf = " ".join(" ".join(lines).split())
    word = " ".join(docx_text(built / "lakip-2025.docx").split())
    for text in (
        "Daftar Dasar Hukum", "Peraturan Presiden Nomor 29 Tahun 2014",  # Bab I legal bases
        "Sumber Daya Manusia", "Komposisi pegawai menurut golongan",  # SDM
        "3 sasaran mencapai atau melampaui target",  # richer Ikhtisar
        "Capaian tertinggi adalah Persentase usaha mikro binaan",
        "Grafik 1. Capaian sasaran strategis tahun 2025",  # charts
        "Grafik 3. Target dan realisasi indikator – Sasaran 1",
        "Grafik 7. Serapan anggaran per program tahun 2025",
        "11 kegiatan dan 18 sub kegiatan",  # Realisasi Anggaran narrative and kegiatan level
        "X.XX.01.2.02",  # a kegiatan row
        "Tidak ada program dengan serapan di bawah 80%",
        "PERNYATAAN TELAH DIREVIU", "Kami telah mereviu Laporan Kinerja",  # after Bab IV
        "700.1.2.2/112/LHR-LKjIP/Itko/II/2026", "NIP. 19690512 199403 1 007",
        "Pihak Kedua", "Pihak Pertama",  # PK signatures
        "Lampiran 3. Rencana Aksi dan Realisasi Triwulan Tahun 2025",
        "Struktur Organisasi Dinas",  # image caption in Bab I
    ):
        for name, where in (("HTML", html), ("PDF", pdf), ("DOCX", word)):
            assert text.lower() in where.lower(), f"{text!r} missing from the {name}"
    assert "s,d," not in pdf and "s,d," not in word
    for rate in ("99,51%", "101,51%", "108,38%"):  # quarterly capaian of Lampiran 3
        assert rate in pdf and rate in word
    for label in ("104,60%", "111,15%", "81,84%", "100,95%"):  # bars of Grafik 1 drawn as text
        assert label in pdf


@pytest.mark.slow
def test_pernyataan_page_follows_bab_iv_in_the_pdf(built: Path) -> None:
    pages = pdf_text(built / "lakip-2025.pdf").split("\f")
    first = next(i for i, p in enumerate(pages) if "PERNYATAAN TELAH DIREVIU" in p and "Kami telah" in p)
    bab4 = next(i for i, p in enumerate(pages) if "PENUTUP" in p and "BAB IV" in p)
    lampiran = next(i for i, p in enumerate(pages) if "Lampiran 1. Perjanjian Kinerja" in p
                    and "LAMPIRAN" in p)
    assert bab4 < first < lampiran


@pytest.mark.slow
def test_docx_charts_and_images_are_pictures(built: Path) -> None:
    names = zipfile.ZipFile(built / "lakip-2025.docx").namelist()
    media = [n for n in names if n.startswith("word/media/")]
    assert len(media) >= 7 + 1  # seven charts, the organisation chart
    assert all(n.endswith(".png") for n in media if "image" in n)


# ---------------------------------------------------------------- as staff open them (issue 15)
# The DOCX files rendered by LibreOffice headless, the way an office without Word opens them;
# one soffice run converts both files of the module's build.

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# CI installs LibreOffice (scripts/setup.sh): there a missing soffice fails instead of skipping.
NO_SOFFICE = SOFFICE is None and not os.environ.get("CI")
needs_soffice = pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice (soffice) tidak terpasang; "
                                   "scripts/setup.sh memasang libreoffice-writer-nogui")


def render_docx(paths: list[Path], out: Path) -> dict[str, Path]:
    """DOCX -> PDF with LibreOffice in a private profile; {stem: rendered PDF}."""
    profile = out / "profil-lo"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)],
                   capture_output=True, check=True, timeout=240)
    return {p.stem: out / f"{p.stem}.pdf" for p in paths}


@pytest.fixture(scope="module")
def f4_letter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The office options: F4 paper, Bookman-metric font, own margins; a Plt. signs the letter.
    The surat pengantar made with them, as (PDF, DOCX); `rendered` converts the DOCX in the one
    LibreOffice run of this module."""
    import datetime as dt

    from generator.data.load import load_repo
    from generator.figures.capaian import compute
    from generator.render import document
    from generator.render.docx import Meta, write_docx
    from generator.render.templates import environment

    tmp_path = tmp_path_factory.mktemp("f4")
    sample = tmp_path / "repo"
    shutil.copytree(ROOT / "content", sample / "content")
    shutil.copytree(ROOT / "sop", sample / "sop")
    instansi = sample / "content/instansi.yaml"
    instansi.write_text(instansi.read_text(encoding="utf-8") + "dokumen:\n  kertas: F4\n  huruf: bookman\n"
                        "  margin: {atas: 2, bawah: 2, kiri: 3, kanan: 2}\n", encoding="utf-8")
    pengiriman = sample / "content/2025/pengiriman.yaml"
    pengiriman.write_text(pengiriman.read_text(encoding="utf-8").replace(
        "  tembusan:", "  penandatangan: {sebagai: Plt., nama: 'Hj. Siti Rahmah, S.E., M.M.', "
        "nip: '197805122005012003', pangkat: Pembina, golongan: IV/a}\n  tembusan:"), encoding="utf-8")
    repo, issues = load_repo(sample)
    assert not [i for i in issues if i.is_error], issues
    state = document.DocumentState(draf=True, contoh=True,
                                   tanggal=dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), langkah_pengesahan=8)
    logo = document.logo_uri("content/lambang.svg", (sample / "content/lambang.svg").read_bytes())
    ctx = document.context(repo, 2025, compute(repo, 2025), state, logo)
    html = document.render(environment(), "surat/surat-pengantar.html", ctx)
    (tmp_path / "surat-f4.pdf").write_bytes(document.pdf(html))
    write_docx(html, tmp_path / "surat-f4.docx", Meta("Surat", "Dinas", "", ("DRAF",), state.tanggal,
                                                      page=ctx["halaman_surat"], letter=True))
    return tmp_path / "surat-f4.pdf", tmp_path / "surat-f4.docx"


@pytest.fixture(scope="module")
def rendered(built: Path, f4_letter: tuple[Path, Path],
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every DOCX of this module's tests rendered by one LibreOffice run (starting LibreOffice
    costs more than converting a file)."""
    if NO_SOFFICE:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    return render_docx([built / "lakip-2025.docx", built / "surat-pengantar-2025.docx", f4_letter[1]],
                       tmp_path_factory.mktemp("lo"))


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pages(path: Path) -> list[str]:
    return [" ".join(p.split()) for p in pdf_text(path).split("\f")]


@pytest.mark.slow
@needs_soffice
def test_surat_pengantar_is_one_page_in_pdf_and_docx(built: Path, rendered: dict[str, Path]) -> None:
    assert page_count(built / "surat-pengantar-2025.pdf") == 1
    assert page_count(rendered["surat-pengantar-2025"]) == 1
    for text in (pages(built / "surat-pengantar-2025.pdf")[0], pages(rendered["surat-pengantar-2025"])[0]):
        for line in ("PEMERINTAH KOTA SAMARINDA",
                     "DINAS KOPERASI, USAHA KECIL MENENGAH DAN PERINDUSTRIAN KOTA SAMARINDA",
                     "Telepon (0541) 7001234", "Pos-el sekretariat@diskopukmperin.example.go.id",
                     "Samarinda, 20 Februari 2026", "Hal : Penyampaian Laporan Kinerja",
                     "Yth. Kepala Bagian Organisasi", "Tembusan Yth.:", "4. Arsip",
                     "NIP. 19720314 199803 1 004"):
            assert line in text, line


@pytest.mark.slow
@needs_soffice
def test_no_word_of_the_renstra_table_is_broken(rendered: dict[str, Path]) -> None:
    import yaml

    renstra = yaml.safe_load((ROOT / "content/renstra/2025-2029.yaml").read_text(encoding="utf-8"))
    source = []
    for t in renstra["tujuan"]:
        source.append(t["uraian"])
        for s in t["sasaran"]:
            source.append(s["uraian"])
            source += [f'{i["uraian"]} {i["satuan"]}' for i in s["indikator"]]
    strip = "().,:;"
    words = {w.strip(strip) for text in source for w in text.split()} - {""}
    text = pdf_text(rendered["lakip-2025"], "-layout")
    table = text.split("Tabel 3.")[1].split("Perjanjian Kinerja Tahun 2025")[0]
    tokens = [t.strip(strip) for t in table.split()]
    fragments = sorted({t for t in tokens if t and t not in words and t.isalpha()
                        and any(w.startswith(t) or w.endswith(t) for w in words if w != t)})
    assert fragments == [], fragments
    long_words = {w for w in words if len(w) >= 8 and w.isalpha()}
    assert long_words <= set(tokens), long_words - set(tokens)


@pytest.mark.slow
@needs_soffice
def test_signature_blocks_stay_on_one_page_and_lists_restart(built: Path,
                                                             rendered: dict[str, Path]) -> None:
    for path in (built / "lakip-2025.pdf", rendered["lakip-2025"]):
        with_signature = [p for p in pages(path) if "NIP. 19720314 199803 1 004" in p]
        assert len(with_signature) >= 2, path
        for page in with_signature:
            assert "Drs. Ahmad Fauzan Ridwan, M.Si." in page and "Pembina Utama Muda (IV/c)" in page
        for page in pages(path):
            if "Samarinda, 20 Februari 2026" in page:
                assert "NIP. 19720314 199803 1 004" in page, path
    text = " ".join(pdf_text(rendered["lakip-2025"]).split())
    assert "7. Pelaksanaan fungsi lain" in text  # the 7 fungsi
    assert "1. Meningkatkan kualitas kelembagaan" in text  # the misi restart at 1
    assert "8. Meningkatkan kualitas kelembagaan" not in text


@pytest.mark.slow
@needs_soffice
def test_toc_of_the_docx_reads_right_before_any_update(rendered: dict[str, Path]) -> None:
    toc = " ".join(pages(rendered["lakip-2025"])[2].split())
    lo_pages = pages(rendered["lakip-2025"])
    for title, heading in (("Bab II Perencanaan Kinerja", "BAB II PERENCANAAN KINERJA"),
                           ("Bab IV Penutup", "BAB IV PENUTUP"), ("Lampiran", "LAMPIRAN Lampiran 1")):
        number = int(re.search(re.escape(title) + r"\.+ ?(\d+)", toc).group(1))
        assert heading in lo_pages[number - 1], (title, number)


def test_docx_tables_language_and_images(built: Path) -> None:
    package = zipfile.ZipFile(built / "lakip-2025.docx")
    xml = package.read("word/document.xml").decode()
    for grid in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml):
        widths = re.findall(r'w:w="(\d+)"', grid)
        assert len(widths) < 3 or len(set(widths)) > 1, widths
    assert xml.count("<w:tr>") == xml.count('<w:cantSplit w:val="true"/>')
    assert '<w:vMerge w:val="restart"/>' in xml  # Tujuan/Sasaran merged in the Renstra table
    assert 'w:lang w:val="id-ID"' in package.read("word/styles.xml").decode()
    cover = xml.split("KATA PENGANTAR" if "KATA PENGANTAR" in xml else "Kata Pengantar")[0]
    assert "<w:drawing>" in cover and "Daftar isi diperbarui" not in xml
    letter = zipfile.ZipFile(built / "surat-pengantar-2025.docx").read("word/document.xml").decode()
    kop = letter.split("Nomor")[0]
    assert "<w:drawing>" in kop and "PEMERINTAH KOTA SAMARINDA" in kop
    assert 'w:val="thickThinSmallGap"' in kop


def test_logo_in_the_pdf_cover_and_kop(built: Path, tmp_path: Path) -> None:
    """WeasyPrint draws the SVG lambang as vectors, so look at the page: its green must be there."""
    from PIL import Image

    for name in ("lakip-2025.pdf", "surat-pengantar-2025.pdf"):
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(built / name),
                        str(tmp_path / name)], check=True)
        image = Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("RGB")
        data = image.tobytes()
        green = sum(1 for i in range(0, len(data), 3)
                    if data[i + 1] > 70 and data[i] < 60 and data[i + 2] < 60)
        assert green > 20, name  # the shield of content/lambang.svg (#0b5d1e)


@pytest.mark.slow
@needs_soffice
def test_f4_bookman_letter_with_plt_signature_is_one_page(f4_letter: tuple[Path, Path],
                                                          rendered: dict[str, Path]) -> None:
    """The office options: F4 paper, Bookman-metric font, own margins; a Plt. signs the letter
    (made by the f4_letter fixture, its DOCX rendered with the module's others)."""
    for path in (f4_letter[0], rendered["surat-f4"]):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        assert abs(width - 609.4) < 1 and abs(height - 935.4) < 1, info  # 215 x 330 mm
        assert page_count(path) == 1, path
        text = pages(path)[0]
        assert "Plt. Kepala Dinas Koperasi" in text and "Hj. Siti Rahmah, S.E., M.M." in text
        assert "NIP. 19780512 200501 2 003" in text and "Pembina (IV/a)" in text
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "Bookman" in fonts, fonts


def test_letter_signed_by_an_acting_kepala_from_the_roster(sample: Path) -> None:
    """The roster's `sebagai: Plt.` (sop/personil.yaml) signs the letter; HTML only, no PDF."""
    import datetime as dt

    from generator.data.load import load_repo
    from generator.figures.capaian import compute
    from generator.render import document
    from generator.render.templates import environment

    personil = sample / "sop/personil.yaml"
    text = personil.read_text(encoding="utf-8")
    personil.write_text(text.replace("    peran: [kepala-dinas]\n",
                                     "    peran: [{id: kepala-dinas, sebagai: Plt.}]\n", 1), encoding="utf-8")
    repo, issues = load_repo(sample)
    assert not [i for i in issues if i.is_error], issues
    state = document.DocumentState(draf=True, contoh=True, langkah_pengesahan=8,
                                   tanggal=dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC))
    ctx = document.context(repo, 2025, compute(repo, 2025), state, None)
    html = " ".join(document.render(environment(), "surat/surat-pengantar.html", ctx).split())
    assert ("<div>Plt. Kepala Dinas Koperasi, Usaha Kecil Menengah dan Perindustrian Kota Samarinda,</div> "
            '<div class="ruang"></div> <div class="nama">Drs. Ahmad Fauzan Ridwan, M.Si.</div> '
            "<div>Pembina Utama Muda (IV/c)</div> <div>NIP. 19720314 199803 1 004</div>") in html
