"""The pipelines behind the commands, each reading top to bottom: load -> check -> ... -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.data.errors import Issue, LakipError, sorted_issues
from generator.data.load import CONTENT, SOP_FILE, load_repo
from generator.data.source import FsSource
from generator.data.validate import validate
from generator.store import UnsafePath, check_folder, make_dirs, read_file

if TYPE_CHECKING:
    from generator.render.document import DocumentState


def find_repo(start: Path | None) -> Path:
    """The repository root: --repo as given, else the nearest folder upward holding content/."""
    if start is not None:
        root = start.resolve()
        if not root.is_dir():
            raise LakipError(f"folder repositori '{start}' tidak ada", exit_code=2)
        if not ((root / CONTENT).is_dir() or (root / SOP_FILE).is_file()):
            raise LakipError(f"'{start}' bukan repositori lakip: folder content/ dan berkas "
                             f"{SOP_FILE} tidak ditemukan", exit_code=2)
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONTENT).is_dir() or (folder / SOP_FILE).is_file():
            return folder
    raise LakipError("folder ini bukan repositori lakip: content/ atau sop/lakip.yaml tidak "
                     "ditemukan di sini maupun di folder induknya (petunjuk: pakai --repo DIR, "
                     "atau buat repositori baru dengan lakip init DIR)", exit_code=2)


def run_validate(root: Path, tahun: int | None = None) -> list[Issue]:
    """All issues of the repository, sorted; with `tahun`, other years' files are left out."""
    repo, issues = load_repo(root)
    issues += validate(repo)
    if tahun is not None:
        if repo.find_tahun(tahun) is None and not (root / CONTENT / str(tahun)).is_dir():
            known = ", ".join(str(t.tahun) for t in repo.tahun) or "(belum ada)"
            raise LakipError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}",
                             exit_code=2)
        others = {f"{CONTENT}/{t.tahun}/" for t in repo.tahun if t.tahun != tahun}
        issues = [i for i in issues if not any(i.loc.path.startswith(o) for o in others)]
    return sorted_issues(issues)


# ---------------------------------------------------------------- lakip build


@dataclass(frozen=True)
class Built:
    tahun: int
    files: tuple[Path, ...]
    state: DocumentState
    notes: tuple[str, ...]


def _checked(root: Path, tahun: int | None, source=None):
    """The repository loaded from the working tree (or `source`); refuses when the year's data
    has errors."""
    source = source or FsSource(root)
    repo, issues = load_repo(root, source)
    issues += validate(repo)
    tahun = tahun or _newest(repo)
    if repo.find_tahun(tahun) is None:
        known = ", ".join(str(t.tahun) for t in repo.tahun)
        raise LakipError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}", exit_code=2)
    errors = [i for i in sorted_issues(issues) if i.is_error and _concerns(i, tahun)]
    if errors:
        listing = "\n".join(f"  {i.format()}" for i in errors[:20])
        more = f"\n  ... dan {len(errors) - 20} galat lain" if len(errors) > 20 else ""
        raise LakipError(f"data tahun {tahun} belum valid:\n{listing}{more}\n"
                         "(petunjuk: jalankan lakip validate)")
    return source, repo, tahun


def run_figures(root: Path, tahun: int | None = None):
    from generator.figures.capaian import compute

    _, repo, tahun = _checked(root, tahun)
    return compute(repo, tahun)


