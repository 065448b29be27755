"""The DOCX writer on small HTML: table geometry, merged cells, lists that restart, images from
data: URLs (PNG, JPEG, SVG rendered to PNG), language, keep-together and the pre-filled TOC.
Pure python-docx: no WeasyPrint or LibreOffice here (test_rendering.py renders real documents)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
from PIL import Image

from generator.render.docx import Meta, write_docx
from generator.render.docx_tables import text_width
from generator.render.page import halaman

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(tmp_path: Path, body: str, **meta) -> tuple[str, Path]:
    path = tmp_path / "t.docx"
    options = {"title": "T", "author": "A", "header": "H", "marks": ("DRAF",),
               "created": dt.datetime(2026, 2, 20, 2, 0)} | meta
    write_docx(f"<!DOCTYPE html><html><head><style>p{{}}</style></head><body>{body}</body></html>",
               path, Meta(**options))
    return zipfile.ZipFile(path).read("word/document.xml").decode(), path


def data_uri(kind: str, payload: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(payload).decode()}"


def raster(fmt: str, size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, fmt, dpi=(96, 96))
    return out.getvalue()


RENSTRA = """<table><caption>Tabel 3. Renstra</caption>
<thead><tr><th>Tujuan</th><th>Sasaran</th><th>Indikator</th><th class="angka">2025</th></tr></thead>
<tbody>
<tr><td rowspan="3">Meningkatkan daya saing koperasi dan usaha mikro</td>
    <td rowspan="2">Meningkatnya kualitas</td><td>Persentase koperasi aktif</td><td class="angka">44</td></tr>
<tr><td>Persentase usaha mikro binaan yang meningkat omzetnya</td><td class="angka">38,5</td></tr>
<tr><td>Meningkatnya legalitas</td><td>Persentase usaha mikro yang memiliki NIB</td>
    <td class="angka">76</td></tr>
