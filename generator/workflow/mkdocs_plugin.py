"""The progress website through MkDocs: the `lakip` plugin regenerates the site's pages (site.py)
into the docs folder before every build, and under `mkdocs serve` also watches content/ and sop/.

`lakip build` hands the plugin its own `Snapshot` (`build_site`), so the site shows exactly what
the documents were built from, without reading git or evaluating the SOP a second time; a plain
`mkdocs build` or `mkdocs serve` gathers one itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from generator.data.errors import LakipError, Refused, UsageError
from generator.store import UnsafePath
from generator.workflow.snapshot import Snapshot, gather


class LakipConfig(base.Config):
    repo = c.Optional(c.Type(str))  # the lakip repository; default: mkdocs.yml's folder
    tahun = c.Optional(c.Type(int))  # default: the newest year folder
    dokumen = c.Type(str, default="out")  # where `lakip build` wrote the documents to offer


_PAGES: dict[str, str] = {}  # repository -> the folder lakip made for its pages (this process)


class _CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once per process: a Jinja bytecode cache kept in memory.

    MkDocs makes a new Jinja environment for every build, which compiles Material's templates
    again (about 45 of them, most of a second): each `lakip serve` rebuild, each site of a
    process that builds several. Jinja keys a template by its name and file and hands over the
    source's checksum, so a template whose source changed is compiled again; nothing is stored
    on disk."""

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.code[bucket.key] = (bucket.checksum, bucket.code)


_THEME_CODE = _CompiledTemplates()
_READY: dict[str, Callable[[str], None]] = {}  # repository -> told the address once serving


class LakipPlugin(BasePlugin[LakipConfig]):
    snapshot: Snapshot | None = None  # set by build_site for one build
    later: tuple[str, ...] = ()  # documents this build writes after the pages (build_site)

    def _root(self, config) -> Path:
        here = Path(config.config_file_path).parent
        return (here / self.config.repo).resolve() if self.config.repo else here.resolve()

    def on_config(self, config):
        """Pages are generated into a folder lakip makes, never into the repository (whose
        `.lakip/situs/` could hold symlinks a build would write through, DESIGN §2 and §5)."""
        import atexit
        import shutil
        import tempfile

        root = self._root(config)
        docs = Path(config.docs_dir).resolve()
        if docs == root or docs.is_relative_to(root):
            if str(root) not in _PAGES:
                _PAGES[str(root)] = tempfile.mkdtemp(prefix="lakip-halaman-")
                atexit.register(shutil.rmtree, _PAGES[str(root)], True)
            config.docs_dir = _PAGES[str(root)]
        # repo_url/edit_uri are for lakip's "sunting" links (office_edit_base); given to Material
        # they would add a repository widget that calls the forge's API from every browser
        config.repo_url = config.edit_uri = None
        file_search(config)
        return config

    def on_env(self, env, config, files):
        """The theme's compiled templates come from this process's earlier builds (_CompiledTemplates)."""
        env.bytecode_cache = _THEME_CODE
        return env

    @event_priority(-100)  # after the search plugin wrote search_index.json
    def on_post_build(self, config) -> None:
        """The search index also as a script, which Material's search loads when the site is
        opened as files (a page on file:// may not fetch JSON); Material's offline plugin does
        the same but adds a shim from the internet (site_templates/site/lakip-worker.js)."""
        write_search_script(Path(config.site_dir))

    def on_pre_build(self, config) -> None:
        from generator.render import site

        root = self._root(config)
        dokumen = Path(self.config.dokumen)
        snapshot, self.snapshot = self.snapshot, None  # a served site regathers on every change
        try:
            if snapshot is None:
                # Minutes, not seconds: pages that show elapsed time change at most once a minute,
                # so the files written here do not keep re-triggering `mkdocs serve`.
                now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
                snapshot = gather(root, self.config.tahun, now=now)
            data = site_data(snapshot, dokumen if dokumen.is_absolute() else root / dokumen, self.later)
            self.later = ()
            site.write(data, Path(config.docs_dir))
        except LakipError as e:
            raise PluginError(f"lakip: {e.pesan}") from None

    def on_serve(self, server, config, builder):
        """After the first build: guard the Host header, watch the repository's folders, and tell
        `lakip serve` the address (its `ready` callback) once the socket listens."""
        host, port = server.server_address[:2]
        server.set_app(host_guard(server.get_app(), host, port))
        root = self._root(config)
        for folder in ("content", "sop", "site_templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        ready = _READY.pop(str(root), None)
        if ready is not None:
            # MkDocs binds and listens only after on_serve (LiveReloadServer.serve): say the
            # address once the socket listens, so whoever reads it can connect at once.
            activate = server.server_activate

            def activated() -> None:
                activate()
                ready(f"http://{f'[{host}]' if ':' in host else host}:{port}/")

            server.server_activate = activated
        return server


def file_search(config) -> None:
    """Let Material's search work from a file share (file://): the worker shim
    (render/site.py WORKER, which the pages must hold as `assets/lakip-worker.js`) is loaded
    before Material's bundle. Used by the office site's plugin and the city portal."""
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [*polyfills, "assets/lakip-worker.js"]


def write_search_script(site: Path) -> None:
    """Write `search/search_index.js` (the index as a script) beside the search plugin's
    `search_index.json` in the built `site`; nothing when there is no search index."""
    from generator.store import read_file, write_file

    try:
        index = read_file(site, site / "search" / "search_index.json")
    except (FileNotFoundError, UnsafePath):
        return  # no search plugin
    write_file(site, site / "search" / "search_index.js", b"var __index = " + index)


def host_guard(app, host: str, port: int):
    """The WSGI `app` answering only requests whose Host header names this server (DNS
    rebinding: a web page elsewhere must not read the preview through a name that it controls).
    Other hosts get 403 with an Indonesian text."""
    names = {host, "localhost", "127.0.0.1", "[::1]", f"[{host}]"}
    allowed = {f"{n}:{port}" for n in names} | (names if port == 80 else set())

    def guarded(environ, start_response):
        if environ.get("HTTP_HOST", "").lower() not in allowed:
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"Ditolak: pratinjau lakip hanya melayani http://{host}:{port}/\n".encode()]
        return app(environ, start_response)

    return guarded