def run_build(root: Path, out: Path, tahun: int | None = None,
              progress: Callable[[str], None] = lambda _: None, ref: str | None = None,
              site: bool = True) -> Built:
    """Load -> validate -> SOP state -> figures -> render -> write the year's documents.

    With `ref` (a tag such as lakip-2025, or any commit), everything is read from that commit's
    tree, templates included, and the working tree is not read at all: an archived year rebuilds
    exactly as it was archived."""
    from generator.figures.capaian import compute
    from generator.render import document
    from generator.render.docx import Meta, write_docx
    from generator.render.templates import environment

    try:  # an --out that is a file, a device or a symlink is refused before any work is done
        check_folder(out)
    except UnsafePath as e:
        raise LakipError(f"folder keluaran --out tidak dapat dipakai: {e.pesan}", exit_code=2) from None
    progress("memuat dan memeriksa data")
    commit = overrides = None
    source = None
    if ref is not None:
        from generator.git import GitSource
        from generator.sop.progress import open_repo

        git = open_repo(root)
        commit = git.text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).strip()
        if not commit:
            raise LakipError(f"ref '{ref}' tidak ditemukan di repositori", exit_code=2)
        source = GitSource(git, commit, ("content", "sop", "site_templates"))
        overrides = {}
        for rel in source.blobs:
            if rel.startswith("site_templates/"):
                try:
                    overrides[rel.removeprefix("site_templates/")] = source.read(rel).decode("utf-8")
                except UnicodeDecodeError:
                    raise LakipError(f"templat {rel} di {ref} bukan teks UTF-8") from None
    try:
        source, repo, tahun = _checked(root, tahun, source)
    except LakipError as e:
        # During step 4 the data is incomplete by nature, and the website is where the office
        # sees what is missing: build it anyway, then refuse the documents.
        if e.exit_code != 1 or ref is not None or not site or not (root / "mkdocs.yml").is_file():
            raise
        progress("data belum valid: hanya situs yang dibangun")
        build_site(root, out / "site", dokumen=out, tahun=tahun)
        raise LakipError(f"{e.pesan}\nSitus progres tetap diperbarui di {out / 'site'}; dokumen "
                         "baru dibangun setelah data valid.") from None
    state, notes = _document_state(root, repo, tahun, source, commit)

    progress("menghitung capaian dan anggaran")
    figures = compute(repo, tahun)
    instansi = repo.instansi
    logo = document.logo_uri(instansi.logo, source.read(instansi.logo)
                             if instansi.logo and source.is_file(instansi.logo) else None)
    env = environment(root, overrides)
    ctx = document.context(repo, tahun, figures, state, logo)
    html = document.render(env, "document/lakip.html", ctx)
    year = repo.find_tahun(tahun)
    surat = None
    if year.pengiriman and year.pengiriman.surat_pengantar:
        surat = document.render(env, "surat/surat-pengantar.html", ctx)
    else:
        notes += (f"surat pengantar tidak dibuat: content/{tahun}/pengiriman.yaml belum berisi "
                  "'surat_pengantar'",)

    _prepare_out(out)
    written = []
    progress(f"menulis {out / f'lakip-{tahun}.html'}")
    written.append(_write(out / f"lakip-{tahun}.html", html.encode("utf-8")))
    progress("menyusun PDF (WeasyPrint; tahap paling lama)")
    pdf_bytes, pages = document.pdf_pages(html)
    written.append(_write(out / f"lakip-{tahun}.pdf", pdf_bytes))
    progress("menyusun DOCX")
    meta = Meta(f"Laporan Kinerja Instansi Pemerintah Tahun {tahun}", instansi.nama,
                f"LKjIP {tahun} · {instansi.nama}", tuple(state.tanda), state.tanggal,
                page=ctx["halaman"], toc_pages=pages)
    path = out / f"lakip-{tahun}.docx"
    write_docx(html, path, meta)
    written.append(path)
    if surat:
        progress("menyusun surat pengantar")
        written.append(_write(out / f"surat-pengantar-{tahun}.pdf", document.pdf(surat)))
        path = out / f"surat-pengantar-{tahun}.docx"
        write_docx(surat, path, Meta(f"Surat Pengantar LKjIP {tahun}", instansi.nama, "",
                                     tuple(state.tanda), state.tanggal, page=ctx["halaman_surat"],
                                     letter=True))
        written.append(path)
    if site and ref is not None:
        notes += ("situs tidak dibangun untuk --ref: situs menggambarkan keadaan terkini",)
    elif site and (root / "mkdocs.yml").is_file():
        _archived_documents(root, out, progress)
        progress("membangun situs (MkDocs)")
        written.append(build_site(root, out / "site", dokumen=out, tahun=tahun))
    elif site:
        notes += ("situs tidak dibangun: mkdocs.yml tidak ada di repositori",)
    return Built(tahun, tuple(written), state, notes)


def _archived_documents(root: Path, out: Path, progress: Callable[[str], None]) -> None:
    """OUT/arsip/<tahun>/: each archived year whose tag verifies (sop/arsip.py) rebuilt from its
    tag for the site's Arsip page, only when the files there do not already match its manifest.
    A junk tag with a fake manifest is neither rebuilt nor listed."""
    from generator.git import Git, tags
    from generator.sop.arsip import trusted_tags

    git = Git(root)
    if not (git.is_repo() and git.head()):
        return
    for tag, manifest in trusted_tags(root, git, tags(git)):
        tahun = tag.name.removeprefix("lakip-")
        wanted = manifest["dokumen"]
        folder = out / "arsip" / tahun
        try:
            make_dirs(out, folder)  # out/arsip/<tahun> without following a symlink on the way
        except UnsafePath as e:
            raise LakipError(e.pesan, exit_code=2) from None
        if all(_digest(folder, name) == digest for name, digest in wanted.items()):
            continue
        progress(f"membangun ulang arsip {tag.name}")
        run_build(root, folder, int(tahun), ref=tag.commit, site=False)


def _digest(folder: Path, name: str) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(read_file(folder, folder / name)).hexdigest()
    except (OSError, UnsafePath):
        return None


