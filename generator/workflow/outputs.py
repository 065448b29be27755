"""Output builders (one per format, as Sphinx has one builder per output): each writes its files
from one `Snapshot` into the output folder. `lakip build --format html,pdf` runs a subset; the
default is all of them, in the order of `FORMATS`.

The document builders share one rendering of the HTML (`Job.html`): the PDF and the DOCX are made
from the same string, so a sentence changes in one template and in every format (DESIGN §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.data.errors import UsageError
from generator.workflow.snapshot import Snapshot

FORMATS = ("html", "pdf", "docx", "surat", "site")
DOCUMENTS = ("html", "pdf", "docx", "surat")  # need the year's data valid; the site does not


def parse_formats(text: str | None) -> tuple[str, ...]:
    """`"pdf,html"` -> ("html", "pdf") in build order; None -> every format. Raises UsageError
    naming an unknown format and the known ones."""
    if text is None:
        return FORMATS
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in FORMATS]
    if unknown or not asked:
        found = ", ".join(f"'{u}'" for u in unknown) or "kosong"
        raise UsageError(f"format tidak dikenal: {found}; pilih satu atau lebih dari "
                         f"{', '.join(FORMATS)} (dipisah koma, misalnya --format html,pdf)")
    return tuple(f for f in FORMATS if f in asked)


@dataclass
class Job:
    """One build: the snapshot, where to write, and what the builders share."""

    snapshot: Snapshot
    out: Path
    progress: Callable[[str], None] = lambda _: None
    notes: list[str] = field(default_factory=list)

    @property
    def tahun(self) -> int:
        return self.snapshot.tahun

    @cached_property
    def env(self):
        from generator.render.templates import environment

        return environment(self.snapshot.root, self.snapshot.templates)

    @cached_property
    def context(self) -> dict:
        from generator.render import document

        snap = self.snapshot
        self.progress("menghitung capaian dan anggaran")
        figures = snap.figures()
        instansi = snap.repo.instansi
        logo = document.logo_uri(instansi.logo, snap.source.read(instansi.logo)
                                 if instansi.logo and snap.source.is_file(instansi.logo) else None)
        return document.context(snap.repo, snap.tahun, figures, snap.state, logo)

    @cached_property
    def html(self) -> str:
        from generator.render import document

        return document.render(self.env, "document/lakip.html", self.context)

    @cached_property
    def surat(self) -> str | None:
        """The surat pengantar's HTML; None (with a note) while pengiriman.yaml has none."""
        from generator.render import document

        year = self.snapshot.repo.find_tahun(self.tahun)
        if year.pengiriman and year.pengiriman.surat_pengantar:
            return document.render(self.env, "surat/surat-pengantar.html", self.context)
        self.notes.append(f"surat pengantar tidak dibuat: content/{self.tahun}/pengiriman.yaml belum "
                          "berisi 'surat_pengantar'")
        return None

    @cached_property
    def pdf_pages(self) -> tuple[bytes, dict[str, int]]:
        """The document's PDF and the page of every anchor in it: the pdf builder writes the
        bytes, the docx builder pre-fills its table of contents with the pages (so a DOCX alone
        still renders the PDF once)."""
        from generator.render import document

        return document.pdf_pages(self.html)

    def meta(self, title: str, header: str, **kwargs):
        from generator.render.docx import Meta

        state = self.snapshot.state
        return Meta(title, self.snapshot.repo.instansi.nama, header, tuple(state.tanda), state.tanggal,
                    **kwargs)

    def check_fonts(self, key: str = "halaman") -> None:
        """A note naming the configured font family the PDF needs and this machine lacks (the
        PDF then silently takes a fallback font: issue 12). Once per family."""
        from generator.render.fonts import missing

        page = self.context[key]
        for family in missing((page.huruf_pdf,)):
            note = (f"huruf '{family}' (untuk {page.huruf}) tidak terpasang di mesin ini: PDF memakai "
                    "huruf pengganti sehingga tampilan dan pemenggalan baris berbeda"
                    + ("; pasang paket fonts-urw-base35" if "Bookman" in family else ""))
            if note not in self.notes:
                self.notes.append(note)

    def path(self, name: str) -> Path:
        prepare_out(self.out)
        return self.out / name