def check_address(address: str) -> tuple[str, int]:
    """`HOST:PORT` of `lakip serve --alamat`, checked: a port 1-65535 and a host that this
    machine can listen on. Raises UsageError with what was found."""
    import socket

    host, sep, port_text = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise UsageError(f"alamat '{address}' tidak sah: tulis HOST:PORT dengan PORT 1-65535, "
                         "misalnya 127.0.0.1:8000")
    port = int(port_text)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, UnicodeError) as e:
        raise UsageError(f"alamat '{address}' tidak dapat dipakai di mesin ini: "
                         f"{getattr(e, 'strerror', None) or e}") from None
    return host, port


def site_data(snapshot: Snapshot, dokumen: Path | None = None, later: tuple[str, ...] = ()):
    """The website's data (`site.SiteData`) from the snapshot: its repository, issues and year,
    the figures of every year, the SOP's progress and approval (when the folder is a git
    repository), the recent changes and tags, and the built documents found in `dokumen`, with
    the names in `later` (documents this build writes after the pages: `finish_site`)."""
    from generator.git import Git, changes, tags
    from generator.render.site import SiteData

    repo = snapshot.repo
    data = SiteData(snapshot.root, repo, list(snapshot.issues), snapshot.tahun, now=snapshot.now)
    data.figures, data.figure_errors = snapshot.all_figures()
    if snapshot.is_git and repo.sop and repo.personil is not None:
        try:
            data.progress = snapshot.progress
            data.final = not snapshot.state.draf
            data.notes += snapshot.state.alasan
        except LakipError as e:
            data.notes.append(f"kemajuan SOP tidak dapat dibaca: {e.pesan}")
        git = Git(snapshot.root)
        data.changes = changes(git, ("content",), limit=40)
        from generator.sop.arsip import trusted_tags
        from generator.workflow.archive import stored_archives

        data.tags = [tag for tag, _ in trusted_tags(snapshot.root, git, tags(git))]
        data.arsip = stored_archives(snapshot.root)
    else:
        data.notes.append("folder ini bukan repositori git: kemajuan SOP dan riwayat tidak tersedia")
    data.edit_base = office_edit_base(snapshot.root, repo.instansi)
    if _collecting(data):
        data.forms = _forms(snapshot)
    if dokumen and _real_dir(dokumen):
        data.documents = {p.name: p for p in _real_files(dokumen)
                          if p.name.startswith(("lakip-", "surat-pengantar-"))}
        data.documents.update({name: None for name in later})
        data.documents = dict(sorted(data.documents.items()))
        signed = data.documents.get(f"lakip-{snapshot.tahun}-tte.pdf")
        if signed is not None and data.final:
            from generator.workflow.tte import status_situs

            data.tte = status_situs(snapshot, signed, data.documents.get(f"lakip-{snapshot.tahun}.pdf"))
    return data


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _real_files(folder: Path) -> list[Path]:
    """Regular files of `folder`, never a symlink (a link to /proc/self/environ is not a document)."""
    return [p for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()]


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
    plugin: dict = {"repo": str(root)}
    if tahun:
        plugin["tahun"] = tahun
    if dokumen is not None:
        plugin["dokumen"] = str(dokumen)
    names = _office_site_names(root)
    return load_config(config_file=str(PROJECT / "mkdocs.yml"), plugins=["search", {"lakip": plugin}],
                       **names, **overrides)


