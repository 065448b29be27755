"""Content-addressed outputs (issue 18): each document output is keyed by everything it is made
from, and an unchanged key reuses the bytes stored by the render that made them
(`store.blobs()`, in the user's cache folder), so a build with no change renders nothing.

The key of an output (`output_key`) is a digest of
- its name (`pdf`, `docx`, `surat-pdf`, ...) and the year;
- the snapshot's inputs (`inputs_digest`): path and bytes of every file under `content/`, `sop/`
  and `site_templates/` of the source the snapshot was read from (working tree or commit), and of
  the lambang wherever it lies; the review notes (`content/<tahun>/reviu/`), which no document
  shows, are left out, so a new note rebuilds only the website;
- the document state (DRAF/FINAL, CONTOH, date, reasons: from git, `Snapshot.state`);
- lakip itself (`code_digest`: the bytes of every file of the `generator` package and of the
  default templates, so an edited checkout never reuses what older code made), the versions of
  the libraries that render (`library_versions`) and the installed fonts (`fonts_digest`:
  path, size and modification time of every font and fontconfig file).

A stored output is only ever served for exactly its key, and only when its signature (the cache
folder's HMAC key) verifies; anything else renders afresh. Builds from a commit (`--ref`, the
archive and its verification) always render: they make or check a manifest.

The website (a folder of many files, most of them MkDocs' theme) is not stored: a build keeps the
SHA-256 of every file of the site it made under the site's key (`site_key`, the `situs` cache),
and the next build leaves `OUT/site` as it is when its key is unchanged and its files are still
exactly those. When the site is built again, the step-4 Excel forms it offers are stored outputs
too (`form_key`): a workbook is written again only when the year's inputs or the form's date
changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.store import blobs, digest, store, walk_files

if TYPE_CHECKING:
    from generator.data.source import Source
    from generator.workflow.outputs import Job
    from generator.workflow.snapshot import Snapshot

INPUT_FOLDERS = ("content", "sop", "site_templates")

# The libraries whose output ends up in the bytes of a document.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pyphen", "python-docx",
             "lxml", "cairosvg", "pillow", "jinja2", "markupsafe", "babel", "markdown", "nh3")

_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "~/.fonts",
                 "~/.local/share/fonts", "~/.config/fontconfig")


@cache
def code_digest() -> str:
    """The bytes of lakip's own files: the `generator` package (code, schemas) and the default
    templates. Caches (`__pycache__`) are left out."""
    from generator.render.templates import DEFAULTS

    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for base in (package, DEFAULTS):
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = Path(folder, name)
                if name.endswith((".pyc", ".pyo")) or not path.is_file():
                    continue
                h.update(digest(str(path.relative_to(base)), path.read_bytes()).encode())
    return h.hexdigest()


@cache
def library_versions() -> str:
    """`name=version` of each library in LIBRARIES, one a line (`-` when not installed)."""
    return _versions(LIBRARIES)


@cache
def fonts_digest() -> str:
    """Path, size and modification time of every file under the font and fontconfig folders:
    a font installed, removed or updated changes the key of every PDF and DOCX."""
    h = hashlib.sha256()
    folders = [*_FONT_FOLDERS]
    if os.environ.get("XDG_DATA_HOME"):
        folders.append(os.path.join(os.environ["XDG_DATA_HOME"], "fonts"))
    for top in folders:
        top = os.path.expanduser(top)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                line = f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n"
                h.update(line.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _walk(source: Source, rel: str) -> list[str]:
    files = []
    for name, is_dir in source.entries(rel):
        path = f"{rel}/{name}" if rel else name
        if is_dir:
            files += _walk(source, path)
        else:
            files.append(path)
    return files


def _shown_in_documents(rel: str) -> bool:
    parts = rel.split("/")
    return not (len(parts) > 3 and parts[0] == "content" and parts[2] == "reviu")


def inputs_digest(snapshot: Snapshot) -> str:
    """Path and bytes of every input file of the documents (module docstring), from the
    snapshot's source. Files that cannot be read count by their path and the error."""
    source = snapshot.source
    files = [f for top in INPUT_FOLDERS for f in _walk(source, top) if _shown_in_documents(f)]
    instansi = snapshot.repo.instansi
    if instansi is not None and instansi.logo and instansi.logo not in files:
        files.append(instansi.logo)
    blob_ids = getattr(source, "blobs", None)  # a git tree names each file by its content already
    h = hashlib.sha256()
    for rel in files:
        if isinstance(blob_ids, dict) and rel in blob_ids:
            part = "git:" + blob_ids[rel]
        else:
            try:
                part = hashlib.sha256(source.read(rel)).hexdigest()
            except OSError as e:
                part = f"galat:{type(e).__name__}"
        h.update(digest(rel, part).encode())
    return h.hexdigest()


