"""Content-addressed outputs (issue 18): an unchanged key reuses the stored bytes, byte-identical
to a fresh render; a change to any kind of input renders again (never stale); builders in
parallel write the same bytes as one process (that test is in test_document.py, whose module
build is the fresh serial render it compares with)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.workflow import reuse
from generator.workflow.build import run_build
from tests.conftest import edit, run

REUSED = "HTML tidak berubah: dipakai ulang dari penyimpanan (tanpa render)"
NOTE = """---
langkah: 7
peran: sekretaris
keputusan: revisi
---
Lengkapi analisis Bab III.
"""


def _build(repo: Path, out: Path, formats: tuple[str, ...] = ("html",), jobs: int = 1
           ) -> tuple[list[str], dict[str, bytes]]:
    lines: list[str] = []
    built = run_build(repo, out, 2025, progress=lines.append, formats=formats, jobs=jobs)
    return lines, {p.name: p.read_bytes() for p in built.files if p.is_file()}


def _fresh(repo: Path, out: Path, monkeypatch: pytest.MonkeyPatch,
           formats: tuple[str, ...] = ("html",)) -> dict[str, bytes]:
    with monkeypatch.context() as m:
        m.setenv("LAKIP_TANPA_CACHE", "1")
        return _build(repo, out, formats)[1]


def test_each_changed_input_renders_again_and_an_unchanged_one_is_reused(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # outside git the date is the clock's
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # ~/.fonts is one of the font folders
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing stored by other tests
    reuse.fonts_digest.cache_clear()
    out = tmp_path / "out"
    lines, first = _build(sample, out)
    assert REUSED not in lines
    lines, again = _build(sample, out)
    assert REUSED in lines
    assert again == first == _fresh(sample, tmp_path / "fresh", monkeypatch)

    # A review note is shown by the site only: the documents are reused.
    (sample / "content/2025/reviu").mkdir(exist_ok=True)
    (sample / "content/2025/reviu/langkah-7.md").write_text(NOTE, encoding="utf-8")
    lines, html = _build(sample, out)
    assert REUSED in lines and html == first

    def changed(what: str, before: dict[str, bytes], again: bool = False) -> dict[str, bytes]:
        lines, html = _build(sample, out)
        assert REUSED not in lines, what
        assert html == _fresh(sample, tmp_path / "fresh", monkeypatch), what
        if again:  # and the new output is what the next build reuses
            lines, second = _build(sample, out)
            assert REUSED in lines and second == html, what
        return html

    # the data of the year
    edit(sample, "content/2025/bidang/koperasi.yaml", "Jumlah koperasi aktif naik",
         "Diubah untuk uji. Jumlah koperasi aktif naik")
    html = changed("content", first, again=True)
    assert "Diubah untuk uji." in html["lakip-2025.html"].decode()
    assert "Diubah untuk uji." not in first["lakip-2025.html"].decode()
    # the SOP
    sop = sample / "sop/lakip.yaml"
    sop.write_text(sop.read_text(encoding="utf-8") + "# diubah\n", encoding="utf-8")
    html = changed("sop", html)
    # the lambang (an image the cover embeds)
    logo = sample / "content/lambang.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("</svg>", "<!-- diubah --></svg>"),
                    encoding="utf-8")
    html = changed("logo", html)
    # the office's own template
    override = sample / "site_templates/document/_ikhtisar.html"
    override.parent.mkdir(parents=True)
    override.write_text("<section class=\"bab\" id=\"ikhtisar-eksekutif\"><h1>Ikhtisar Kantor</h1>"
                        "</section>\n", encoding="utf-8")
    html = changed("template", html)
    assert "Ikhtisar Kantor" in html["lakip-2025.html"].decode()
    # the document's state (its date)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    html = changed("state", html)
    # the installed fonts
    fonts = tmp_path / "home/.fonts"
    fonts.mkdir(parents=True)
    (fonts / "Huruf.ttf").write_bytes(b"bukan huruf sungguhan")
    reuse.fonts_digest.cache_clear()
    html = changed("fonts", html)
    # lakip itself and the rendering libraries (their digests, as another version gives them)
    monkeypatch.setattr(reuse, "code_digest", lambda: "lakip versi lain")
    html = changed("lakip", html)
    monkeypatch.setattr(reuse, "library_versions", lambda: "weasyprint=0")
    changed("libraries", html)
    reuse.fonts_digest.cache_clear()


def test_a_stored_output_edited_by_someone_else_is_not_served(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _, first = _build(sample, tmp_path / "out")
    stored = list((tmp_path / "cache/lakip/keluaran").iterdir())
    assert len(stored) == 1
    data = stored[0].read_bytes()
    stored[0].write_bytes(data.replace(b"LAPORAN KINERJA", b"LAPORAN PALSU", 1))
    lines, again = _build(sample, tmp_path / "out")
    assert REUSED not in lines and again == first


def test_jobs_must_be_positive(sample: Path) -> None:
    result = run("build", "--repo", sample, "--jobs", "0")
    assert (result.code, result.err) == (2, "lakip: galat: --jobs harus bilangan bulat 1 atau lebih, "
                                            "bukan 0\n")


def test_the_cache_switch_turns_stored_outputs_off(sample: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")
    _build(sample, tmp_path / "out")
    lines, _ = _build(sample, tmp_path / "out")
    assert REUSED not in lines
    assert not (tmp_path / "cache/lakip/keluaran").exists() or not os.listdir(
        tmp_path / "cache/lakip/keluaran")


def test_fontconfig_setup_and_system_libraries_are_part_of_the_output_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF rendered under another fontconfig setup is another PDF: FONTCONFIG_FILE (and the file
    it names) changes the key, as the C libraries and Python do (review: a stale PDF was served)."""
    from generator.workflow import reuse

    def key() -> str:
        reuse.system_digest.cache_clear()
        return reuse.system_digest()

    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    before = key()
    conf = tmp_path / "fonts.conf"
    conf.write_text("<fontconfig/>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    named = key()
    conf.write_text("<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir></fontconfig>\n",
                    encoding="utf-8")
    edited = key()
    monkeypatch.delenv("FONTCONFIG_FILE")
    assert len({before, named, edited}) == 3 and key() == before


def test_the_websites_excel_forms_are_reused_until_their_inputs_change(
        office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step-4 forms the website offers (one workbook per bidang) come from the store while
    their inputs are unchanged, byte-identical to a fresh one; a change to the data, the roster or
    the form's date makes them again."""
    from generator.workflow import excel, mkdocs_plugin
    from generator.workflow.snapshot import gather

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    office.run_until(3)  # step 4 runs: the site offers the forms
    made: list[str] = []
    real = excel.form_bytes
    monkeypatch.setattr(excel, "form_bytes", lambda snap, bidang: made.append(bidang) or real(snap, bidang))

    def forms() -> dict[str, bytes]:
        made.clear()
        return mkdocs_plugin._forms(gather(office.root, 2025))

    def fresh() -> dict[str, bytes]:
        with monkeypatch.context() as m:
            m.setenv("LAKIP_TANPA_CACHE", "1")
            return mkdocs_plugin._forms(gather(office.root, 2025))

    first = forms()
    bidang = sorted(first)
    assert len(bidang) > 1 and sorted(made) == bidang
    assert forms() == first and made == []  # nothing written again
    assert fresh() == first

    edit(office.root, "content/2025/bidang/koperasi.yaml", "Jumlah koperasi aktif naik",
         "Diubah untuk uji. Jumlah koperasi aktif naik")
    data = forms()
    assert sorted(made) == bidang and data == fresh() and data["koperasi"] != first["koperasi"]
    roster = office.root / "sop/personil.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "# diubah\n", encoding="utf-8")
    assert forms() == data and sorted(made) == bidang  # made again (same bytes: a comment)
    monkeypatch.setattr(excel, "form_date", lambda snap: __import__("datetime").datetime(2030, 1, 1))
    later = forms()
    assert sorted(made) == bidang and later == fresh() and later["koperasi"] != data["koperasi"]
    # a snapshot read from a commit never uses stored forms
    from generator.workflow.reuse import form_key

    assert form_key(gather(office.root, 2025, ref="HEAD"), "koperasi") is None
