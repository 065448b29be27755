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
    keys: dict[str, str] = field(default_factory=dict)  # digests shared by the outputs' keys

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
    def has_surat(self) -> bool:
        """Whether pengiriman.yaml asks for a surat pengantar (else a note says why none)."""
        year = self.snapshot.repo.find_tahun(self.tahun)
        if year.pengiriman and year.pengiriman.surat_pengantar:
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
        reuse_pages(job, lambda: job.pdf_pages[1])  # kept for a DOCX built later from the same key
    return [_write(job.path(f"lakip-{job.tahun}.pdf"), data)]


def _docx(job: Job) -> list[Path]:
    from generator.workflow.reuse import reuse, reuse_pages

    def render() -> bytes:
        from generator.render.docx import docx_bytes  # python-docx: only when rendering

        html = job.html
        pages = reuse_pages(job, lambda: job.pdf_pages[1])
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


# Document builders that run in one process, in this order: the DOCX's table of contents needs
# the PDF's page numbers, so html, pdf and docx stay together; the surat is independent of them.
# The site comes after all of them: it offers the documents this build writes (unduh/).
GROUPS = (("html", "pdf", "docx"), ("surat",))


def default_jobs() -> int:
    """The number of cores this process may use."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(job: Job, formats: tuple[str, ...], jobs: int = 1) -> list[Path]:
    """Run the builders of `formats`; returns the files written, in build order (FORMATS).

    With `jobs` > 1 the groups of GROUPS that have work run in separate processes (forked, so
    they share the gathered snapshot), at most `jobs` at a time; the site follows once they are
    done. Every file is written by exactly one builder, so the files do not depend on `jobs`. A
    build from a commit (`--ref`) runs in one process: its source is one `git cat-file` pipe,
    which processes cannot share."""
    groups = [[name for name in group if name in formats] for group in GROUPS]
    groups = [group for group in groups if group]
    written: dict[str, list[Path]] = {}
    if jobs > 1 and len(groups) > 1 and job.snapshot.commit is None and _can_fork():
        written = _run_parallel(job, groups, jobs)
    else:
        for group in groups:
            for name in group:
                written[name] = BUILDERS[name](job)
    if "site" in formats:
        written["site"] = BUILDERS["site"](job)
    return [path for name in FORMATS for path in written.get(name, [])]


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _run_group(job: Job, names: list[str]) -> tuple[str, object]:
    """Run the builders `names`: ("ok", (paths by builder, new notes, new reused)) or
    ("galat", the error): a LakipError as it is (its message travels; it is rebuilt from it),
    anything else as an InternalError naming it."""
    from generator.data.errors import InternalError, LakipError

    notes_before, reused_before = len(job.notes), len(job.reused)
    try:
        written = {name: BUILDERS[name](job) for name in names}
        return "ok", (written, job.notes[notes_before:], job.reused[reused_before:])
    except LakipError as e:  # raised again by the parent, as a serial build would raise it
        return "galat", e
    except Exception as e:
        return "galat", InternalError(f"{type(e).__name__}: {e}")


def _run_parallel(job: Job, groups: list[list[str]], jobs: int) -> dict[str, list[Path]]:
    """The first group in this process, each other group (at most `jobs` - 1 at a time) in a
    forked child that inherits the job; children send their progress lines and their result
    through one queue, which a thread here reads, so every progress line is written by this
    process, whole and in the order it came."""
    import contextlib
    import multiprocessing
    import threading

    from generator.data.errors import InternalError
    from generator.workflow.reuse import inputs_digest

    # Worked out once, before the fork, so that no child repeats it: the document state (git
    # history), the digest of the inputs (reuse.py keys) and the year's figures. A year whose
    # data cannot give figures fails later, in its builder, as it would in one process.
    snap = job.snapshot
    snap.state  # noqa: B018
    job.keys.setdefault("inputs", inputs_digest(snap))
    with contextlib.suppress(ValueError, KeyError, AttributeError):
        snap.figures()
    prepare_out(job.out)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    results: dict[int, tuple[str, object]] = {}
    show = job.progress

    def read() -> None:
        while (message := queue.get()) is not None:
            kind, index, value = message
            if kind == "baris":
                show(value)
            else:
                results[index] = value

    def child(index: int, names: list[str]) -> None:
        job.progress = lambda line: queue.put(("baris", index, line))
        queue.put(("hasil", index, _run_group(job, names)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        waiting = list(enumerate(groups))[1:]
        running: list[tuple[int, multiprocessing.process.BaseProcess]] = []
        while waiting and len(running) < jobs - 1:
            index, names = waiting.pop(0)
            process = ctx.Process(target=child, args=(index, names), daemon=True)
            process.start()
            running.append((index, process))
        results[0] = _run_group(job, groups[0])
        while running or waiting:
            index, process = running.pop(0)
            process.join()
            if waiting:  # a slot is free again
                more, names = waiting.pop(0)
                started = ctx.Process(target=child, args=(more, names), daemon=True)
                started.start()
                running.append((more, started))
            if process.exitcode != 0:
                results.setdefault(index, ("galat", InternalError(
                    f"proses pembangun {'+'.join(groups[index])} berhenti (kode keluar "
                    f"{process.exitcode})")))
    finally:
        queue.put(None)
        reader.join()
    written_by: dict[str, list[Path]] = {}
    for index in range(len(groups)):  # in group order: notes come out as a serial build gives them
        kind, value = results.get(index, ("galat", InternalError(
            f"proses pembangun {'+'.join(groups[index])} tidak mengirim hasil")))
        if kind == "galat":
            raise value  # type: ignore[misc]
        written, notes, reused = value  # type: ignore[misc]
        written_by.update(written)
        job.notes += [note for note in notes if note not in job.notes]  # as one process says it once
        job.reused += reused
    return written_by


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
