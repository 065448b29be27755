"""The LAKIP document and the surat pengantar: context -> HTML (Jinja) -> PDF (WeasyPrint) and
DOCX (docx_writer). Pure apart from WeasyPrint; the build pipeline decides what to write where."""

from __future__ import annotations

import base64
import datetime as dt
import os
import threading
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.data import model as m
from generator.data.model import DEFAULT_SKALA
from generator.data.narasi import GAMBAR
from generator.figures import formats, ringkasan
from generator.figures.capaian import Figures, kategori_kelas
from generator.figures.triwulan import rencana_aksi
from generator.render import charts
from generator.render.page import halaman
from generator.render.templates import markdown_html

_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class DocumentState:
    """What the SOP says about the document: DRAF until the signing step's approval stands."""

    draf: bool
    contoh: bool
    tanggal: dt.datetime  # the document's date: from git, never the clock
    langkah_pengesahan: int | None
    alasan: tuple[str, ...] = ()  # why the document is DRAF although the SOP may say otherwise

    @property
    def tanda(self) -> list[str]:
        return [t for t, on in (("DRAF", self.draf), ("CONTOH", self.contoh)) if on]


def tanggal_surat(state: DocumentState, pengiriman: m.Pengiriman | None) -> dt.date:
    """The date printed on the surat pengantar. One rule for every date of a draft: a DRAF
    document (report and letter) is dated `state.tanggal`, the draft's own date (HEAD's commit
    time), because nothing in it is signed or sent yet; a FINAL report is dated by the signing
    approval (`state.tanggal` again) and a FINAL letter by `pengiriman.yaml`'s `tanggal`, the day
    the office sends it (SOP langkah 9). docs/architecture.md, "Dates"."""
    surat = pengiriman.surat_pengantar if pengiriman else None
    if state.draf or surat is None:
        return state.tanggal.date()
    return surat.tanggal


def penandatangan_surat(repo: m.Repo, pengiriman: m.Pengiriman | None,
                        tanggal: dt.date) -> m.Penandatangan | None:
    """Who signs the surat pengantar when it is not the Kepala Dinas himself (Permendagri 1/2023):
    `pengiriman.yaml: surat_pengantar.penandatangan` when written (it can say a.n.), else the
    roster's acting holder (`sebagai: Plt.`/`Plh.` in sop/personil.yaml) of the signing step's role
    on the letter's date; None when the Kepala Dinas of instansi.yaml signs."""
    surat = pengiriman.surat_pengantar if pengiriman else None
    if surat and surat.penandatangan:
        return surat.penandatangan
    if repo.sop is None or not repo.personil:
        return None
    role = repo.sop.signing_step.pelaksana if repo.sop.signing_step else None
    for person in repo.personil.holders(role, tanggal) if role else ():
        held = person.holds(role, tanggal)
        if held is not None and held.sebagai:
            return m.Penandatangan(held.sebagai, person.nama, person.nip, person.pangkat,
                                   person.golongan, person.jabatan)
    return None


def logo_uri(name: str | None, data: bytes | None) -> str | None:
    if not name or data is None:
        return None
    kind = next((t for suffix, t in _IMAGE_TYPES.items() if name.lower().endswith(suffix)), None)
    return f"data:{kind};base64,{base64.b64encode(data).decode()}" if kind else None


def _narasi(year: m.Tahun) -> dict[str, dict]:
    return {n.bagian: {"judul": n.judul, "html": narasi_html(n)} for n in year.narasi}


def narasi_html(n: m.Narasi) -> Markup:
    """Markdown -> sanitized HTML, with each image the loader read and checked embedded as a data:
    URL in a <figure> (the sanitizer keeps no <img>: the figure is built here, escaped)."""
    found = {g.src: g for g in n.gambar if g.data is not None}
    slots: dict[str, Markup] = {}

    def slot(match) -> str:
        g = found.get(match.group("src"))
        key = f"LAKIPGAMBAR{len(slots)}Z"
        slots[key] = Markup("") if g is None else Markup(
            '<figure class="gambar"><img src="{}" alt="{}">{}</figure>').format(
            f"data:{g.jenis};base64,{base64.b64encode(g.data).decode()}", g.alt,
            Markup("<figcaption>{}</figcaption>").format(g.alt) if g.alt else "")
        return f"\n\n{key}\n\n"

    html = str(markdown_html(GAMBAR.sub(slot, n.body)))
    for key, figure in slots.items():
        html = html.replace(f"<p>{key}</p>", str(figure)).replace(key, str(figure))
    return Markup(html)