def _mkdocs_config(root: Path, tahun: int | None, dokumen: Path | None, **overrides):
    """lakip's own MkDocs configuration (never the repository's mkdocs.yml, whose hooks, theme
    templates and Markdown extensions would run as code or read files outside the repository),
    named after the office's site when its mkdocs.yml gives a plain `site_name`."""
    import logging
    import os

    from mkdocs.config import load_config

    from generator.workflow.scaffold import PROJECT

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner on every run
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    plugin = {"repo": str(root)}
    if tahun:
        plugin["tahun"] = tahun
    if dokumen is not None:
        plugin["dokumen"] = str(dokumen)
    names = _office_site_names(root)
    return load_config(config_file=str(PROJECT / "mkdocs.yml"), plugins=["search", {"lakip": plugin}],
                       **names, **overrides)


def _office_site_names(root: Path) -> dict[str, str]:
    """`site_name`, `site_description` and `copyright` from the office's mkdocs.yml when they are
    plain text; nothing else of that file is used."""
    import yaml

    from generator.data.source import FsSource

    source = FsSource(root)
    if not source.is_file("mkdocs.yml"):
        return {}
    try:
        value = yaml.safe_load(source.read("mkdocs.yml")[:200_000])
    except (yaml.YAMLError, OSError, ValueError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {k: value[k] for k in ("site_name", "site_description", "copyright")
            if isinstance(value.get(k), str) and value[k].strip() and len(value[k]) < 500}


def build_site(root: Path, site_dir: Path, dokumen: Path | None = None, tahun: int | None = None) -> Path:
    """Generate the pages (through the lakip MkDocs plugin, into a folder lakip makes) and build the
    site into a new folder beside `site_dir`, which then replaces it: nothing is written through
    a symlink, and a failed build leaves the previous site as it was."""
    import shutil
    import tempfile

    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator.store import UnsafePath, check_folder

    _prepare_out(site_dir.parent)
    try:
        check_folder(site_dir)
    except UnsafePath as e:
        raise LakipError(e.pesan, exit_code=2) from None
    fresh = Path(tempfile.mkdtemp(prefix=".situs-", dir=site_dir.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="lakip-halaman-") as pages:
            build(_mkdocs_config(root, tahun, dokumen, docs_dir=pages, site_dir=str(fresh)))
        if site_dir.exists():
            shutil.rmtree(site_dir)  # a real folder (checked above); rmtree never follows links
        fresh.rename(site_dir)
    except MkDocsException as e:
        raise LakipError(f"situs gagal dibangun: {e}") from None
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)
    return site_dir


def serve_site(root: Path, address: str) -> None:
    import tempfile

    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from generator.workflow.scaffold import PROJECT

    _mkdocs_config(root, None, None)  # same logging and banner settings as a build
    with tempfile.TemporaryDirectory(prefix="lakip-halaman-") as pages:
        try:
            serve(config_file=str(PROJECT / "mkdocs.yml"), livereload=True, dev_addr=address,
                  docs_dir=pages, plugins=["search", {"lakip": {"repo": str(root)}}],
                  **_office_site_names(root))
        except MkDocsException as e:
            raise LakipError(f"pratinjau situs gagal: {e}") from None


def _write(path: Path, data: bytes) -> Path:
    """Write an output file atomically, never through a symlink (store.write_file)."""
    from generator.store import UnsafePath, write_file

    try:
        write_file(path.parent, path, data)
    except UnsafePath as e:
        raise LakipError(e.pesan, exit_code=2) from None
    except OSError as e:
        raise LakipError(f"'{path}' tidak dapat ditulis: {e.strerror or e}", exit_code=2) from None
    return path


def _prepare_out(out: Path) -> None:
    """The output folder: made when absent; refused (exit 2) when it is a file, a device or a
    symlink (a repository may hold `out` as a link to a folder of the user's)."""
    from generator.store import UnsafePath, check_folder

    try:
        check_folder(out)
        out.mkdir(parents=True, exist_ok=True)
        check_folder(out)
    except UnsafePath as e:
        raise LakipError(f"folder keluaran --out tidak dapat dipakai: {e.pesan}", exit_code=2) from None
    except OSError as e:
        raise LakipError(f"folder keluaran --out '{out}' tidak dapat dibuat: {e.strerror or e}",
                         exit_code=2) from None


def _newest(repo) -> int:
    if not repo.tahun:
        raise LakipError("belum ada folder tahun di content/", exit_code=2)
    return max(t.tahun for t in repo.tahun)


def _concerns(issue: Issue, tahun: int) -> bool:
    path = issue.loc.path
    return not path.startswith(f"{CONTENT}/") or path.startswith(
        (f"{CONTENT}/{tahun}/", f"{CONTENT}/instansi.yaml", f"{CONTENT}/renstra/"))


def _document_state(root: Path, repo, tahun: int, source, commit: str | None = None
                    ) -> tuple[DocumentState, tuple[str, ...]]:
    from generator.render.document import DocumentState
    from generator.sop.progress import approval

    contoh = bool(repo.instansi and repo.instansi.contoh)
    signing = next((s.no for s in repo.sop.langkah if s.pengesahan == "tanda-tangan"), None) \
        if repo.sop else None
    final, moment, notes = approval(root, tahun, source, commit)
    return DocumentState(not final, contoh, moment, signing), notes
