"""`lakip portal`: the city's view over every office's repository (issue 17).

Each office's export (ekspor.py) is made in a pool of `--jobs` worker processes, or read from a
folder of exports that CI runners made (`--ekspor DIR`, one `<id>.json` per office); an office whose
repository cannot be read, or whose export is missing or malformed, becomes a row with the reason
and the rest still builds. The pages (render/portal.py) are then built by MkDocs with the same
offline mkdocs-material setup as the office's site (lakip's own configuration, never a file from
an office).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from generator.data.daftar import Daftar, Kantor, is_url
from generator.data.errors import LakipError, Refused, UsageError, os_reason
from generator.render.portal import Hasil, Portal, aggregate, rollup

MAX_EKSPOR = 20_000_000  # bytes; an office's export is tens of kilobytes
# Transports a portal may clone an office's repository over; git's own `protocol.allow=never`
# (runner.py) stays for everything else.
_CLONE_PROTOCOLS = ("https", "ssh", "file")


def write_json(out: Path, text: str) -> Path:
    """Write an export file (atomically, never through a symlink), making its folder."""
    from generator.store import UnsafePath, write_file

    out = out if out.is_absolute() else Path.cwd() / out
    try:
        write_file(out.parent, out, text)
    except UnsafePath as e:
        raise UsageError(e.pesan) from None
    except OSError as e:
        raise UsageError(f"'{out}' tidak dapat ditulis: {os_reason(e)}") from None
    return out


def _clone(url: str, into: Path) -> Path:
    """A bare, full-history clone of `url` in `into` (the export needs the whole history)."""
    from generator.git import Git

    target = into / "repo.git"
    allow = [arg for p in _CLONE_PROTOCOLS for arg in ("-c", f"protocol.{p}.allow=always")]
    Git(into).run(*allow, "clone", "--quiet", "--bare", "--", url, str(target))
    return target


def export_one(kantor: Kantor, base: Path, tahun: int | None) -> Hasil:
    """The export of one office, or the reason there is none. Never raises: one broken office
    must not stop the city's portal. Callers that export many offices wrap them in
    `store.deferred()` (see `_export_batch`)."""
    from generator.workflow.ekspor import export

    try:
        with tempfile.TemporaryDirectory(prefix="lakip-portal-") as tmp:
            if is_url(kantor.repo):
                root = _clone(kantor.repo, Path(tmp))
            else:
                root = Path(kantor.repo)
                root = root if root.is_absolute() else base / root
                if not root.is_dir():
                    return Hasil(kantor, None, f"folder repositori '{kantor.repo}' tidak ada")
            return Hasil(kantor, export(root, tahun, kantor.cabang, kantor.akar))
    except LakipError as e:
        return Hasil(kantor, None, e.pesan)
    except Exception as e:  # a bug of ours shows on the office's row, the city still gets its page
        return Hasil(kantor, None, f"galat internal lakip ({type(e).__name__}: {e})")


def _export_batch(batch: list[tuple[Kantor, Path, int | None]]) -> list[Hasil]:
    """The exports of a batch of offices in one worker. The caches are written once per batch
    (store.deferred), not per office: a cache file is rewritten whole on each save and grows with
    the offices exported, so saving after each office cost more than the git work of an export
    (measured: 40 offices, ~0.15 s of JSON encoding per office)."""
    from generator.store import deferred

    with deferred():
        return [export_one(*item) for item in batch]


def _batches(work: list, jobs: int) -> list[list]:
    """`work` cut into about four batches per worker, in order: few cache saves, and a worker
    that finishes early still finds work."""
    size = max(1, -(-len(work) // (4 * jobs)))
    return [work[i:i + size] for i in range(0, len(work), size)]


def read_export(kantor: Kantor, folder: Path, tahun: int | None) -> Hasil:
    """`<folder>/<id>.json` as CI wrote it, checked against the export schema; a missing or
    malformed file is the office's reason (with the last `lakip: galat:` line of `<id>.log`,
    where CI keeps the failed command's messages)."""
    from generator.store import UnsafePath, read_file
    from generator.workflow.ekspor import schema_errors

    path = folder / f"{kantor.id}.json"
    try:
        data = read_file(folder, path)
    except FileNotFoundError:
        return Hasil(kantor, None, f"ekspor {path.name} tidak ada di {folder}" + _log_reason(folder, kantor))
    except UnsafePath as e:
        return Hasil(kantor, None, f"ekspor {path.name} tidak dapat dibaca: {e.pesan}")
    except OSError as e:
        return Hasil(kantor, None, f"ekspor {path.name} tidak dapat dibaca: {os_reason(e)}")
    if len(data) > MAX_EKSPOR:
        return Hasil(kantor, None, f"ekspor {path.name} lebih dari {MAX_EKSPOR // 1_000_000} MB")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return Hasil(kantor, None, f"ekspor {path.name} bukan teks UTF-8")
    except json.JSONDecodeError as e:
        return Hasil(kantor, None,
                     f"ekspor {path.name} bukan JSON yang sah (baris {e.lineno}, kolom {e.colno})")
    except (ValueError, RecursionError):
        return Hasil(kantor, None, f"ekspor {path.name} bukan JSON yang sah (terlalu dalam bersarang "
                                   "atau angka terlalu panjang)")
    problems = schema_errors(value)
    if problems:
        more = f" (dan {len(problems) - 3} lagi)" if len(problems) > 3 else ""
        return Hasil(kantor, None, f"ekspor {path.name} tidak sesuai skema: {'; '.join(problems[:3])}{more}")
    if tahun is not None and value["tahun"] != tahun:
        return Hasil(kantor, None, f"ekspor {path.name} untuk tahun {value['tahun']}, portal tahun {tahun}")
    return Hasil(kantor, value)