def _daftar_isi(figures: Figures, year: m.Tahun, instansi: m.Instansi, triwulan: bool) -> list[dict]:
    entries = [("kata-pengantar", "Kata Pengantar", 1), ("daftar-isi", "Daftar Isi", 1),
               ("ikhtisar-eksekutif", "Ikhtisar Eksekutif", 1), ("bab-1", "Bab I Pendahuluan", 1)]
    if instansi.dasar_hukum:
        entries.append(("bab-1-dasar-hukum", "Daftar Dasar Hukum", 2))
    if instansi.pegawai:
        entries.append(("bab-1-sdm", "Sumber Daya Manusia", 2))
    entries += [("bab-2", "Bab II Perencanaan Kinerja", 1),
               ("bab-2-renstra", "Tujuan, Sasaran dan Indikator Renstra", 2),
               ("bab-2-pk", "Perjanjian Kinerja", 2),
               ("bab-3", "Bab III Akuntabilitas Kinerja", 1),
               ("bab-3-a", "A. Capaian Kinerja Organisasi", 2)]
    entries += [(f"sasaran-{s.id}", f"Sasaran {i}: {s.uraian}", 3)
                for i, s in enumerate(figures.sasaran, start=1)]
    entries += [("bab-3-b", "B. Realisasi Anggaran", 2), ("bab-4", "Bab IV Penutup", 1)]
    if year.reviu_apip:
        entries.append(("pernyataan-reviu", "Pernyataan Telah Direviu", 1))
    entries += [("lampiran", "Lampiran", 1), ("lampiran-pk", "Lampiran 1. Perjanjian Kinerja", 2),
                ("lampiran-iku", "Lampiran 2. Tabel Indikator Kinerja Utama", 2)]
    if triwulan:
        entries.append(("lampiran-rencana-aksi", "Lampiran 3. Rencana Aksi dan Realisasi Triwulan", 2))
    return [{"id": i, "judul": j, "level": lv} for i, j, lv in entries]


def _renstra_baris(renstra: m.Renstra) -> list[dict]:
    """One row per indikator of the Renstra table; the first row of a tujuan or sasaran carries
    its text and how many rows it spans (the cell is merged over them, in HTML and DOCX)."""
    rows = []
    for t in renstra.tujuan:
        first_t = True
        count_t = sum(len(s.indikator) for s in t.sasaran)
        for s in t.sasaran:
            for index, i in enumerate(s.indikator):
                rows.append({"tujuan": t.uraian, "tujuan_baris": count_t if first_t else 0,
                             "sasaran": s.uraian, "sasaran_baris": len(s.indikator) if index == 0 else 0,
                             "indikator": i})
                first_t = False
    return rows


def _sebaran(figures: Figures) -> list[dict]:
    rows = []
    upper = None
    for band in figures.skala:
        # numbers through formats.nilai, never a replace on the sentence ("s.d." became "s,d,")
        if band.di_atas is None:
            batas = f"≤ {formats.nilai(upper)}%" if upper is not None else "semua"
        else:
            batas = f"> {formats.nilai(band.di_atas)}%" + (
                f" s.d. {formats.nilai(upper)}%" if upper is not None else "")
        count = sum(i.kategori == band.label for i in figures.indikator)
        rows.append({"label": band.label, "batas": batas, "jumlah": count})
        upper = band.di_atas
    missing = sum(i.kategori is None for i in figures.indikator)
    if missing:
        rows.append({"label": "Belum dapat dihitung", "batas": "–", "jumlah": missing})
    return rows


