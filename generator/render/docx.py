"""Our document HTML -> DOCX with real Word structure (python-docx over an lxml tree).

The HTML that the document templates produce is the one source of every format. This writer
parses it with lxml and maps its small, known vocabulary onto Word: sections and h1-h4 onto
Heading 1-4, `<ol>`/`<ul>` onto numbered/bulleted paragraphs with one numbering instance per list,
tables onto fixed-layout tables whose column widths follow the cell text (docx_tables), `<img>`,
`<figure>` and inline `<svg>` onto pictures (PNG/JPEG as they are, SVG rendered to PNG), the
cover, the letterhead (kop) and the signature block onto paragraphs that keep together, the TOC
onto a field that already holds its entries. Anything else is walked for its text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

import lxml.html
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt, RGBColor, Twips

from generator.render import docx_ooxml as ox
from generator.render.docx_tables import write_table
from generator.render.page import Halaman, halaman
from generator.render.reproducible import reproducible_zip

_SKIP_TAGS = {"head", "style", "script", "title", "meta", "link", "noscript", "template"}
_SKIP_CLASSES = {"tanda", "tanda-atas", "judul-dokumen"}
_HEADING_PT = {1: 15, 2: 12.5, 3: 11.5, 4: 11}
_BLACK = RGBColor(0x11, 0x11, 0x11)


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(el) -> str:
    """The element's text with <br> as a space, comments left out."""
    parts = [el.text or ""] if isinstance(el.tag, str) else []
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
            parts.append(" " if child.tag == "br" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    header: str  # running header text
    marks: tuple[str, ...]  # "DRAF", "CONTOH": printed in every page header
    created: dt.datetime
    page: Halaman = field(default_factory=lambda: halaman(None))
    toc_pages: Mapping[str, int] = field(default_factory=dict)  # anchor id -> page, from the PDF
    letter: bool = False  # the surat pengantar: tighter spacing, no running header or page number


def write_docx(html: str, path, meta: Meta) -> None:
    """Write `html` (a document or a letter from our templates) as DOCX at `path`, reproducibly
    (`docx_bytes`), never through a symlink."""
    from generator.store import write_file

    write_file(path.parent, path, docx_bytes(html, meta))


def docx_bytes(html: str, meta: Meta) -> bytes:
    """`html` (a document or a letter from our templates) as the bytes of a DOCX, the same bytes
    for the same HTML and Meta. Only `data:` images inside the HTML are used; nothing is read
    from disk or the network."""
    import docx

    document = docx.Document()
    _styles(document, meta)
    section = document.sections[0]
    page = meta.page
    section.page_width, section.page_height = Mm(page.lebar_mm), Mm(page.tinggi_mm)
    top, right, bottom, left = page.margin_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(min(12.5, top / 2))
    _header_footer(section, meta)

    writer = _Writer(document, meta)
    root = lxml.html.document_fromstring(html)
    writer.blocks(root.body if root.find("body") is not None else root)
    if writer.has_toc:
        ox.update_fields_on_open(document)
    for part in (document.element, *(s.header._element for s in document.sections),
                 *(s.footer._element for s in document.sections)):
        ox.run_properties_language(part)

    core = document.core_properties
    core.title, core.author, core.last_modified_by = meta.title, meta.author, "lakip"
    core.language = ox.LANG
    core.created = core.modified = meta.created.replace(tzinfo=None)
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), meta.created)


