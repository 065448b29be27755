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
    reused: list[str] = field(default_factory=list)  # outputs served from the store (reuse.py)
    # In a builder process of a parallel build, the page numbers come from the process that lays
    # the PDF out (`_run_lanes`); None: from this process's own layout.
    pages_from: Callable[[], dict[str, int]] | None = None

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

    def surat_asked(self) -> bool:
        """Whether pengiriman.yaml asks for a surat pengantar."""
        year = self.snapshot.repo.find_tahun(self.tahun)
        return bool(year and year.pengiriman and year.pengiriman.surat_pengantar)

    @cached_property
    def has_surat(self) -> bool:
        """Whether pengiriman.yaml asks for a surat pengantar (else a note says why none)."""
        if self.surat_asked():
            return True
        self.notes.append(f"surat pengantar tidak dibuat: content/{self.tahun}/pengiriman.yaml belum "
                          "berisi 'surat_pengantar'")
        return False

    @cached_property
    def surat(self) -> str | None:
        """The surat pengantar's HTML; None (with a note) while pengiriman.yaml has none."""
        from generator.render import document

        if self.has_surat:
            return document.render(self.env, "surat/surat-pengantar.html", self.context)
        return None

    @cached_property
    def laid(self):
        """The document laid out by WeasyPrint once (`document.Laid`): the pdf builder writes it,
        the archive writes its PDF/A copy from the same layout."""
        from generator.render import document

        return document.Laid(self.html)

    @cached_property
    def pdf_pages(self) -> tuple[bytes, dict[str, int]]:
        """The document's PDF and the page of every anchor in it: the pdf builder writes the
        bytes, the docx builder pre-fills its table of contents with the pages (so a DOCX alone
        still renders the PDF once)."""
        from generator.render import document

        layout = document.pdf_layout(self.laid)
        return layout.pdf, layout.pages

    def page_numbers(self) -> dict[str, int]:
        """The PDF's page of every anchor (the DOCX's table of contents): from the PDF already
        written here, else from the layout (here, or in the process that lays it out)."""
        if self.pages_from is not None:
            return self.pages_from()
        if "pdf_pages" in self.__dict__:
            return self.pdf_pages[1]
        return self.laid.pages()

    def meta(self, title: str, header: str, **kwargs):
        from generator.render.docx import Meta

        state = self.snapshot.state
        return Meta(title, self.snapshot.repo.instansi.nama, header, tuple(state.tanda), state.tanggal,
                    **kwargs)

    def check_fonts(self, key: str = "halaman") -> None:
        """A note naming the configured font family the PDF needs and this machine lacks (the
        PDF then silently takes a fallback font: issue 12). Once per family."""
        from generator.render.fonts import missing
        from generator.render.page import halaman

        # the page settings of the context; without computing it when a reused PDF needed none
        context = self.__dict__.get("context")
        page = (context[key] if context is not None else
                halaman(self.snapshot.repo.instansi.dokumen, surat=key == "halaman_surat"))
        for family in missing((page.huruf_pdf,)):
            note = (f"huruf '{family}' (untuk {page.huruf}) tidak terpasang di mesin ini: PDF memakai "
                    "huruf pengganti sehingga tampilan dan pemenggalan baris berbeda"
                    + ("; pasang paket fonts-urw-base35" if "Bookman" in family else ""))
            if note not in self.notes:
                self.notes.append(note)

    def path(self, name: str) -> Path:
        prepare_out(self.out)
        return self.out / name


def _reused(job: Job, name: str, label: str) -> bool:
    if name in job.reused:
        job.progress(f"{label} tidak berubah: dipakai ulang dari penyimpanan (tanpa render)")
        return True
    return False


def _html(job: Job) -> list[Path]:
    from generator.workflow.reuse import reuse

    data = reuse(job, "html", lambda: job.html.encode("utf-8"))
    _reused(job, "html", "HTML")
    path = job.path(f"lakip-{job.tahun}.html")
    job.progress(f"menulis {path}")
    return [_write(path, data)]


