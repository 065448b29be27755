"""Low-level WordprocessingML that python-docx has no API for: fields, list numbering instances,
table geometry and row properties, paragraph borders, language, and images from `data:` URLs.

Everything here edits the python-docx object tree in place; nothing reads files or the network.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LANG = "id-ID"  # the document language of every style and run (issue 15 item 6)
TWIPS_PER_CM = 567
TWIPS_PER_INCH = 1440

# ---------------------------------------------------------------- small XML helpers


def element(tag: str, **attrs: str) -> OxmlElement:
    """`element("w:jc", val="right")` -> <w:jc w:val="right"/>; attribute names get the w: prefix."""
    node = OxmlElement(tag)
    for key, value in attrs.items():
        node.set(qn(key if ":" in key else f"w:{key}"), value)
    return node


def text_run(p, text: str, bold: bool = False, italic: bool = False, underline: bool = False):
    """Append `<w:r>` holding `text` (no tabs or line breaks) to the paragraph element `p`: the
    XML python-docx writes for `add_run(text)` then `bold, italic, underline = b or None, ...`
    (an rPr, empty when plain), built directly, as its generic property setters cost a quarter
    of a large DOCX's time."""
    r = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    if bold:
        r_pr.append(OxmlElement("w:b"))
    if italic:
        r_pr.append(OxmlElement("w:i"))
    if underline:
        r_pr.append(element("w:u", val="single"))
    r.append(r_pr)
    t = OxmlElement("w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")
    r.append(t)
    p.append(r)
    return r


# Children of w:rPr that come after w:sz in the schema (CT_RPr's sequence), for `run_size`.
_AFTER_SZ = {qn(f"w:{t}") for t in ("szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                                    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
                                    "specVanish", "oMath")}


def run_size(r, half_points: int, only_smaller: bool = False) -> None:
    """Set the run element `r`'s font size (`w:sz`, half points), as `run.font.size = ...` does;
    with `only_smaller`, a size already set at or below it is kept."""
    r_pr = r.get_or_add_rPr()
    sz = r_pr.find(qn("w:sz"))
    if sz is not None:
        if only_smaller and int(sz.get(qn("w:val"))) <= half_points:
            return
        sz.set(qn("w:val"), str(half_points))
        return
    sz = element("w:sz", val=str(half_points))
    after = next((child for child in r_pr if child.tag in _AFTER_SZ), None)
    if after is None:
        r_pr.append(sz)
    else:
        after.addprevious(sz)


def _replace(parent, child) -> None:
    """Put `child` into `parent`, replacing an existing element of the same tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


# ---------------------------------------------------------------- fields


def field_begin(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    run._r.append(element("w:fldChar", fldCharType="begin"))
    text = element("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    run._r.append(text)
    run._r.append(element("w:fldChar", fldCharType="separate"))


def field_end(paragraph) -> None:
    paragraph.add_run()._r.append(element("w:fldChar", fldCharType="end"))


def field(paragraph, instruction: str, result: str = "") -> None:
    """A complex field (PAGE, NUMPAGES ...) whose shown result is `result` until updated."""
    field_begin(paragraph, instruction)
    paragraph.add_run(result)
    field_end(paragraph)


def update_fields_on_open(document) -> None:
    _replace(document.settings.element, element("w:updateFields", val="true"))


# ---------------------------------------------------------------- lists


def new_list(document, style_name: str) -> int:
    """A fresh numbering instance (`w:num`) of the list style's abstract numbering, restarting at 1.

    Paragraphs that only carry the style share one instance, so every <ol> would continue the
    previous one's count (the 7 fungsi 1-7, the misi 8-11); one instance per list restarts it."""
    numbering = document.part.numbering_part.element
    style = document.styles[style_name].element
    num_pr = style.pPr.numPr if style.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        raise ValueError(f"gaya {style_name} tidak bernomor")
    base = num_pr.numId.val
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == base)
    num = numbering.add_num(abstract)
    override = element("w:lvlOverride", ilvl="0")
    override.append(element("w:startOverride", val="1"))
    num.append(override)
    return num.numId