def _styles(document, meta: Meta) -> None:
    """One family for body and headings, id-ID everywhere, black headings sized like the PDF."""
    from docx.enum.style import WD_STYLE_TYPE

    family = meta.page.huruf
    body_pt = 11
    ox.document_defaults(document, family, body_pt * 2)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(body_pt)
    normal.paragraph_format.space_after = Pt(3 if meta.letter else 6)
    # CSS line-height 1.45 (style.css) is 1.45 x the font size; Word's "multiple" is relative
    # to the font's own line height (about 1.15 em for Arial), so 1.25 lays out like the PDF.
    normal.paragraph_format.line_spacing = 1.0 if meta.letter else 1.25
    for level, size in _HEADING_PT.items():
        style = styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.color.rgb = _BLACK
        style.font.bold = True
        style.font.italic = level == 4
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt({1: 0, 2: 16, 3: 13, 4: 11}[level])
        style.paragraph_format.space_after = Pt(18 if level == 1 else 5)
        if level == 1:
            style.font.all_caps = True
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ox.set_fonts(style.element.get_or_add_rPr(), family)
        color = style.element.rPr.find(ox.qn("w:color"))
        for key in [k for k in color.attrib if "theme" in k.lower()]:
            del color.attrib[key]
    caption = styles["Caption"]
    caption.font.size, caption.font.bold, caption.font.italic = Pt(10), True, False
    caption.font.color.rgb = _BLACK
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True  # a caption stays with its table
    caption.paragraph_format.space_before = Pt(6)
    for level in (1, 2, 3):
        style = styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.name_val = f"toc {level}"  # Word's built-in name, so Word restyles it too
        style.base_style = normal
        style.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        ox.right_tab_with_dots(style, round(meta.page.text_width_mm / 10 * ox.TWIPS_PER_CM))
    ox.set_language(styles.element)