def _pdf(job: Job) -> list[Path]:
    from generator.workflow.reuse import reuse, reuse_pages

    def render() -> bytes:
        job.html  # noqa: B018 -- rendered (and its progress shown) before the long PDF step
        job.progress("menyusun PDF (WeasyPrint; tahap paling lama)")
        return job.pdf_pages[0]

    data = reuse(job, "pdf", render)
    job.check_fonts()  # the machine's fonts: said on every build, rendered or reused
    if not _reused(job, "pdf", "PDF"):
        reuse_pages(job, job.page_numbers)  # kept for a DOCX built later from the same key
    return [_write(job.path(f"lakip-{job.tahun}.pdf"), data)]


def _docx(job: Job) -> list[Path]:
    from generator.workflow.reuse import reuse, reuse_pages

    def render() -> bytes:
        from generator.render.docx import docx_bytes  # python-docx: only when rendering

        html = job.html
        pages = reuse_pages(job, job.page_numbers)
        job.progress("menyusun DOCX")
        nama = job.snapshot.repo.instansi.nama
        return docx_bytes(html, job.meta(f"Laporan Kinerja Instansi Pemerintah Tahun {job.tahun}",
                                         f"LKjIP {job.tahun} · {nama}", page=job.context["halaman"],
                                         toc_pages=pages))

    data = reuse(job, "docx", render)
    _reused(job, "docx", "DOCX")
    return [_write(job.path(f"lakip-{job.tahun}.docx"), data)]


def _surat(job: Job) -> list[Path]:
    from generator.workflow.reuse import reuse

    if not job.has_surat:
        return []

    def render_pdf() -> bytes:
        from generator.render import document

        job.progress("menyusun surat pengantar")
        return document.pdf(job.surat)

    def render_docx() -> bytes:
        from generator.render.docx import docx_bytes

        return docx_bytes(job.surat, job.meta(f"Surat Pengantar LKjIP {job.tahun}", "",
                                              page=job.context["halaman_surat"], letter=True))

    pdf = reuse(job, "surat-pdf", render_pdf)
    job.check_fonts("halaman_surat")
    docx = reuse(job, "surat-docx", render_docx)
    _reused(job, "surat-pdf", "surat pengantar")
    return [_write(job.path(f"surat-pengantar-{job.tahun}.pdf"), pdf),
            _write(job.path(f"surat-pengantar-{job.tahun}.docx"), docx)]


def _site(job: Job) -> list[Path]:
    snap = job.snapshot
    if snap.commit is not None:
        job.notes.append("situs tidak dibangun untuk --ref: situs menggambarkan keadaan terkini")
        return []
    if not (snap.root / "mkdocs.yml").is_file():
        job.notes.append("situs tidak dibangun: mkdocs.yml tidak ada di repositori")
        return []
    from generator.workflow.reuse import remember_site, site_key, site_unchanged

    site = job.out / "site"
    key = site_key(job)
    if site_unchanged(job, key, site):
        job.reused.append("site")
        job.progress("situs tidak berubah: situs yang ada dipakai (tanpa membangun ulang)")
        return [site]
    from generator.workflow.mkdocs_plugin import build_site  # MkDocs: only when building

    job.progress("membangun situs (MkDocs)")
    built = build_site(snap, site, dokumen=job.out)
    remember_site(job, key, built)
    return [built]


BUILDERS: dict[str, Callable[[Job], list[Path]]] = {
    "html": _html, "pdf": _pdf, "docx": _docx, "surat": _surat, "site": _site}


# A parallel build runs two lanes (DESIGN §8, issue 18): this process lays the report out and
# writes the HTML and the PDF (WeasyPrint: most of a build); a forked process builds the website
# meanwhile (its downloads copied in when the documents exist), then the surat, then the DOCX,
# whose table of contents waits for the page numbers this process sends once the layout is done.
LANE_SELF = ("html", "pdf")
LANE_CHILD = ("site", "surat", "docx")


