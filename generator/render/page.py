"""Paper, margins and font of the documents, from `instansi.yaml`'s `dokumen` options.

One `Halaman` feeds both the PDF (CSS `@page` and `font-family`) and the DOCX (section size and
style fonts), so the two formats lay out on the same page. Defaults are the ones the documents
always had: A4, Arial-metric (Liberation Sans), report margins 2.5/2.0/2.2/2.5 cm (top, right,
bottom, left), letter margins 2.0/2.2/2.0/2.5 cm.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.data import model as m

# Paper sizes in mm (width, height). F4 ("folio") is the 215 x 330 mm sheet Indonesian offices
# print on; Permendagri 1/2023 (Tata Naskah Dinas) allows A4 and F4.
KERTAS = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}

# family -> (name written into the DOCX, CSS stack for WeasyPrint, the family the PDF needs).
# Word has Arial and Bookman Old Style. The PDF takes Arial's metric twin Liberation Sans from
# the package ("Lakip Sans", render/fonts.py: the same file on every machine); Bookman's twin
# URW Bookman (fonts-urw-base35, not under a licence the package can ship) must be installed,
# and `build` says so when it is not. LibreOffice maps Arial to Liberation Sans itself.
HURUF = {
    "arial": ("Arial", Markup('"Lakip Sans", Arial, "Liberation Sans", sans-serif'), "Lakip Sans"),
    "bookman": ("Bookman Old Style",
                Markup('"Bookman Old Style", "URW Bookman", "URW Bookman L", "TeX Gyre Bonum", '
                       'serif'), "URW Bookman"),
}

_MARGIN_LAPORAN = (25.0, 20.0, 22.0, 25.0)  # top, right, bottom, left (mm)
_MARGIN_SURAT = (20.0, 22.0, 20.0, 25.0)


@dataclass(frozen=True)
class Halaman:
    """One document's page: sizes in millimetres, margins as (top, right, bottom, left)."""

    kertas: str
    lebar_mm: float
    tinggi_mm: float
    margin_mm: tuple[float, float, float, float]
    huruf: str  # the font family name in the DOCX
    huruf_css: Markup  # the CSS font-family stack (from the table above, never from the data)
    huruf_pdf: str = "Lakip Sans"  # the family the PDF is meant to use (render/fonts.missing)

    @property
    def css_size(self) -> str:
        return f"{self.lebar_mm:g}mm {self.tinggi_mm:g}mm"

    @property
    def css_margin(self) -> str:
        return " ".join(f"{v:g}mm" for v in self.margin_mm)

    @property
    def text_width_mm(self) -> float:
        return self.lebar_mm - self.margin_mm[1] - self.margin_mm[3]


def halaman(tata: m.TataDokumen | None, surat: bool = False) -> Halaman:
    """The page of the report (`surat=False`) or of the surat pengantar from the office's options."""
    tata = tata or m.TataDokumen()
    lebar, tinggi = KERTAS[tata.kertas]
    nama, css, pdf = HURUF[tata.huruf]
    if tata.margin is not None:
        atas, kanan, bawah, kiri = tata.margin
        margin = (atas * 10, kanan * 10, bawah * 10, kiri * 10)
    else:
        margin = _MARGIN_SURAT if surat else _MARGIN_LAPORAN
    return Halaman(tata.kertas, lebar, tinggi, margin, nama, css, pdf)
