"""HTML tables -> Word tables with real geometry: column widths from the cell text (the CSS
automatic table layout rule), merged cells where the HTML uses rowspan/colspan, header rows
repeated, rows that do not split, numbers right-aligned, and the borderless letter tables.

Column widths follow CSS 2.1 §17.5.2.2 (automatic layout): each column has a minimum (its longest
word, or its whole text where the cell does not wrap: class `angka`, as in style.css) and a
maximum (its longest text). If the maxima fit, columns get them and share the rest in proportion;
else each column gets its minimum plus a share of the remaining width in proportion to
(max - min). So the text columns are wide, number columns just wide enough, and no word is cut
while the minima fit on the page.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from generator.render import docx_ooxml as ox

# Advance widths of Helvetica/Arial (and the metric-compatible Liberation Sans) in 1/1000 em for
# ASCII 32..126, from the standard Helvetica AFM; other characters count as a digit (556).
_ARIAL = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
          556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
          1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
          667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
          333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
          556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_BOLD = 1.09  # Arial Bold runs about 9% wider
_FAMILY_SCALE = {"Arial": 1.0, "Bookman Old Style": 1.14}  # URW Bookman Light is wider
_PADDING = 2 * 108  # Table Grid's default cell margins, left + right (twips)
_SLACK = 60  # rounding in the renderer's own measurement


@lru_cache(maxsize=65536)  # the same words recur in every row of a column
def text_width(text: str, size_pt: float, bold: bool = False, family: str = "Arial") -> int:
    """Width of `text` set in `family` at `size_pt`, in twips (an estimate from Arial metrics)."""
    units = sum(_ARIAL[ord(c) - 32] if 32 <= ord(c) <= 126 else 556 for c in text)
    scale = _FAMILY_SCALE.get(family, 1.1) * (_BOLD if bold else 1.0)
    return round(units * size_pt * 20 / 1000 * scale)


@dataclass
class _Slot:
    col: int
    span: int
    kind: str  # "cell" (content here), "cont" (covered by a rowspan from above), "empty"
    node: object = None
    rowspan: int = 1


def _rows(el) -> list[tuple[object, bool]]:
    rows = []
    for part in el:
        if not isinstance(part.tag, str):
            continue
        if part.tag in ("thead", "tbody", "tfoot"):
            rows += [(tr, part.tag == "thead") for tr in part if isinstance(tr.tag, str) and tr.tag == "tr"]
        elif part.tag == "tr":
            rows.append((part, False))
    return rows


def _span(el, name: str) -> int:
    try:
        return max(1, min(int(el.get(name) or 1), 100))
    except ValueError:
        return 1


def _grid(rows: list[tuple[object, bool]]) -> tuple[list[list[_Slot]], int]:
    """Place every cell on the grid: rowspans leave `cont` slots in the rows below."""
    covered: dict[tuple[int, int], int] = {}  # (row, col) -> span of the covering cell
    placed: list[list[_Slot]] = []
    width = 0
    for r, (tr, _) in enumerate(rows):
        slots: list[_Slot] = []
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for cell in cells:
            while (r, col) in covered:
                slots.append(_Slot(col, covered[(r, col)], "cont"))
                col += covered[(r, col)]
            span, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            slots.append(_Slot(col, span, "cell", cell, rowspan))
            for below in range(r + 1, min(r + rowspan, len(rows))):
                covered[(below, col)] = span
            col += span
        while (r, col) in covered:
            slots.append(_Slot(col, covered[(r, col)], "cont"))
            col += covered[(r, col)]
        placed.append(slots)
        width = max(width, col)
    for slots in placed:  # short rows are padded with empty cells
        end = slots[-1].col + slots[-1].span if slots else 0
        slots += [_Slot(c, 1, "empty") for c in range(end, width)]
    return placed, width


def _cell_text(el) -> str:
    from generator.render.docx import _text

    return " ".join(_text(el).split())


def column_widths(placed: list[list[_Slot]], ncols: int, total: int, size_pt: float,
                  family: str, padding: int = _PADDING) -> list[int]:
    """Twips per column, summing to `total`, by the CSS automatic layout rule (module docstring)."""
    low = [400] * ncols
    high = [400] * ncols
    for slots in placed:
        for slot in slots:
            if slot.kind != "cell" or slot.span != 1:
                continue
            node = slot.node
            bold = node.tag == "th"
            text = _cell_text(node)
            nowrap = "angka" in (node.get("class") or "").split()
            words = [text] if nowrap else (text.split() or [""])
            longest_word = max(text_width(w, size_pt, bold, family) for w in words)
            longest_line = text_width(text, size_pt, bold, family)
            low[slot.col] = max(low[slot.col], longest_word + padding + _SLACK)
            high[slot.col] = max(high[slot.col], longest_line + padding + _SLACK)
    high = [max(h, lo) for h, lo in zip(high, low, strict=True)]
    if sum(high) <= total:
        extra = total - sum(high)
        widths = [h + extra * h / sum(high) for h in high]
    elif sum(low) <= total:
        room = total - sum(low)
        stretch = sum(h - lo for h, lo in zip(high, low, strict=True)) or 1
        widths = [lo + room * (h - lo) / stretch for h, lo in zip(high, low, strict=True)]
    else:
        widths = [lo * total / sum(low) for lo in low]
    rounded = [int(w) for w in widths]
    rounded[-1] += total - sum(rounded)
    return rounded


def write_table(writer, el) -> None:
    """Append the HTML table `el` to the writer's current target (document or cell)."""
    classes = set((el.get("class") or "").split())
    rows = _rows(el)
    if not rows:
        return
    placed, ncols = _grid(rows)
    if not ncols:
        return
    borderless = bool({"kepala", "tanpa-garis"} & classes)
    size = 11 if borderless else 9.5  # style.css: table { font-size: 9.5pt }
    total = round(writer.text_width_in * ox.TWIPS_PER_INCH)
    if borderless:
        # A letter's field table (Nomor : ...): label columns as wide as their text, the last
        # column takes the rest of the line.
        natural = _natural(placed, ncols, size, writer)
        widths = [*natural[:-1], max(total - sum(natural[:-1]), 1000)]
    else:
        widths = column_widths(placed, ncols, total, size, writer.meta.page.huruf)
    table = writer.target.add_table(rows=len(rows), cols=ncols)
    if not borderless:
        table.style = writer.doc.styles["Table Grid"]
    ox.table_geometry(table, widths, borders=not borderless)
    saved_target, saved_last = writer.target, writer.last_paragraph
    formats = _CellFormats(borderless)
    half_points = round(size * 2)
    # Each docx row is taken once: `table.rows[r]` rebuilds the list of all rows on every call.
    for docx_row, (tr, header), slots in zip(table.rows, rows, placed, strict=True):
        ox.row_properties(docx_row, header)
        tcs = list(docx_row._tr.tc_lst)
        total_row = "jumlah" in (tr.get("class") or "").split()
        surplus = []
        for slot in slots:
            tc = tcs[slot.col]
            surplus += tcs[slot.col + 1: slot.col + slot.span]
            width = sum(widths[slot.col: slot.col + slot.span])
            if slot.kind == "cont":
                ox.cell_properties(tc, width, slot.span, "continue")
                continue
            if slot.kind == "empty":
                ox.cell_properties(tc, width)
                continue
            node = slot.node
            shade = None if borderless else ("DFE6EE" if node.tag == "th" else
                                             "F2F2F2" if total_row else None)
            ox.cell_properties(tc, width, slot.span, "restart" if slot.rowspan > 1 else None, shade)
            cell = _Cell(tc, table)
            writer.target = cell
            paragraph = cell.paragraphs[0]
            writer.last_paragraph = paragraph
            writer.inline(paragraph, node, bold=node.tag == "th" or total_row)
            cell_classes = set((node.get("class") or "").split())
            if "angka" in cell_classes:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            elif "tengah" in cell_classes or (node.tag == "th" and not borderless):
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = None
            for p in tc.iterchildren(_P):
                formats.apply(p, align)
                for run in p.iterchildren(_R):
                    ox.run_size(run, half_points, only_smaller=True)
                    if "catatan" in cell_classes:
                        ox.run_size(run, 16)
        for tc in surplus:
            docx_row._tr.remove(tc)
    writer.target, writer.last_paragraph = saved_target, saved_last