def default_jobs() -> int:
    """The number of cores this process may use."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(job: Job, formats: tuple[str, ...], jobs: int = 1) -> list[Path]:
    """Run the builders of `formats`; returns the files written, in build order (FORMATS).

    With `jobs` > 1 and something to render, the builders run in two lanes (LANE_SELF here,
    LANE_CHILD in a forked process that shares the gathered snapshot). Every file is written by
    exactly one builder and the website gets the same bytes either way, so the files do not
    depend on `jobs`. A build from a commit (`--ref`) runs in one process: its source is one
    `git cat-file` pipe, which processes cannot share; so does a build whose documents are all
    stored (nothing to overlap: the website may then stay as it is, reuse.site_unchanged)."""
    if jobs > 1 and job.snapshot.commit is None and _can_fork() and _renders(job, formats):
        written = _run_lanes(job, formats)
    else:
        written = {name: BUILDERS[name](job) for name in FORMATS if name in formats and name != "site"}
        if "site" in formats:
            written["site"] = BUILDERS["site"](job)
    return [path for name in FORMATS for path in written.get(name, [])]


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _renders(job: Job, formats: tuple[str, ...]) -> bool:
    """Whether a document of `formats` will be rendered (its stored bytes are not there), with
    work for both lanes."""
    from generator.workflow.reuse import stored

    if not any(name in formats for name in LANE_SELF) or not any(name in formats for name in LANE_CHILD):
        return False
    names = {"pdf": ("pdf",), "docx": ("docx",), "surat": ("surat-pdf", "surat-docx")}
    return any(not stored(job, key) for name in formats for key in names.get(name, ()))


def _run_lanes(job: Job, formats: tuple[str, ...]) -> dict[str, list[Path]]:
    """LANE_SELF here, LANE_CHILD in a forked child that sends its progress lines and its result
    through one queue, which a thread here reads (every progress line is written by this
    process, whole). Notes come out in FORMATS order, as a serial build gives them."""
    import contextlib
    import multiprocessing
    import threading

    from generator.data.errors import InternalError, LakipError
    from generator.workflow.reuse import reuse_pages

    # Worked out once, before the fork, so that no child repeats it: the document state (git
    # history), the digest of the inputs (reuse.py keys) and the year's figures. A year whose
    # data cannot give figures fails later, in its builder, as it would in one process.
    snap = job.snapshot
    snap.state  # noqa: B018
    snap.inputs  # noqa: B018
    with contextlib.suppress(ValueError, KeyError, AttributeError):
        snap.figures()
        if "surat" in formats or "docx" in formats:
            job.context  # noqa: B018 -- the documents' context, which both lanes use
    prepare_out(job.out)
    early = "site" in formats and _site_early(job)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    receive, send = ctx.Pipe(duplex=False)
    pages_needed = "docx" in formats and "pdf" in formats
    results: dict[str, object] = {}
    show = job.progress

    def read() -> None:
        while (message := queue.get()) is not None:
            kind, value = message
            if kind == "baris":
                show(value)
            else:
                results["anak"] = value

    def lane(names: list[str], run_one: Callable[[str], list[Path]]) -> tuple[Exception | None, dict]:
        """(None, or the error that stopped the lane, raised again by the parent as a serial
        build would raise it; what was built before it)."""
        done: dict[str, tuple[list[Path], list[str], list[str]]] = {}
        try:
            for name in names:
                notes, reused = len(job.notes), len(job.reused)
                done[name] = (run_one(name), job.notes[notes:], job.reused[reused:])
            return None, done
        except LakipError as e:  # its message travels; it is rebuilt from it
            return e, done
        except Exception as e:
            return InternalError(f"{type(e).__name__}: {e}"), done

    def child() -> None:
        send.close()  # this end is the parent's: a parent that stops sending must mean EOF here
        job.progress = lambda line: queue.put(("baris", line))
        pages: list[dict[str, int]] = []

        def page_numbers() -> dict[str, int]:
            if not pages:
                pages.append(receive.recv())
            return pages[0]

        if pages_needed:
            job.pages_from = page_numbers
        names = [n for n in LANE_CHILD if n in formats and (n != "site" or early)]
        result = lane(names, lambda n: _site_first(job, formats) if n == "site" else BUILDERS[n](job))
        if pages_needed and not pages:
            # The parent sends the page numbers whatever happens here (a stored DOCX needs none):
            # read them, so that its send never waits on a full pipe.
            with contextlib.suppress(EOFError, OSError):
                page_numbers()
        queue.put(("hasil", result))

    def parent(name: str) -> list[Path]:
        if name == "pdf" and pages_needed:
            job.html  # noqa: B018 -- its progress line comes before the layout's
            send.send(reuse_pages(job, job.page_numbers))  # the child's DOCX waits for them
        return BUILDERS[name](job)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    process = ctx.Process(target=child, daemon=True)
    try:
        process.start()
        receive.close()  # the child's end
        mine = lane([n for n in LANE_SELF if n in formats], parent)
        send.close()  # a child still waiting for page numbers gets EOF instead of waiting forever
        process.join()
    finally:
        queue.put(None)
        reader.join()
    theirs = results.get("anak") or (InternalError(
        f"proses pembangun {'+'.join(LANE_CHILD)} berhenti (kode keluar {process.exitcode})"), {})
    if mine[0] is not None or theirs[0] is not None:  # type: ignore[index]
        if "site" in theirs[1]:  # type: ignore[index,operator]
            import shutil

            shutil.rmtree(theirs[1]["site"][0][0], ignore_errors=True)  # type: ignore[index]
        raise mine[0] or theirs[0]  # type: ignore[misc,index]
    done = {**mine[1], **theirs[1]}  # type: ignore[dict-item,index]
    written: dict[str, list[Path]] = {}
    for name in FORMATS:
        if name in done:
            paths, notes, reused = done[name]
            written[name] = paths
            job.notes += [note for note in notes if note not in job.notes]  # said once, as one process does
            job.reused += reused
    if "site" in formats and not early:
        written["site"] = BUILDERS["site"](job)
    elif "site" in written:
        written["site"] = _site_finish(job, written["site"], formats)
    return written


def _site_early(job: Job) -> bool:
    """Whether the website can be built beside the documents: it offers them by name only,
    and their bytes are copied in afterwards. Not when the output folder holds a TTE-signed PDF,
    whose status on the site compares it with the PDF this build writes."""
    office = job.snapshot.root / "mkdocs.yml"
    signed = job.out / f"lakip-{job.tahun}-tte.pdf"
    return office.is_file() and not office.is_symlink() and not signed.exists()


def _later_documents(job: Job, formats: tuple[str, ...]) -> tuple[str, ...]:
    """The files the document builders of this build write into the output folder."""
    t = job.tahun
    names = {"html": (f"lakip-{t}.html",), "pdf": (f"lakip-{t}.pdf",), "docx": (f"lakip-{t}.docx",),
             "surat": (f"surat-pengantar-{t}.pdf", f"surat-pengantar-{t}.docx") if job.surat_asked() else ()}
    return tuple(name for fmt in DOCUMENTS if fmt in formats for name in names[fmt])


def _site_first(job: Job, formats: tuple[str, ...]) -> list[Path]:
    """The website built (not yet in place) while the documents are written: a new folder
    beside OUT/site, which `_site_finish` completes and swaps in."""
    from generator.workflow.mkdocs_plugin import build_site

    job.progress("membangun situs (MkDocs)")
    return [build_site(job.snapshot, job.out / "site", dokumen=job.out,
                       later=_later_documents(job, formats), swap=False)]


def _site_finish(job: Job, built: list[Path], formats: tuple[str, ...]) -> list[Path]:
    """The documents just written copied into the early-built website, which then replaces
    OUT/site; its files are recorded under the site's key (reuse.py), as a serial build does."""
    from generator.workflow.mkdocs_plugin import finish_site
    from generator.workflow.reuse import remember_site, site_key

    site = finish_site(built[0], job.out / "site", job.out, _later_documents(job, formats))
    remember_site(job, site_key(job), site)
    return [site]


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