def context(repo: m.Repo, tahun: int, figures: Figures, state: DocumentState,
            logo: str | None) -> dict:
    year = repo.find_tahun(tahun)
    renstra = repo.renstra_for(tahun, year.pk.renstra)
    programs: dict[str, list] = {}
    for program in figures.program:
        for sid in program.sasaran:
            programs.setdefault(sid, []).append(program)
    keluaran = {s.kode: s.keluaran for b in year.bidang for s in b.sub_kegiatan if s.keluaran}
    earlier = sorted({y for i in figures.indikator for y, _, _ in i.tahun_lalu})
    triwulan = rencana_aksi(year.pk, figures, state.tanggal.date())
    return {
        "instansi": repo.instansi, "tahun": tahun, "pk": year.pk, "renstra": renstra,
        "figures": figures, "narasi": _narasi(year), "tanggal": state.tanggal, "draf": state.draf,
        "tanda": state.tanda, "langkah_pengesahan": state.langkah_pengesahan, "logo": logo,
        "daftar_isi": _daftar_isi(figures, year, repo.instansi, bool(triwulan)),
        "sebaran": _sebaran(figures),
        "tahun_renstra": list(range(renstra.mulai, renstra.selesai + 1)),
        "tahun_banding": earlier[-4:],
        "sasaran_uraian": {s.id: s.uraian for s in figures.sasaran},
        "program_sasaran": programs, "keluaran": keluaran,
        "renstra_indikator": renstra.indikator(), "renstra_baris": _renstra_baris(renstra),
        "bidang_nama": {b.id: b.nama for b in repo.instansi.bidang},
        "nomor_tabel_anggaran": 7,
        "pengiriman": year.pengiriman,
        "reviu_apip": year.reviu_apip, "rencana_aksi": triwulan,
        "ikhtisar": ringkasan.ikhtisar(figures), "ringkasan_anggaran": ringkasan.anggaran(figures),
        "grafik": charts.laporan(figures),
        "tanggal_surat": tanggal_surat(state, year.pengiriman),
        "penandatangan_surat": penandatangan_surat(repo, year.pengiriman,
                                                   tanggal_surat(state, year.pengiriman)),
        "halaman": halaman(repo.instansi.dokumen),
        "halaman_surat": halaman(repo.instansi.dokumen, surat=True),
    }


def render(env, template: str, ctx: dict) -> str:
    """`template` rendered with `ctx` (a `context()`) in the sandbox; the `kategori_kelas` filter
    ranks a kategori in this document's own scale."""
    from generator.render.templates import render as render_template

    skala = ctx["figures"].skala if ctx.get("figures") else DEFAULT_SKALA
    env.filters["kategori_kelas"] = lambda label: kategori_kelas(label, skala)
    return render_template(env, template, ctx)


def pdf(html: str) -> bytes:
    """WeasyPrint, offline: only data: URLs (the embedded logo) and the package's fonts may be
    fetched, so nothing outside the HTML can be read or requested, whatever the content says."""
    return pdf_pages(html)[0]


def pdf_pages(html: str) -> tuple[bytes, dict[str, int]]:
    """The PDF and the page (1 = the cover) of every element id in it: the DOCX's table of
    contents is pre-filled with these numbers. Reproducible: see `render_pdf`."""
    layout = pdf_layout(html)
    return layout.pdf, layout.pages


# The element whose box receives the visible electronic signature (TTE): the blank space of the
# signing block of Bab IV Penutup (`ttd(..., id="ttd-pengesahan")` in document/_macros.html).
TTE_RUANG = "ttd-pengesahan-ruang"


@dataclass(frozen=True)
class PdfLayout:
    """A rendered PDF with where things are in it: `pages` maps each element id to its page (1 =
    the cover); `kotak` maps the ids in `TTE_RUANG` to (page index from 0, x0, y0, x1, y1) in PDF
    points from the page's lower-left corner."""

    pdf: bytes
    pages: dict[str, int]
    kotak: dict[str, tuple[int, float, float, float, float]]