def _stored(job: Job) -> bool:
    """Whether this build may use stored outputs: not with `LAKIP_TANPA_CACHE=1`, and not when
    the snapshot is read from a commit (`build --ref`, `archive`, `verify --arsip`): those builds
    are what a manifest is made from or checked against, and a stored output must not decide
    that answer (DESIGN §5: never trust a cache to decide an answer)."""
    return not os.environ.get("LAKIP_TANPA_CACHE") and job.snapshot.commit is None


def output_key(job: Job, name: str) -> str:
    """The key of output `name` of this build (module docstring)."""
    snap = job.snapshot
    return digest("lakip-keluaran", name, str(snap.tahun), repr(snap.state), snap.inputs,
                  code_digest(), library_versions(), fonts_digest(), system_digest())


@cache
def system_digest() -> str:
    """What of the machine renders besides Python packages and font files: the Python version,
    the C libraries WeasyPrint loads (pango, harfbuzz, harfbuzz-subset, cairo: their file names,
    which carry the soname version) and fontconfig's environment (FONTCONFIG_FILE, _PATH,
    _SYSROOT and the file named). A change renders again; the archive manifest records the same
    environment (render.document.environment)."""
    import ctypes.util
    import platform

    parts = [platform.python_version()]
    for library in ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "cairo", "fontconfig"):
        parts.append(f"{library}={ctypes.util.find_library(library)}")
    for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"):
        value = os.environ.get(name, "")
        parts.append(f"{name}={value}")
        if value and os.path.isfile(value):
            with open(value, "rb") as f:
                parts.append(hashlib.sha256(f.read()).hexdigest())
    return digest(*parts)


def reuse(job: Job, name: str, render: Callable[[], bytes]) -> bytes:
    """The bytes of output `name`: stored ones when its key is unchanged, else `render()`'s,
    which are then stored. Reused outputs are listed in `job.reused`."""
    if not _stored(job):
        return render()
    key = output_key(job, name)
    stored = blobs().get(key)
    if stored is not None:
        job.reused.append(name)
        return stored
    data = render()
    blobs().put(key, data)
    return data


def stored(job: Job, name: str) -> bool:
    """Whether a build would serve output `name` from the store (`reuse` would not render it)."""
    return _stored(job) and blobs().get(output_key(job, name)) is not None


def form_key(snapshot: Snapshot, bidang: str) -> str | None:
    """The key of the step-4 Excel form of `bidang` that the website offers: the year's inputs
    (`Snapshot.inputs`, the `inputs_digest` that covers the bidang file, the Renstra, the PK,
    the roster and the SOP the form shows), the form's date, lakip itself and openpyxl. None when
    no stored form may be used: `LAKIP_TANPA_CACHE=1`, or a snapshot read from a commit."""
    from generator.workflow.excel import form_date

    if os.environ.get("LAKIP_TANPA_CACHE") or snapshot.commit is not None:
        return None
    return digest("lakip-formulir", bidang, str(snapshot.tahun), snapshot.inputs,
                  form_date(snapshot).isoformat(), code_digest(), _versions(("openpyxl",)))


def reuse_pages(job: Job, compute: Callable[[], dict[str, int]]) -> dict[str, int]:
    """The PDF's page of every anchor (for the DOCX's table of contents), kept beside the PDF
    under the PDF's key, so a DOCX built while the PDF is reused needs no PDF layout."""
    if not _stored(job):
        return compute()
    cache_ = store("halaman")
    key = output_key(job, "pdf-halaman")
    found = cache_.get(key)
    if isinstance(found, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in found.items()):
        return found
    pages = compute()
    cache_.put(key, pages)
    cache_.save()
    return pages