def number_paragraph(paragraph, num_id: int, level: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = element("w:numPr")
    num_pr.append(element("w:ilvl", val=str(level)))
    num_pr.append(element("w:numId", val=str(num_id)))
    _replace(p_pr, num_pr)
    # pPr children have a schema order; numPr comes right after pStyle/keepNext/keepLines/...
    p_pr.remove(num_pr)
    anchor = p_pr.find(qn("w:pStyle"))
    (anchor.addnext(num_pr) if anchor is not None else p_pr.insert(0, num_pr))


# ---------------------------------------------------------------- paragraphs


def border(paragraph, side: str, kind: str = "single", size_eighths: int = 8, space: int = 1) -> None:
    """A paragraph border: `thinThickSmallGap` 24 is the kop's double rule (thick over thin)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = element("w:pBdr")
        # schema order: pStyle, keepNext, keepLines, pageBreakBefore, framePr, widowControl,
        # numPr, suppressLineNumbers, pBdr, shd, tabs, ...
        following = [qn(t) for t in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                     "w:ind", "w:jc", "w:rPr")]
        later = next((c for c in p_pr if c.tag in following), None)
        (later.addprevious(borders) if later is not None else p_pr.append(borders))
    _replace(borders, element(f"w:{side}", val=kind, sz=str(size_eighths), space=str(space),
                              color="000000"))


def right_tab_with_dots(paragraph, position_twips: int) -> None:
    tabs = paragraph.paragraph_format.tab_stops
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Twips

    tabs.add_tab_stop(Twips(position_twips), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


# ---------------------------------------------------------------- language and fonts


def set_language(root) -> None:
    """Every `w:lang` under `root` becomes id-ID (styles carry en-US from python-docx's template)."""
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANG)
        lang.set(qn("w:eastAsia"), LANG)
        lang.set(qn("w:bidi"), "ar-SA")


def run_properties_language(root) -> None:
    """Stamp `w:lang id-ID` on every run under `root`, so a run copied elsewhere keeps it."""
    for run in root.iter(qn("w:r")):
        r_pr = run.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = element("w:rPr")
            run.insert(0, r_pr)
        if r_pr.find(qn("w:lang")) is None:
            r_pr.append(element("w:lang", val=LANG))


def set_fonts(r_pr, family: str) -> None:
    """One family for every script slot, with the theme attributes removed (they win over names:
    that is why headings came out in the template's Calibri Light)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = element("w:rFonts")
        r_pr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.lower().endswith("theme"):
            del fonts.attrib[key]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), family)


def document_defaults(document, family: str, size_half_points: int) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, family)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        r_pr.append(element("w:lang", val=LANG))
    size = r_pr.find(qn("w:sz"))
    if size is not None:
        size.set(qn("w:val"), str(size_half_points))
    for fonts in list(styles.iter(qn("w:rFonts"))):  # paragraph, character and table styles
        set_fonts(fonts.getparent(), family)
    set_language(styles)


# ---------------------------------------------------------------- tables


def table_geometry(table, widths: list[int], borders: bool) -> None:
    """Fixed layout with explicit column widths (twips): Word and LibreOffice keep them instead of
    dividing the page equally."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    _replace(tbl_pr, element("w:tblW", w=str(sum(widths)), type="dxa"))
    _replace(tbl_pr, element("w:tblLayout", type="fixed"))
    if not borders:
        none = element("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            none.append(element(f"w:{side}", val="nil"))
        _replace(tbl_pr, none)
        margins = element("w:tblCellMar")
        margins.append(element("w:left", w="0", type="dxa"))
        margins.append(element("w:right", w="85", type="dxa"))
        _replace(tbl_pr, margins)
    # tblPr children have a schema order too: sort the ones we touched.
    order = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
             "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
             "tblLayout", "tblCellMar", "tblLook"]
    rank = {qn(f"w:{t}"): i for i, t in enumerate(order)}
    children = sorted(tbl_pr, key=lambda c: rank.get(c.tag, len(order)))
    for child in children:
        tbl_pr.append(child)
    from docx.shared import Twips

    grid = tbl.tblGrid
    for col, width in zip(grid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)


def row_properties(row, header: bool) -> None:
    """`cantSplit` on every row (a row taller than a page still breaks: Word and LibreOffice ignore
    it there); `tblHeader` repeats the thead rows on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(element("w:cantSplit", val="true"))
    if header:
        tr_pr.append(element("w:tblHeader", val="true"))


def cell_properties(tc, width: int, span: int = 1, vmerge: str | None = None,
                    shade: str | None = None) -> None:
    tc_pr = tc.get_or_add_tcPr()
    for child in list(tc_pr):
        tc_pr.remove(child)
    tc_pr.append(element("w:tcW", w=str(width), type="dxa"))
    if span > 1:
        tc_pr.append(element("w:gridSpan", val=str(span)))
    if vmerge is not None:
        tc_pr.append(element("w:vMerge", val=vmerge) if vmerge == "restart" else element("w:vMerge"))
    if shade:
        tc_pr.append(element("w:shd", val="clear", color="auto", fill=shade))


# ---------------------------------------------------------------- images


@dataclass(frozen=True)
class Image:
    png_or_jpeg: bytes
    width_in: float  # natural size, inches
    height_in: float


_DATA_URL = re.compile(r"data:(image/(?:png|jpeg|svg\+xml))(;base64)?,(.*)", re.S)


def decode_image(src: str) -> Image | None:
    """An <img src> as a raster image for Word, or None when it is not a usable `data:` image.

    Only `data:` URLs are read (the document embeds its images; nothing is fetched from disk or
    the network). SVG is rendered to PNG by CairoSVG at 3x; its external references draw nothing."""
    match = _DATA_URL.fullmatch(src.strip())
    if not match:
        return None
    kind, is_base64, payload = match.groups()
    try:
        data = base64.b64decode(payload) if is_base64 else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    if kind == "image/svg+xml":
        return _svg_to_png(data)
    return _raster(data)


def _raster(data: bytes) -> Image | None:
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    try:
        info = DocxImage.from_blob(data)
    except (UnrecognizedImageError, ValueError, IndexError, KeyError):
        return None
    dpi_x, dpi_y = info.horz_dpi or 96, info.vert_dpi or 96
    return Image(data, info.px_width / dpi_x, info.px_height / dpi_y)


_SVG_SCALE = 3
# Our charts (inline SVG of flat colours) at 192 dpi, as a palette PNG: they look the same in
# print and on screen and take a third of the bytes (a large office's DOCX has 24 of them).
_CHART_SCALE = 2


def _intrinsic_height(data: bytes) -> bytes:
    """A root <svg> with a width and a viewBox but no height gets the height the viewBox implies,
    as a browser computes it (CairoSVG would otherwise use the viewBox height unscaled)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data
    width, box_ = root.get("width"), (root.get("viewBox") or "").replace(",", " ").split()
    if root.get("height") is None and width and len(box_) == 4:
        try:
            number = float(width.removesuffix("px"))
            vb_w, vb_h = float(box_[2]), float(box_[3])
        except ValueError:
            return data
        if vb_w > 0:
            root.set("height", f"{number * vb_h / vb_w:g}")
            return etree.tostring(root)
    return data


def _svg_to_png(data: bytes, scale: int = _SVG_SCALE, palette: bool = False) -> Image | None:
    import cairosvg

    from generator.render.fonts import register_default

    register_default()  # the charts name "Lakip Sans": the package's font, not the machine's
    data = _intrinsic_height(data)
    try:
        # unsafe=False: no XML entities, no external entities, and CairoSVG's safe fetcher, which
        # resolves only data: URLs (a file:// or http:// reference draws nothing).
        png = cairosvg.svg2png(bytestring=data, scale=scale, unsafe=False)
    except Exception:
        return None
    if palette:
        png = _palette_png(png)
    image = _raster(png)
    if image is None:
        return None
    # CairoSVG draws at 96 px per inch; the PNG carries no resolution, so size it from the scale.
    from docx.image.image import Image as DocxImage

    info = DocxImage.from_blob(png)
    return Image(png, info.px_width / (96 * scale), info.px_height / (96 * scale))


def _palette_png(png: bytes) -> bytes:
    """`png` with at most 256 colours (Pillow's fast octree, deterministic)."""
    from PIL import Image as PilImage

    out = io.BytesIO()
    with PilImage.open(io.BytesIO(png)) as picture:
        picture.convert("RGBA").quantize(256, method=PilImage.Quantize.FASTOCTREE).save(
            out, "PNG", compress_level=6)
    return out.getvalue()


def fit(image: Image, max_w_in: float, max_h_in: float | None = None) -> tuple[float, float]:
    """The image's size scaled down (never up) to fit a box, in inches."""
    scale = min(1.0, max_w_in / image.width_in) if image.width_in else 1.0
    if max_h_in is not None and image.height_in:
        scale = min(scale, max_h_in / image.height_in)
    return image.width_in * scale, image.height_in * scale


def box(image: Image, w_in: float, h_in: float) -> tuple[float, float]:
    """Scale up or down to fill a box while keeping the aspect ratio (the cover and kop logo)."""
    if not image.width_in or not image.height_in:
        return w_in, h_in
    scale = min(w_in / image.width_in, h_in / image.height_in)
    return image.width_in * scale, image.height_in * scale


def picture(run, image: Image, width_in: float, height_in: float) -> None:
    from docx.shared import Emu

    run.add_picture(io.BytesIO(image.png_or_jpeg), width=Emu(round(width_in * 914400)),
                    height=Emu(round(height_in * 914400)))


# The HTML parser lower-cases attribute names; SVG needs these back in camel case.
_SVG_CAMEL = {a.lower(): a for a in (
    "viewBox", "preserveAspectRatio", "gradientUnits", "gradientTransform", "patternUnits",
    "patternContentUnits", "patternTransform", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "textLength", "lengthAdjust", "startOffset", "clipPathUnits", "maskUnits",
    "maskContentUnits", "stdDeviation", "baseFrequency", "numOctaves", "kernelMatrix",
    "spreadMethod", "fePointLight", "attributeName", "repeatCount")}
_SVG_TAGS = {t.lower(): t for t in (
    "linearGradient", "radialGradient", "clipPath", "textPath", "foreignObject", "feGaussianBlur",
    "feOffset", "feBlend", "feColorMatrix", "feMerge", "feMergeNode", "feFlood", "feComposite")}


def inline_svg_image(el) -> Image | None:
    """An inline <svg> element of the HTML (parsed by lxml.html) as a PNG picture."""
    from lxml import etree

    copy = etree.fromstring(etree.tostring(el))
    for node in copy.iter():
        if not isinstance(node.tag, str):
            continue
        node.tag = _SVG_TAGS.get(node.tag, node.tag)
        for key in list(node.attrib):
            if key in _SVG_CAMEL:
                node.attrib[_SVG_CAMEL[key]] = node.attrib.pop(key)
    text = etree.tostring(copy, encoding="unicode")
    if "xmlns=" not in text.split(">", 1)[0]:
        text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return _svg_to_png(text.encode("utf-8"), _CHART_SCALE, palette=True)