def pdf_layout(html: str | Laid) -> PdfLayout:
    """WeasyPrint once (`render_pdf`, or the plain write of a `Laid` the caller keeps): the PDF
    bytes (`pdf_pages` is this; `lakip tte` signs exactly what the build makes) and the page and
    box of the elements that need them."""
    result = (html if isinstance(html, Laid) else Laid(html)).plain()
    return PdfLayout(result.data, result.pages, result.kotak)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: dict[str, int]  # element id -> page (1 = the cover)
    fonts: list[dict]  # the font files used: fonts.used()
    kotak: dict[str, tuple[int, float, float, float, float]] = field(default_factory=dict)  # PdfLayout


@dataclass(frozen=True)
class Lampiran:
    """A file attached to the PDF/A archive copy (PDF/A-3 associated file)."""

    nama: str
    data: bytes
    keterangan: str
    jenis: str = "application/json"
    hubungan: str = "Supplement"  # ISO 32000-2 AFRelationship


# fontTools reads SOURCE_DATE_EPOCH from the process environment: PDF writes that set it are
# serialised, so builders running in threads never see each other's value.
_EPOCH_LOCK = threading.Lock()


def render_pdf(html: str, lampiran: tuple[Lampiran, ...] = (), arsip: bool = False) -> Pdf:
    """HTML -> PDF with WeasyPrint, the same bytes on every run of one environment (issue 12):

    - fonts: the package's Liberation files by `@font-face` ("Lakip Sans"/"Lakip Serif"), so the
      look does not depend on the machine's fonts (render/fonts.py);
    - dates: the PDF's dates come from the HTML's `dcterms` meta (the document date, from git);
      the same moment is SOURCE_DATE_EPOCH while the fonts are subset, because fontTools (used
      when libharfbuzz-subset is absent) stamps each subset's `head.modified` with it, else with
      the clock;
    - ids: no file identifier in a plain PDF; the PDF/A copy's is the MD5 of its content.

    `arsip=True` writes the PDF/A-3b archive copy, tagged for accessibility (`pdf_tags`), with
    `lampiran` attached as associated files dated like the document (DESIGN §7)."""
    laid = Laid(html)
    return laid.arsip(lampiran) if arsip else laid.plain()


class Laid:
    """One WeasyPrint layout of one HTML (the costly half of a PDF), written as the plain PDF and
    as the PDF/A archive copy without laying the document out twice (issue 18: nothing rendered
    twice; `lakip archive` and `verify --arsip` need both). Each write gives the bytes a fresh
    `render_pdf` gives. Not thread-safe: one builder owns it."""

    def __init__(self, html: str) -> None:
        self.html = html
        self._document = None
        self._pages: dict[str, int] = {}
        self._kotak: dict[str, tuple[int, float, float, float, float]] = {}
        self._plain: Pdf | None = None
        self._arsip_written = False

    def plain(self) -> Pdf:
        """The PDF `lakip build` writes (memoised)."""
        if self._plain is None:
            if self._arsip_written:
                # A PDF/A write leaves its sRGB output intent on WeasyPrint's document (measured
                # with WeasyPrint 70): a plain PDF written after it would carry it too.
                self._document = None
            self._plain = self._write()
        return self._plain

    def pages(self) -> dict[str, int]:
        """The page (1 = the cover) of every element id, from the layout alone: what the DOCX's
        table of contents needs, before (or without) the PDF is written."""
        if self._plain is not None:
            return dict(self._plain.pages)
        self._lay_out()
        return dict(self._pages)

    def arsip(self, lampiran: tuple[Lampiran, ...] = ()) -> Pdf:
        """The PDF/A-3b copy with `lampiran` attached (see `render_pdf`)."""
        result = self._write(lampiran, arsip=True)
        self._arsip_written = True
        return result

    def _lay_out(self):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        from generator.render import fonts

        if self._document is not None:
            return self._document
        # Inline SVG (the charts) is drawn through fontconfig's default configuration, not the
        # document's @font-face ones: the shipped families are registered there too.
        fonts.register_default()
        # @font-face rules of a user stylesheet take effect only through a shared FontConfiguration
        config = FontConfiguration()
        faces = weasyprint.CSS(string=fonts.face_css(), url_fetcher=fonts.fetcher(), font_config=config)
        document = weasyprint.HTML(string=self.html, url_fetcher=fonts.fetcher()).render(
            stylesheets=[faces], font_config=config)
        pages: dict[str, int] = {}
        kotak: dict[str, tuple[int, float, float, float, float]] = {}
        px = 0.75  # CSS px -> PDF points
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)
            if TTE_RUANG in page.anchors and TTE_RUANG not in kotak:
                # WeasyPrint's layout boxes (Page._page_box) hold each element's border box.
                for box in page._page_box.descendants():
                    element = getattr(box, "element", None)
                    if element is not None and element.get("id") == TTE_RUANG:
                        x, y = box.border_box_x(), box.border_box_y()
                        w, h = box.border_width(), box.border_height()
                        kotak[TTE_RUANG] = (number - 1, x * px, (page.height - y - h) * px,
                                            (x + w) * px, (page.height - y) * px)
                        break
        self._document, self._pages, self._kotak = document, pages, kotak
        return document

    def _write(self, lampiran: tuple[Lampiran, ...] = (), arsip: bool = False) -> Pdf:
        import weasyprint

        from generator.render import fonts

        document = self._lay_out()
        moment = _moment(document.metadata.modified or document.metadata.created)
        options: dict = {}
        if arsip:
            stamp = moment.replace(tzinfo=None) if moment else dt.datetime(1970, 1, 1)
            options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "attachments": [
                weasyprint.Attachment(string=item.data, name=item.nama, description=item.keterangan,
                                      created=stamp, modified=stamp, relationship=item.hubungan)
                for item in lampiran], "finisher": _once_each_associated_file}
        epoch = str(int(moment.timestamp())) if moment else "0"
        with _EPOCH_LOCK:
            before = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ["SOURCE_DATE_EPOCH"] = epoch
            try:
                data = document.write_pdf(**options)
            finally:
                if before is None:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)
                else:
                    os.environ["SOURCE_DATE_EPOCH"] = before
        return Pdf(data, dict(self._pages), fonts.used(document), dict(self._kotak))


