"""Our document HTML -> DOCX with real Word structure (python-docx).

The HTML that the document templates produce is the one source of every format: this walker maps
its small, known vocabulary (sections, h1-h4, p, lists, tables with thead, the signature block)
onto Word headings, lists, tables with repeated header rows, a TOC field and page-number fields.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"br", "img", "meta", "hr", "link", "input"}
_SKIP = {"head", "style", "script", "title"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            else:
                parts.append(child.text())
        return "".join(parts)

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found += child.find_all(tag)
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _clean(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    header: str  # running header text
    marks: tuple[str, ...]  # "DRAF", "CONTOH": printed in every page header
    created: dt.datetime


def write_docx(html: str, path: Path, meta: Meta) -> None:
    """Write `html` (a document or a letter from our templates) as DOCX at `path`, reproducibly."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        styles[name].font.name = "Arial"
        styles[name].font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    _header_footer(section, meta)

    writer = _Writer(document, WD_ALIGN_PARAGRAPH, Pt)
    body = next((n for n in parse(html).find_all("body")), None) or parse(html)
    writer.blocks(body)
    _set_update_fields(document)

    core = document.core_properties
    core.title, core.author, core.last_modified_by = meta.title, meta.author, "lakip"
    core.created = core.modified = meta.created.replace(tzinfo=None)
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue(), meta.created))


class _Writer:
    def __init__(self, document, align, pt) -> None:
        self.doc = document
        self.align = align
        self.pt = pt
        self.started = False

    def blocks(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self.doc.add_paragraph(_clean(child))
                continue
            self.block(child)

    def block(self, node: Node) -> None:
        tag, classes = node.tag, node.classes
        if {"tanda", "tanda-atas", "judul-dokumen"} & classes:
            return
        if tag == "section":
            if "bab" in classes and self.started:
                self.doc.add_page_break()
            self.started = True
            if "daftar-isi" in classes:
                heading = node.find_all("h1")
                self.doc.add_heading(_clean(heading[0].text()) if heading else "Daftar Isi", 1)
                _toc_field(self.doc.add_paragraph())
                return
            if "sampul" in classes:
                self.cover(node)
                return
            self.blocks(node)
        elif tag in ("h1", "h2", "h3", "h4"):
            self.doc.add_heading(_clean(node.text()), int(tag[1]))
        elif tag == "p":
            paragraph = self.doc.add_paragraph()
            self.inline(paragraph, node)
            if "catatan" in classes:
                for run in paragraph.runs:
                    run.font.size = self.pt(9)
        elif tag in ("ul", "ol"):
            style = "List Number" if tag == "ol" else "List Bullet"
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    self.inline(self.doc.add_paragraph(style=style), item)
        elif tag == "table":
            self.table(node)
        elif tag == "div" and "ttd" in classes:
            for line in (c for c in node.children if isinstance(c, Node)):
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = self.pt(260)
                paragraph.alignment = self.align.CENTER
                text = _clean(line.text())
                run = paragraph.add_run(text)
                if "nama" in line.classes:
                    run.bold = run.underline = True
                if "ruang" in line.classes:
                    paragraph.paragraph_format.space_after = self.pt(48)
        elif tag in ("div", "span", "blockquote", "main", "article"):
            self.blocks(node)
        elif tag in ("pre",):
            self.doc.add_paragraph(node.text())

    def cover(self, node: Node) -> None:
        sizes = {"judul": 20, "tahun": 18, "instansi": 14}
        for child in (c for c in node.children if isinstance(c, Node)):
            if "judul-dokumen" in child.classes:
                continue
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = self.align.CENTER
            kind = next((k for k in sizes if k in child.classes), None)
            text = "[ LOGO ]" if "logo" in child.classes else _clean(child.text())
            run = paragraph.add_run(text)
            if kind:
                run.bold = True
                run.font.size = self.pt(sizes[kind])
                paragraph.paragraph_format.space_before = self.pt(36 if kind != "tahun" else 6)

    def inline(self, paragraph, node: Node, bold: bool = False, italic: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = " ".join(child.split())
                if child[:1].isspace() and paragraph.runs:
                    text = " " + text
                if child[-1:].isspace() and text:
                    text += " "
                if text:
                    run = paragraph.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("ul", "ol", "p", "table"):
                self.block(child)
            else:
                self.inline(paragraph, child, bold or child.tag in ("strong", "b", "th"),
                            italic or child.tag in ("em", "i"))

    def table(self, node: Node) -> None:
        caption = node.find_all("caption")
        if caption:
            paragraph = self.doc.add_paragraph(_clean(caption[0].text()), style="Caption")
            paragraph.alignment = self.align.CENTER
        rows = node.find_all("tr")
        if not rows:
            return
        header_rows = {id(r) for head in node.find_all("thead") for r in head.find_all("tr")}
        width = max(len([c for c in r.children if isinstance(c, Node) and c.tag in ("td", "th")])
                    for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for docx_row, row in zip(table.rows, rows, strict=True):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if id(row) in header_rows:
                _repeat_header(docx_row)
            # Row by row: python-docx's Table.cell() rebuilds the whole table's cell list on every
            # call, which made a 400-row table take minutes.
            row_cells = docx_row.cells
            for c, cell_node in enumerate(cells):
                paragraph = row_cells[c].paragraphs[0]
                self.inline(paragraph, cell_node, bold=cell_node.tag == "th" or "jumlah" in row.classes)
                for run in paragraph.runs:
                    run.font.size = self.pt(9)
                if "angka" in cell_node.classes:
                    paragraph.alignment = self.align.RIGHT
                elif "tengah" in cell_node.classes or cell_node.tag == "th":
                    paragraph.alignment = self.align.CENTER
        self.doc.add_paragraph()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run._r.append(text)
    run._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _toc_field(paragraph) -> None:
    _field(paragraph, r'TOC \o "1-3" \h \z \u',
           "Daftar isi diperbarui saat dokumen dibuka (atau klik kanan > Perbarui Bidang).")


def _header_footer(section, meta: Meta) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(meta.header)
    run.font.size = Pt(8)
    if meta.marks:
        mark = header.add_run("\t\t" + " · ".join(meta.marks))
        mark.bold = True
        mark.font.size = Pt(9)
        mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def _set_update_fields(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _reproducible_zip(data: bytes, moment: dt.datetime) -> bytes:
    """python-docx stamps every zip entry with the clock: restamp them with the document's date."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second - moment.second % 2)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