def _office_mkdocs(root: Path) -> dict:
    """The office's mkdocs.yml as a mapping ({} when absent or unreadable), read as data: never
    through a symlink, at most 200 kB, YAML's safe loader."""
    import yaml

    from generator.data.source import FsSource

    source = FsSource(root)
    if not source.is_file("mkdocs.yml"):
        return {}
    try:
        value = yaml.safe_load(source.read("mkdocs.yml")[:200_000])
    except (yaml.YAMLError, OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _office_site_names(root: Path) -> dict[str, str]:
    """`site_name`, `site_description` and `copyright` from the office's mkdocs.yml when they are
    text, HTML-escaped (`theme_text`); nothing else of that file is used."""
    value = _office_mkdocs(root)
    return {k: theme_text(value[k]) for k in ("site_name", "site_description", "copyright")
            if isinstance(value.get(k), str) and value[k].strip() and len(value[k]) < 500}


def theme_text(text: str) -> str:
    """A value from repository data made safe for MkDocs' theme templates, which insert config
    values (site name, copyright, nav titles) without escaping, inside elements and attributes
    alike: the text HTML-escaped, quotes included, so it shows as written and never as markup."""
    import html

    return html.escape(text, quote=True)


def office_edit_base(root: Path, instansi=None) -> str | None:
    """Where the forge's web editor of a repository file begins, from the office's mkdocs.yml
    (else `repositori` of instansi.yaml, the `m.Instansi` given): `repo_url` (http or https)
    joined with `edit_uri` (relative to it, or a whole URL), which for lakip points at the
    repository root on the main branch, e.g. `edit/main/` (GitHub), `-/edit/main/` (GitLab),
    `_edit/main/` (Forgejo, Gitea). The site appends a file's path. None without both, or when
    either is not a plain web address (docs/architecture.md)."""
    from urllib.parse import urljoin

    value = _office_mkdocs(root)
    repo_url, edit_uri = value.get("repo_url"), value.get("edit_uri")
    if repo_url is None and edit_uri is None and instansi is not None:
        repo_url, edit_uri = instansi.repo_url, instansi.edit_uri
    if not (_web_address(repo_url) and isinstance(edit_uri, str) and edit_uri.strip()):
        return None
    base = urljoin(repo_url.rstrip("/") + "/", edit_uri.strip())
    if not _web_address(base):
        return None
    return base if base.endswith("/") else base + "/"


def _web_address(text: object) -> bool:
    """An http(s) URL with a host and nothing that could break out of an attribute or a line."""
    from urllib.parse import urlsplit

    if not isinstance(text, str) or len(text) > 500 or any(
            c.isspace() or ord(c) < 32 or c in "\"'<>`" for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _collecting(data) -> bool:
    """Whether the year's bidang data is still being collected: the SOP step whose syarat is
    complete bidang data (step 4, kelengkapan "Format Data") is not done yet. Only then does
    the site offer the Excel forms (docs/architecture.md); a folder without SOP progress (not a
    git repository, the project's sample) gets none."""
    from generator.render.site import DATA_STEP

    status = data.progress.status if data.progress else None
    if status is None:
        return False
    return any(DATA_STEP in s.langkah.syarat and s.status != "selesai" for s in status.langkah)


def _forms(snapshot: Snapshot) -> dict[str, bytes]:
    """bidang id -> its step-4 Excel form (`lakip format-data`), for every bidang whose form can
    be made (a bidang file that cannot be read gets none: Data Bidang shows its errors). A form
    whose inputs did not change since a build stored it is reused (reuse.form_key): writing a
    workbook with openpyxl is most of the pages' work on a large office."""
    from generator.store import blobs
    from generator.workflow.excel import form_bytes
    from generator.workflow.reuse import form_key

    forms: dict[str, bytes] = {}
    instansi = snapshot.repo.instansi
    if instansi is None or snapshot.repo.find_tahun(snapshot.tahun) is None:
        return forms
    stored = blobs()
    for bidang in instansi.bidang:
        key = form_key(snapshot, bidang.id)
        data = stored.get(key) if key else None
        if data is None:
            try:
                data = form_bytes(snapshot, bidang.id)
            except LakipError:
                continue
            if key:
                stored.put(key, data)
        forms[bidang.id] = data
    return forms


def build_site(snapshot: Snapshot, site_dir: Path, dokumen: Path | None = None,
               later: tuple[str, ...] = (), swap: bool = True) -> Path:
    """Build the website of `snapshot` into a new folder beside `site_dir`, which then replaces it
    (the plugin writes the pages from the snapshot into a folder lakip makes, MkDocs the rest):
    nothing is written through a symlink, and a failed build leaves the previous site as it was.
    `dokumen` is where the built documents to offer are; the names in `later` are offered too,
    their files copied in by `finish_site` (a parallel build writes them meanwhile), and with
    `swap=False` the new folder is returned for it, not yet in place. Raises UsageError for an
    unusable folder, Refused when MkDocs fails."""
    import shutil
    import tempfile

    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator.store import UnsafePath, check_replaceable, swap_in
    from generator.workflow.outputs import prepare_out

    prepare_out(site_dir.parent)
    try:
        check_replaceable(site_dir, "situs")
    except UnsafePath as e:
        raise UsageError(e.pesan) from None
    fresh = Path(tempfile.mkdtemp(prefix=".situs-", dir=site_dir.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="lakip-halaman-") as pages:
            config = _mkdocs_config(snapshot.root, snapshot.tahun, dokumen, docs_dir=pages,
                                    site_dir=str(fresh))
            plugin = config.plugins.get("lakip")
            if plugin is not None:
                plugin.snapshot, plugin.later = snapshot, later
            build(config)
        if not swap:
            built, fresh = fresh, None
            return built
        swap_in(fresh, site_dir, "Situs")
    except MkDocsException as e:
        raise Refused(f"situs gagal dibangun: {e}") from None
    finally:
        if fresh is not None and fresh.exists():
            shutil.rmtree(fresh)
    return site_dir


def finish_site(built: Path, site_dir: Path, dokumen: Path, later: tuple[str, ...]) -> Path:
    """Complete a website built with `later` documents (`build_site(..., swap=False)`): their
    bytes, now written in `dokumen`, go to `unduh/` (where MkDocs put a placeholder of each), then
    the folder replaces `site_dir`. The same files as a site built after the documents."""
    import shutil

    from generator.store import UnsafePath, read_file, swap_in, write_file

    try:
        for name in later:
            write_file(built, built / "unduh" / name, read_file(dokumen, dokumen / name))
        swap_in(built, site_dir, "Situs")
    except (UnsafePath, OSError) as e:
        shutil.rmtree(built, ignore_errors=True)
        reason = getattr(e, "pesan", None) or getattr(e, "strerror", None) or e
        raise UsageError(f"situs tidak dapat dilengkapi dengan dokumen: {reason}") from None
    return site_dir


def serve_site(root: Path, address: str, ready: Callable[[str], None] | None = None) -> None:
    """`lakip serve`: MkDocs' live-reloading server on lakip's own configuration; the plugin
    gathers a new snapshot on every change. `ready(url)` is called once, after the first build,
    when the server listens on `url` (http://HOST:PORT/)."""
    import tempfile

    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    from generator.workflow.scaffold import PROJECT

    _mkdocs_config(root, None, None)  # same logging and banner settings as a build
    if ready is not None:
        _READY[str(root.resolve())] = ready
    with tempfile.TemporaryDirectory(prefix="lakip-halaman-") as pages:
        try:
            serve(config_file=str(PROJECT / "mkdocs.yml"), livereload=True, dev_addr=address,
                  docs_dir=pages, plugins=["search", {"lakip": {"repo": str(root)}}],
                  **_office_site_names(root))
        except MkDocsException as e:
            raise Refused(f"pratinjau situs gagal: {e}") from None