def _once_each_associated_file(_document, pdf) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF (once from the embedded
    files' name tree, once from the file specifications): keep the first of each."""
    import pydyf

    if "AF" in pdf.catalog:
        seen: list = []
        for reference in pdf.catalog["AF"]:
            if reference not in seen:
                seen.append(reference)
        pdf.catalog["AF"] = pydyf.Array(seen)


def _moment(text: str | None) -> dt.datetime | None:
    """A W3C date of the HTML's meta (`2026-02-20T10:00:00+08:00`) as an aware datetime."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def environment(fonts_used: list[dict]) -> dict:
    """The build environment of the PDF and DOCX, recorded in an archive manifest (issue 12):
    the versions of lakip, Python and every library whose output is in the bytes (WeasyPrint,
    pydyf, fontTools, pango, harfbuzz and whether libharfbuzz-subset is used, cairo and CairoSVG
    for the DOCX's charts, python-docx, lxml) and `fonts_used` (fonts.used(): family, SHA-256
    of the file, shipped or not). `verify --arsip` names the fields that differ."""
    import platform
    from importlib import metadata

    import weasyprint
    import weasyprint.pdf.fonts as pdf_fonts

    from generator import __version__

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    try:
        import cairocffi

        cairo = cairocffi.cairo_version_string()
    except (ImportError, OSError):
        cairo = None
    return {
        "lakip": __version__, "python": platform.python_version(),
        "weasyprint": weasyprint.__version__, "pydyf": version("pydyf"), "fonttools": version("fonttools"),
        "pango": _c_version("pango-1.0", "pango_version_string"),
        "harfbuzz": _c_version("harfbuzz", "hb_version_string"),
        "harfbuzz_subset": bool(pdf_fonts.harfbuzz_subset),
        "cairo": cairo, "cairosvg": version("cairosvg"), "python_docx": version("python-docx"),
        "lxml": version("lxml"),
        "huruf": fonts_used,
    }


def _c_version(library: str, function: str) -> str | None:
    """A C library's version string (the one WeasyPrint loaded: same soname), or None."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library(library)
    try:
        call = getattr(ctypes.CDLL(name), function) if name else None
    except (OSError, AttributeError):
        return None
    if call is None:
        return None
    call.restype = ctypes.c_char_p
    return call().decode("ascii", "replace")