_P, _R, _PPR = ox.qn("w:p"), ox.qn("w:r"), ox.qn("w:pPr")


class _CellFormats:
    """The paragraph properties of a table cell (no space after, line spacing 1.0 or 1.1, the
    alignment), made once per alignment through python-docx and copied into each paragraph that
    has none yet; a paragraph with its own properties (a list item) gets them set one by one."""

    def __init__(self, borderless: bool) -> None:
        self.line_spacing = 1.0 if borderless else 1.1
        self.made: dict[object, object] = {}

    def _set(self, paragraph: Paragraph, align) -> None:
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        fmt.line_spacing = self.line_spacing
        if align is not None:
            paragraph.alignment = align

    def apply(self, p, align) -> None:
        if p.find(_PPR) is not None:
            self._set(Paragraph(p, None), align)
            return
        if align not in self.made:
            scratch = OxmlElement("w:p")
            self._set(Paragraph(scratch, None), align)
            self.made[align] = scratch.find(_PPR)
        p.insert(0, deepcopy(self.made[align]))


def _natural(placed, ncols: int, size: float, writer) -> list[int]:
    """Each column as wide as its longest text (the letter's field table)."""
    high = [0] * ncols
    for slots in placed:
        for slot in slots:
            if slot.kind == "cell" and slot.span == 1:
                text = _cell_text(slot.node)
                high[slot.col] = max(high[slot.col],
                                     text_width(text, size, slot.node.tag == "th",
                                                writer.meta.page.huruf) + 85 + _SLACK)
    return high