</tbody></table>"""


def test_table_widths_follow_the_text_rows_do_not_split_and_merged_cells_merge(tmp_path: Path) -> None:
    xml, _ = build(tmp_path, RENSTRA)
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert len(widths) == 4 and len(set(widths)) > 1
    assert sum(widths) == round((210 - 45) / 25.4 * 1440)  # the text width of A4 with the margins
    assert widths[3] < widths[0] and widths[3] < widths[2]  # the number column is the narrowest
    assert '<w:tblLayout w:type="fixed"/>' in xml
    assert xml.count('<w:cantSplit w:val="true"/>') == 4
    assert xml.count('<w:tblHeader w:val="true"/>') == 1
    assert xml.count('<w:vMerge w:val="restart"/>') == 2 and xml.count("<w:vMerge/>") == 3
    document = docx.Document(str(tmp_path / "t.docx"))
    table = document.tables[0]
    assert table.cell(2, 0).text == "Meningkatkan daya saing koperasi dan usaha mikro"  # merged
    assert table.cell(3, 1).text == "Meningkatnya legalitas"
    number = table.cell(2, 3).paragraphs[0]
    assert number.text == "38,5" and number.alignment == 2  # right-aligned
    caption = next(p for p in document.paragraphs if p.text == "Tabel 3. Renstra")
    assert caption.style.name == "Caption" and caption.style.paragraph_format.keep_with_next


def test_no_column_is_narrower_than_its_longest_word(tmp_path: Path) -> None:
    xml, _ = build(tmp_path, RENSTRA)
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    for col, word in enumerate(("Meningkatkan", "Meningkatnya", "Persentase", "38,5")):
        assert widths[col] > text_width(word, 9) + 216, (col, word)


def test_colspan_becomes_grid_span(tmp_path: Path) -> None:
    xml, path = build(tmp_path, """<table><thead>
    <tr><th rowspan="2">Indikator</th><th colspan="2">Triwulan</th></tr><tr><th>I</th><th>II</th></tr>
    </thead><tbody><tr><td>A</td><td class="angka">1</td><td class="angka">2</td></tr></tbody></table>""")
    assert '<w:gridSpan w:val="2"/>' in xml
    assert xml.count('<w:tblHeader w:val="true"/>') == 2
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[2].cells] == ["A", "1", "2"]
    assert [c.text for c in table.rows[0].cells] == ["Indikator", "Triwulan", "Triwulan"]


def test_each_numbered_list_restarts_and_bullets_stay_bullets(tmp_path: Path) -> None:
    _, path = build(tmp_path, "<ol><li>a</li><li>b</li></ol><p>x</p><ol><li>c</li></ol><ul><li>d</li></ul>")
    document = docx.Document(str(path))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2]
    numbering = document.part.numbering_part.element
    for num_id in set(ids):
        num = next(n for n in numbering.num_lst if n.numId == num_id)
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == ["d"]


def test_images_png_jpeg_svg_and_inline_svg_become_pictures(tmp_path: Path) -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="200" viewBox="0 0 100 50">'
           b'<rect width="100" height="50" fill="#036"/>'
           b'<image href="file:///etc/hostname" width="10" height="10"/></svg>')
    body = (f'<p><img src="{data_uri("image/png", raster("PNG"))}"></p>'
            f'<figure><img src="{data_uri("image/jpeg", raster("JPEG"))}" width="96">'
            f'<figcaption>Grafik 1. Capaian</figcaption></figure>'
            f'<figure><img src="{data_uri("image/svg+xml", svg)}"><figcaption>Grafik 2</figcaption></figure>'
            '<figure><svg viewBox="0 0 40 10" width="240"><rect width="40" height="10"/></svg></figure>'
            '<p><img src="file:///etc/hostname" alt="tidak dimuat"><img src="https://example.org/x.png"></p>')
    xml, path = build(tmp_path, body)
    media = sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/"))
    assert sorted(n.rsplit(".", 1)[1] for n in media) == ["jpg", "png", "png", "png"]
    extents = [(int(a), int(b)) for a, b in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', xml)]
    assert extents[1] == (914400, 457200)  # width="96" px = 1 inch, aspect kept
    assert extents[2] == (1905000, 952500)  # the SVG's own 200 px width, height from its viewBox
    assert extents[3] == (2286000, 571500)  # inline <svg width="240">: 2.5 in x 0.625 in
    document = docx.Document(str(path))
    assert "tidak dimuat" in [p.text for p in document.paragraphs]  # alt text, nothing read
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [c.text for c in captions] == ["Grafik 1. Capaian", "Grafik 2"]
    picture = captions[0]._p.getprevious()
    assert picture.find(f"{W}pPr/{W}keepNext") is not None  # the picture stays with its caption


def test_language_fonts_and_page_from_the_office_options(tmp_path: Path) -> None:
    from generator.data.model import TataDokumen

    page = halaman(TataDokumen(kertas="F4", huruf="bookman", margin=(3.0, 2.0, 2.5, 3.0)))
    _, path = build(tmp_path, "<h1>Bab I <span class='sub'>Pendahuluan</span></h1><p>teks</p>", page=page)
    package = zipfile.ZipFile(path)
    styles = package.read("word/styles.xml").decode()
    assert 'w:lang w:val="id-ID"' in styles and "en-US" not in styles
    assert "Theme" not in re.sub(r"<w:latentStyles.*?</w:latentStyles>", "", styles, flags=re.S)
    assert set(re.findall(r'w:ascii="([^"]+)"', styles)) == {"Bookman Old Style"}
    document_xml = package.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>.*?</w:r>", document_xml, flags=re.S)
    assert runs and all('<w:lang w:val="id-ID"/>' in r for r in runs)
    section = docx.Document(str(path)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (215, 330)
    assert round(section.top_margin.cm, 1) == 3.0 and round(section.left_margin.cm, 1) == 3.0


def test_signature_block_keeps_together_with_the_paragraph_before(tmp_path: Path) -> None:
    _, path = build(tmp_path, '<p>Penutup.</p><div class="ttd"><div>Samarinda, 20 Februari 2026</div>'
                              '<div>Kepala Dinas</div><div class="ruang"></div>'
                              '<div class="nama">Drs. A, M.Si.</div>'
                              '<div>NIP. 19720314 199803 1 004</div></div>')
    paragraphs = docx.Document(str(path)).paragraphs
    texts = [p.text for p in paragraphs]
    start = texts.index("Penutup.")
    block = paragraphs[start:start + 6]
    assert [p.paragraph_format.keep_with_next for p in block] == [True] * 5 + [False]
    assert all(p.paragraph_format.keep_together for p in block[1:])
    assert block[4].runs[0].bold and block[4].runs[0].underline


def test_toc_field_holds_the_entries_with_page_numbers(tmp_path: Path) -> None:
    body = ('<section class="bab daftar-isi"><h1>Daftar Isi</h1><ol>'
            '<li data-tingkat="1"><a href="#bab-1">Bab I Pendahuluan</a></li>'
            '<li class="sub" data-tingkat="3"><a href="#sasaran-S1">Sasaran 1: Koperasi</a></li>'
            '</ol></section>'
            '<section class="bab" id="bab-1"><h1 id="bab-1">Bab I</h1></section>')
    xml, path = build(tmp_path, body, toc_pages={"bab-1": 4, "sasaran-S1": 11})
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    document = docx.Document(str(path))
    toc = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("toc")]
    assert toc == [("toc 1", "Bab I Pendahuluan\t4"), ("toc 3", "Sasaran 1: Koperasi\t11")]
    assert xml.index('w:fldCharType="begin"') < xml.index("Bab I Pendahuluan") < xml.index(
        'w:fldCharType="end"')
    assert '<w:bookmarkStart w:id="1" w:name="bab-1"/>' in xml