# ---------------------------------------------------------------- the website

SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "pygments", "markdown",
                  "jinja2", "babel")


def site_key(job: Job) -> str:
    """The key of the website this build would make: every input file (review notes included)
    and the office's mkdocs.yml, HEAD and the tags (history, Riwayat and Arsip pages), the SOP's
    progress as evaluated at this build's moment (its `repr`: a running step's elapsed working
    time changes it), today's date in the SOP's time zone (the pages say what is due today), the
    bytes of the documents offered in the output folder, lakip and the libraries that build it."""
    from zoneinfo import ZoneInfo

    from generator.data.errors import LakipError

    snap = job.snapshot
    h = hashlib.sha256()
    for rel in [f for top in INPUT_FOLDERS for f in _walk(snap.source, top)]:
        try:
            part = hashlib.sha256(snap.source.read(rel)).hexdigest()
        except OSError as e:
            part = f"galat:{type(e).__name__}"
        h.update(digest(rel, part).encode())
    office = snap.root / "mkdocs.yml"
    h.update(digest("mkdocs.yml", hashlib.sha256(office.read_bytes()).hexdigest()
                    if office.is_file() and not office.is_symlink() else "-").encode())
    state = "-"
    if snap.is_git:
        from generator.git import Git

        git = Git(snap.root)
        refs = git.text("for-each-ref", "--format=%(refname) %(objectname)", "refs/tags", check=False)
        try:
            state = repr((snap.progress.status if snap.progress else None, snap.state))
        except LakipError as e:
            state = f"galat:{e.pesan}"
        state += f"\n{git.head()}\n{refs}"
    try:
        zone = ZoneInfo(snap.repo.sop.zona_waktu) if snap.repo.sop else dt.UTC
    except Exception:  # an unknown zone: the site reports it; the UTC date keys it
        zone = dt.UTC
    offered = hashlib.sha256()
    out = job.out
    if out.is_dir() and not out.is_symlink():
        files = [p.name for p in out.iterdir() if p.name.startswith(("lakip-", "surat-pengantar-"))
                 and p.is_file() and not p.is_symlink()]
        arsip = out / "arsip"
        if arsip.is_dir() and not arsip.is_symlink():
            files += [f"arsip/{rel}" for rel in walk_files(arsip)]
        for rel in sorted(files):
            offered.update(digest(rel, hashlib.sha256((out / rel).read_bytes()).hexdigest()).encode())
    return digest("lakip-situs", str(snap.tahun), h.hexdigest(), state,
                  snap.now.astimezone(zone).date().isoformat(), offered.hexdigest(), code_digest(),
                  library_versions(), _versions(SITE_LIBRARIES))


@cache
def _versions(names: tuple[str, ...]) -> str:
    """`name=version` of each of `names`, one a line (`-` when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return "\n".join(found)


def _site_files(site: Path) -> dict[str, str] | None:
    """rel -> SHA-256 of every regular file of the built site; None when it is not a real
    folder (absent, a symlink)."""
    if not site.is_dir() or site.is_symlink():
        return None
    return {rel: hashlib.sha256((site / rel).read_bytes()).hexdigest() for rel in walk_files(site)}


def site_unchanged(job: Job, key: str, site: Path) -> bool:
    """True when the website in `site` is exactly the one a build with `key` made: the same
    files with the same bytes as recorded then (a site edited, completed or emptied since is
    built again)."""
    if not _stored(job):
        return False
    recorded = store("situs").get(key)
    if not isinstance(recorded, dict):
        return False
    return _site_files(site) == recorded


def remember_site(job: Job, key: str, site: Path) -> None:
    """Record the files of the website just built under `key`."""
    if not _stored(job):
        return
    files = _site_files(site)
    if files is not None:
        cache_ = store("situs")
        cache_.put(key, files)
        cache_.save()