class _Writer:
    """Walks the body; `self.target` is where paragraphs go (the document or a table cell)."""

    def __init__(self, document, meta: Meta) -> None:
        self.doc = document
        self.meta = meta
        self.target = document
        self.started = False
        self.has_toc = False
        self.new_page = False  # the next paragraph starts a page (a chapter after another)
        self.last_paragraph = None
        self.text_width_in = meta.page.text_width_mm / 25.4
        self.style_ids: dict[str, str | None] = {}

    # ------------------------------------------------------------ blocks

    def paragraph(self, style=None):
        paragraph = self.target.add_paragraph()
        if style is not None and not isinstance(style, str):
            paragraph.style = style  # a style object (the few TOC entries)
        elif style is not None:
            # python-docx looks a style up by name (a scan of every style) on each paragraph:
            # each style's id is looked up once per document instead.
            if style not in self.style_ids:
                from docx.enum.style import WD_STYLE_TYPE

                self.style_ids[style] = self.doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            paragraph._p.style = self.style_ids[style]
        self.last_paragraph = paragraph
        if self.new_page and self.target is self.doc:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False
        return paragraph

    def blocks(self, node) -> None:
        if (node.text or "").strip():
            self.inline(self.paragraph(), node, only_text=True)
        for child in node:
            if isinstance(child.tag, str):
                self.block(child)
            if (child.tail or "").strip():
                self.paragraph().add_run(_clean(child.tail))

    def block(self, el) -> None:
        tag, classes = el.tag, _classes(el)
        if tag in _SKIP_TAGS or _SKIP_CLASSES & classes:
            return
        if tag == "section":
            self.section(el, classes)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(el, min(int(tag[1]), 4))
        elif tag == "p":
            paragraph = self.paragraph()
            self.inline(paragraph, el)
            if "isi" in _classes(el.getparent()):
                paragraph.paragraph_format.first_line_indent = Cm(1.25)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if "catatan" in classes:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
            if "tanggal" in classes or "kanan" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif "tengah" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif tag in ("ul", "ol"):
            self.list(el)
        elif tag == "table":
            self.table(el)
        elif tag == "figure":
            self.figure(el)
        elif tag in ("img", "svg"):
            paragraph = self.paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.image(paragraph, el)
        elif tag == "div" and "ttd" in classes:
            self.signature(el)
        elif tag == "div" and "ttd-ganda" in classes:
            self.signatures_side_by_side(el)
        elif tag == "div" and "kop" in classes:
            self.kop(el)
        elif tag == "div" and "kepada" in classes:
            for line in (c for c in el if isinstance(c.tag, str)):
                paragraph = self.paragraph()
                paragraph.paragraph_format.left_indent = Mm(self.meta.page.text_width_mm * 0.55
                                                            + (4 if "di" in _classes(line) else 0))
                paragraph.paragraph_format.space_after = Pt(0)
                self.inline(paragraph, line)
            self.last_paragraph.paragraph_format.space_after = Pt(10)
        elif tag == "hr":
            ox.border(self.paragraph(), "bottom")
        elif tag == "pre":
            self.paragraph().add_run(_text(el))
        elif tag in ("div", "span", "blockquote", "main", "article", "header", "footer", "nav",
                     "aside", "body"):
            self.blocks(el)
        elif tag == "dl":
            for child in el:
                if isinstance(child.tag, str):
                    paragraph = self.paragraph()
                    self.inline(paragraph, child, bold=child.tag == "dt")
        else:
            self.inline(self.paragraph(), el)

    def section(self, el, classes: set[str]) -> None:
        if ("bab" in classes and self.started) or "sampul" in classes:
            self.new_page = self.started
        self.started = True
        if "sampul" in classes:
            self.cover(el)
            self.new_page = True
        elif "daftar-isi" in classes:
            for child in el:
                if isinstance(child.tag, str) and child.tag in ("h1", "h2"):
                    self.heading(child, 1)
            self.toc(el)
        else:
            self.blocks(el)

    def heading(self, el, level: int) -> None:
        paragraph = self.paragraph(f"Heading {level}" if self.target is self.doc else None)
        sub = [c for c in el if isinstance(c.tag, str) and "sub" in _classes(c)]
        if sub and level == 1:
            # "Bab I" over "Pendahuluan", as the PDF prints it.
            paragraph.add_run(_clean(el.text or ""))
            for part in sub:
                paragraph.add_run().add_break()
                paragraph.add_run(_clean(_text(part)))
        else:
            paragraph.add_run(_clean(_text(el)))
        if el.get("id"):
            self.bookmark(paragraph, el.get("id"))

    _bookmarks = 0

    def bookmark(self, paragraph, name: str) -> None:
        """A bookmark named after the HTML id, so TOC entries and links can point at it."""
        self._bookmarks += 1
        start = ox.element("w:bookmarkStart", id=str(self._bookmarks), name=name[:40])
        end = ox.element("w:bookmarkEnd", id=str(self._bookmarks))
        p = paragraph._p
        first = p.find(ox.qn("w:r"))
        (first.addprevious(start) if first is not None else p.append(start))
        p.append(end)

    def list(self, el, level: int = 0) -> None:
        ordered = el.tag == "ol"
        base = "List Number" if ordered else "List Bullet"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        num_id = ox.new_list(self.doc, style) if ordered else None
        for item in el:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            paragraph = self.paragraph(style)
            if num_id is not None:
                ox.number_paragraph(paragraph, num_id, 0)
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            self.inline(paragraph, item, skip=set(map(id, nested)))
            for child in nested:
                self.list(child, level + 1)

    def figure(self, el) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "figcaption":
                paragraph = self.paragraph("Caption")
                self.inline(paragraph, child)
            elif child.tag in ("img", "svg"):
                paragraph = self.paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.keep_with_next = True
                self.image(paragraph, child)
            else:
                self.block(child)
        if self.last_paragraph is not None:
            self.last_paragraph.paragraph_format.keep_with_next = False

    def table(self, el) -> None:
        caption = el.find("caption")
        if caption is not None:
            self.inline(self.paragraph("Caption"), caption)
        write_table(self, el)
        spacer = self.paragraph()
        spacer.paragraph_format.space_after = Pt(0)

    # ------------------------------------------------------------ special blocks

    def cover(self, el) -> None:
        sizes = {"judul": 20, "tahun": 18, "instansi": 14}
        for child in el:
            if not isinstance(child.tag, str) or _SKIP_CLASSES & _classes(child):
                continue
            classes = _classes(child)
            paragraph = self.paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            kind = next((k for k in sizes if k in classes), None)
            if "logo" in classes:
                paragraph.paragraph_format.space_before = Pt(48)
                paragraph.paragraph_format.space_after = Pt(36)
                for img in child.iter("img", "svg"):
                    self.image(paragraph, img, box_cm=(4.0, 4.0))
                continue
            self.inline(paragraph, child)
            if kind:
                for run in paragraph.runs:
                    run.bold = True
                    run.font.size = Pt(sizes[kind])
                    run.font.all_caps = kind == "instansi"
                paragraph.paragraph_format.space_before = Pt(36 if kind != "tahun" else 6)
            if "catatan" in classes:
                for run in paragraph.runs:
                    run.font.size = Pt(9)

    def kop(self, el) -> None:
        """The letterhead (Permendagri 1/2023): lambang left of the centred lines, double rule."""
        from generator.render.docx_tables import kop_table

        kop_table(self, el)
        rule = self.paragraph()
        rule.paragraph_format.space_after = Pt(12)
        for run in rule.runs:
            run.font.size = Pt(2)
        ox.border(rule, "top", "thickThinSmallGap", 24, 1)

    def signature(self, el) -> None:
        """The signature block: right half of the page, every line kept with the next and the
        paragraph before it kept with it, so it never splits and never stands alone on a page."""
        if self.last_paragraph is not None:
            self.last_paragraph.paragraph_format.keep_with_next = True
        self.signature_lines(el, Mm(self.meta.page.text_width_mm * 0.5))

    def signature_lines(self, el, indent) -> None:
        lines = [c for c in el if isinstance(c.tag, str)]
        for index, line in enumerate(lines):
            classes = _classes(line)
            paragraph = self.paragraph()
            fmt = paragraph.paragraph_format
            fmt.left_indent = indent
            fmt.keep_together = True
            fmt.keep_with_next = index < len(lines) - 1
            fmt.space_after = Pt(0)
            if index == 0:
                fmt.space_before = Pt(18)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if "ruang" in classes:
                fmt.space_after = Pt(48)
                continue
            self.inline(paragraph, line)
            if "nama" in classes:
                for run in paragraph.runs:
                    run.bold = run.underline = True

    def signatures_side_by_side(self, el) -> None:
        """Two signature blocks next to each other (the PK's pihak kedua and pihak pertama): a
        borderless one-row table whose row does not split, kept with the paragraph before it."""
        blocks = [c for c in el if isinstance(c.tag, str) and "ttd" in _classes(c)]
        if not blocks:
            return
        if self.last_paragraph is not None:
            self.last_paragraph.paragraph_format.keep_with_next = True
        total = round(self.text_width_in * ox.TWIPS_PER_INCH)
        widths = [total // len(blocks)] * len(blocks)
        widths[-1] += total - sum(widths)
        table = self.target.add_table(rows=1, cols=len(blocks))
        ox.table_geometry(table, widths, borders=False)
        ox.row_properties(table.rows[0], header=False)
        saved = self.target
        for cell, block, width in zip(table.rows[0].cells, blocks, widths, strict=True):
            ox.cell_properties(cell._tc, width)
            self.target = cell
            self.signature_lines(block, 0)
            first = cell.paragraphs[0]
            if not first.text and not first.runs:  # the cell's own empty first paragraph
                first._p.getparent().remove(first._p)
        self.target = saved
        self.last_paragraph = None

    def toc(self, el) -> None:
        """The TOC field with its entries already written (titles and the PDF's page numbers), so
        it reads right before any update; Word recomputes it on opening, LibreOffice on demand."""
        entries = []
        for li in el.iter("li"):
            link = li.find(".//a")
            href = (link.get("href") or "") if link is not None else ""
            level = int(li.get("data-tingkat") or (2 if "sub" in _classes(li) else 1))
            entries.append((min(level, 3), _clean(_text(li)), href.removeprefix("#")))
        if not entries:
            return
        self.has_toc = True
        styles = {s.name: s for s in self.doc.styles}
        for index, (level, title, anchor) in enumerate(entries):
            paragraph = self.paragraph(styles[f"toc {level}"])
            if index == 0:
                ox.field_begin(paragraph, r'TOC \o "1-3" \h \z \u')
            paragraph.add_run(title)
            number = self.meta.toc_pages.get(anchor)
            if number is not None:
                paragraph.add_run("\t" + str(number))
            if index == len(entries) - 1:
                ox.field_end(paragraph)

    # ------------------------------------------------------------ inline

    def inline(self, paragraph, el, bold: bool = False, italic: bool = False,
               underline: bool = False, only_text: bool = False, skip: frozenset | set = frozenset()
               ) -> None:
        self._text(paragraph, el.text, bold, italic, underline)
        if only_text:
            return
        for child in el:
            if isinstance(child.tag, str) and id(child) not in skip and child.tag not in _SKIP_TAGS:
                tag = child.tag
                if tag == "br":
                    paragraph.add_run().add_break()
                elif tag in ("img", "svg"):
                    self.image(paragraph, child)
                elif tag in ("ul", "ol", "table", "figure"):
                    self.block(child)  # into the current target: the document or the cell
                elif tag in ("p", "div") and paragraph.runs:
                    paragraph.add_run().add_break()
                    self.inline(paragraph, child, bold, italic, underline)
                else:
                    self.inline(paragraph, child, bold or tag in ("strong", "b", "th"),
                                italic or tag in ("em", "i"), underline or tag == "u")
            self._text(paragraph, child.tail, bold, italic, underline)

    @staticmethod
    def _text(paragraph, text: str | None, bold: bool, italic: bool, underline: bool) -> None:
        if not text:
            return
        clean = " ".join(text.split())
        if text[:1].isspace() and paragraph.runs and clean:
            clean = " " + clean
        elif text[:1].isspace() and not clean and paragraph.runs:
            clean = " "
        if text[-1:].isspace() and clean and clean != " ":
            clean += " "
        if clean:
            ox.text_run(paragraph._p, clean, bold, italic, underline)

    def image(self, paragraph, el, box_cm: tuple[float, float] | None = None) -> None:
        """A picture from `<img src="data:...">` or an inline `<svg>`; other sources are skipped
        (a document never reads files or the network)."""
        if el.tag == "svg":
            from generator.render.docx_ooxml import inline_svg_image

            image = inline_svg_image(el)
        else:
            image = ox.decode_image(el.get("src") or "")
        if image is None:
            alt = el.get("alt")
            if alt:
                paragraph.add_run(alt)
            return
        if box_cm is not None:
            width, height = ox.box(image, box_cm[0] / 2.54, box_cm[1] / 2.54)
        else:
            wanted = _css_length_in(el.get("width"))
            natural = ox.Image(image.png_or_jpeg, wanted or image.width_in,
                               (image.height_in * wanted / image.width_in) if wanted and image.width_in
                               else image.height_in)
            width, height = ox.fit(natural, self.text_width_in, 0.8 * self.meta.page.tinggi_mm / 25.4)
        ox.picture(paragraph.add_run(), image, width, height)


def _css_length_in(value: str | None) -> float | None:
    """An HTML width attribute (`320`, `320px`, `8cm`, `80mm`) in inches; percentages are None."""
    if not value:
        return None
    value = value.strip().lower()
    units = {"px": 1 / 96, "cm": 1 / 2.54, "mm": 1 / 25.4, "in": 1.0, "pt": 1 / 72}
    for unit, factor in units.items():
        if value.endswith(unit):
            value, scale = value[: -len(unit)], factor
            break
    else:
        scale = 1 / 96
    try:
        number = float(value)
    except ValueError:
        return None
    return number * scale if number > 0 else None


def _header_footer(section, meta: Meta) -> None:
    section.different_first_page_header_footer = not meta.letter
    header = section.header.paragraphs[0]
    header.text = ""
    if meta.header:
        run = header.add_run(meta.header)
        run.font.size = Pt(8)
    _marks(header, meta)
    if meta.letter:
        return
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ox.field(footer, "PAGE", "1")
    # The cover's own header: only the marks (a draft is a draft from its first page).
    _marks(section.first_page_header.paragraphs[0], meta)


def _marks(paragraph, meta: Meta) -> None:
    """DRAF · CONTOH at the right margin (the Header style's default tabs are for Letter paper)."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    if not meta.marks:
        return
    tabs = paragraph.paragraph_format.tab_stops
    for position in (4680, 9360):
        tabs.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Mm(meta.page.text_width_mm), WD_TAB_ALIGNMENT.RIGHT)
    mark = paragraph.add_run("\t" + " · ".join(meta.marks))
    mark.bold = True
    mark.font.size = Pt(9)
    mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