def _log_reason(folder: Path, kantor: Kantor) -> str:
    from generator.store import UnsafePath, read_file

    try:
        text = read_file(folder, folder / f"{kantor.id}.log")[-20_000:].decode("utf-8", "replace")
    except (OSError, UnsafePath):
        return ""
    lines = [ln.removeprefix("lakip: galat: ") for ln in text.splitlines() if ln.startswith("lakip: galat:")]
    lines = lines or [ln.strip() for ln in text.splitlines() if ln.strip()]  # git's own, e.g. a clone
    return f" (log CI: {lines[-1]})" if lines else ""


def collect(daftar: Daftar, jobs: int = 1, ekspor_dir: Path | None = None,
            report: Callable[[str], None] = lambda _: None) -> list[Hasil]:
    """Every office's export, in portal.yaml's order: read from `ekspor_dir`, else made here in
    `jobs` worker processes (1: in this process)."""
    if ekspor_dir is not None:
        if not ekspor_dir.is_dir():
            raise UsageError(f"folder ekspor '{ekspor_dir}' tidak ada")
        return [read_export(k, ekspor_dir, daftar.tahun) for k in daftar.kantor]
    work = [(k, daftar.base, daftar.tahun) for k in daftar.kantor]
    found: list[Hasil] = []
    if jobs == 1 or len(work) == 1:
        for batch in _batches(work, 1):
            for item, hasil in zip(batch, _export_batch(batch), strict=True):
                found.append(hasil)
                report(f"{item[0].id}: {'ekspor dibuat' if hasil.ekspor else hasil.alasan}")
        return found
    # Import what every export needs before the workers fork: each inherits it instead of
    # importing it again (about a second per process on a loaded machine).
    import generator.figures.capaian
    import generator.sop.arsip
    import generator.workflow.ekspor
    import generator.workflow.snapshot  # noqa: F401

    batches = _batches(work, jobs)
    with ProcessPoolExecutor(max_workers=min(jobs, len(batches))) as pool:
        for batch, done in zip(batches, pool.map(_export_batch, batches), strict=True):
            for item, hasil in zip(batch, done, strict=True):
                found.append(hasil)
                report(f"{item[0].id}: {'ekspor dibuat' if hasil.ekspor else hasil.alasan}")
    return found


def save_exports(hasil: list[Hasil], folder: Path) -> None:
    """Write each readable office's export as `<folder>/<id>.json` (the `--ekspor` layout)."""
    from generator.workflow.ekspor import dumps

    for h in hasil:
        if h.ekspor is not None:
            write_json(folder / f"{h.kantor.id}.json", dumps(h.ekspor))


def portal_data(daftar: Daftar, hasil: list[Hasil], now: dt.datetime | None = None) -> Portal:
    """The portal's rows and roll-up at `now` (default: the clock)."""
    now = now or dt.datetime.now(dt.UTC)
    return Portal(daftar, hasil, now, aggregate(hasil, now), rollup(daftar.iku_kota, hasil))


def build_portal(daftar: Daftar, hasil: list[Hasil], out: Path, now: dt.datetime | None = None) -> Path:
    """Build the portal site into `out` (made, or replaced when it holds a previous portal):
    pages into a folder lakip makes, MkDocs into a fresh folder beside `out`, then swapped in, so a
    failed build leaves the previous portal as it was. Raises UsageError for an unusable `out`,
    Refused when MkDocs fails."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator.render.portal import write_pages
    from generator.store import UnsafePath, check_replaceable, swap_in
    from generator.workflow.mkdocs_plugin import write_search_script
    from generator.workflow.outputs import prepare_out

    out = out if out.is_absolute() else Path.cwd() / out
    prepare_out(out.parent)
    try:
        check_replaceable(out, "portal")
    except UnsafePath as e:
        raise UsageError(e.pesan) from None
    data = portal_data(daftar, hasil, now)
    fresh = Path(tempfile.mkdtemp(prefix=".portal-", dir=out.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="lakip-portal-halaman-") as pages:
            written = write_pages(data, Path(pages))
            build(_config(daftar, data, written, Path(pages), fresh))
        write_search_script(fresh)
        swap_in(fresh, out, "Portal")
    except MkDocsException as e:
        raise Refused(f"portal gagal dibangun: {e}") from None
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)
    return out


def _config(daftar: Daftar, data: Portal, written: list[str], docs: Path, site: Path):
    """lakip's own MkDocs configuration for the portal (the office site's theme settings:
    material, `language: id`, no Google Fonts, no generator link), with the offices as a nav
    section."""
    import logging
    import os

    from mkdocs.config import load_config

    from generator.render.templates import DEFAULTS
    from generator.workflow.mkdocs_plugin import file_search, theme_text

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    nav: list = [{"Beranda": "index.md"}]
    if "iku-kota.md" in written:
        nav.append({"IKU Kota": "iku-kota.md"})
    nav.append({"Kantor": [{theme_text(h.kantor.nama): f"kantor/{h.kantor.id}.md"} for h in data.hasil]})
    config = load_config(config_file=str(DEFAULTS / "portal" / "mkdocs.yml"), docs_dir=str(docs),
                         site_dir=str(site), site_name=theme_text(daftar.judul), nav=nav)
    file_search(config)
    return config