def kop_table(writer, el) -> None:
    """The letterhead as a borderless two-column table: the lambang, then the centred lines."""
    logo = next((img for img in el.iter("img", "svg")), None)
    lines = [c for c in el.iter("div") if "kop-teks" in (c.get("class") or "").split()]
    text = lines[0] if lines else el
    total = round(writer.text_width_in * ox.TWIPS_PER_INCH)
    logo_w = round(2.6 * ox.TWIPS_PER_CM) if logo is not None else 0
    widths = [logo_w, total - logo_w] if logo is not None else [total]
    table = writer.target.add_table(rows=1, cols=len(widths))
    ox.table_geometry(table, widths, borders=False)
    row = table.rows[0]
    cells = row.cells
    saved = writer.target
    if logo is not None:
        ox.cell_properties(cells[0]._tc, widths[0])
        paragraph = cells[0].paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        writer.image(paragraph, logo, box_cm=(2.3, 2.6))
        _v_center(cells[0])
    cell = cells[-1]
    ox.cell_properties(cell._tc, widths[-1])
    _v_center(cell)
    first = True
    for line in text:
        if not isinstance(line.tag, str) or line.tag in ("img", "svg"):
            continue
        if "lambang" in (line.get("class") or "").split():
            continue
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        writer.target = cell
        writer.inline(paragraph, line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_after, fmt.line_spacing = Pt(0), 1.0
        classes = set((line.get("class") or "").split())
        size = 14 if "instansi" in classes else 13 if "pemerintah" in classes else 9.5
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.bold = True if {"instansi", "pemerintah"} & classes else run.bold
    writer.target = saved


def _v_center(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(ox.element("w:vAlign", val="center"))