def _html(job: Job) -> list[Path]:
    html = job.html
    path = job.path(f"lakip-{job.tahun}.html")
    job.progress(f"menulis {path}")
    return [_write(path, html.encode("utf-8"))]


def _pdf(job: Job) -> list[Path]:
    job.html  # noqa: B018 -- rendered (and its progress shown) before the long PDF step
    job.progress("menyusun PDF (WeasyPrint; tahap paling lama)")
    job.check_fonts()
    return [_write(job.path(f"lakip-{job.tahun}.pdf"), job.pdf_pages[0])]


def _docx(job: Job) -> list[Path]:
    from generator.render.docx import write_docx

    html, pages = job.html, job.pdf_pages[1]
    job.progress("menyusun DOCX")
    path = job.path(f"lakip-{job.tahun}.docx")
    nama = job.snapshot.repo.instansi.nama
    write_docx(html, path, job.meta(f"Laporan Kinerja Instansi Pemerintah Tahun {job.tahun}",
                                    f"LKjIP {job.tahun} · {nama}", page=job.context["halaman"],
                                    toc_pages=pages))
    return [path]


def _surat(job: Job) -> list[Path]:
    from generator.render import document
    from generator.render.docx import write_docx

    surat = job.surat
    if surat is None:
        return []
    job.progress("menyusun surat pengantar")
    job.check_fonts("halaman_surat")
    written = [_write(job.path(f"surat-pengantar-{job.tahun}.pdf"), document.pdf(surat))]
    path = job.path(f"surat-pengantar-{job.tahun}.docx")
    write_docx(surat, path, job.meta(f"Surat Pengantar LKjIP {job.tahun}", "",
                                     page=job.context["halaman_surat"], letter=True))
    return [*written, path]


def _site(job: Job) -> list[Path]:
    from generator.workflow.mkdocs_plugin import build_site

    snap = job.snapshot
    if snap.commit is not None:
        job.notes.append("situs tidak dibangun untuk --ref: situs menggambarkan keadaan terkini")
        return []
    if not (snap.root / "mkdocs.yml").is_file():
        job.notes.append("situs tidak dibangun: mkdocs.yml tidak ada di repositori")
        return []
    job.progress("membangun situs (MkDocs)")
    return [build_site(snap, job.out / "site", dokumen=job.out)]


BUILDERS: dict[str, Callable[[Job], list[Path]]] = {
    "html": _html, "pdf": _pdf, "docx": _docx, "surat": _surat, "site": _site}


def run(job: Job, formats: tuple[str, ...]) -> list[Path]:
    """Run the builders of `formats` in build order; returns the files written."""
    written: list[Path] = []
    for name in FORMATS:
        if name in formats:
            written += BUILDERS[name](job)
    return written


def _write(path: Path, data: bytes) -> Path:
    """Write an output file atomically, never through a symlink (store.write_file)."""
    from generator.store import UnsafePath, write_file

    try:
        write_file(path.parent, path, data)
    except UnsafePath as e:
        raise UsageError(e.pesan) from None
    except OSError as e:
        raise UsageError(f"'{path}' tidak dapat ditulis: {e.strerror or e}") from None
    return path


def prepare_out(out: Path) -> None:
    """The output folder: made when absent; UsageError when it is a file, a device or a symlink
    (a repository may hold `out` as a link to a folder of the user's)."""
    from generator.store import UnsafePath, check_folder

    try:
        check_folder(out)
        out.mkdir(parents=True, exist_ok=True)
        check_folder(out)
    except UnsafePath as e:
        raise UsageError(f"folder keluaran --out tidak dapat dipakai: {e.pesan}") from None
    except OSError as e:
        raise UsageError(f"folder keluaran --out '{out}' tidak dapat dibuat: {e.strerror or e}") from None
