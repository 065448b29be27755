"""The `lakip` MkDocs plugin: before every build it regenerates the site's pages (site.py) into
the docs folder, and under `mkdocs serve` it also watches content/ and sop/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator.data.errors import LakipError


class LakipConfig(base.Config):
    repo = c.Optional(c.Type(str))  # the lakip repository; default: mkdocs.yml's folder
    tahun = c.Optional(c.Type(int))  # default: the newest year folder
    dokumen = c.Type(str, default="out")  # where `lakip build` wrote the documents to offer


_PAGES: dict[str, str] = {}  # repository -> the folder lakip made for its pages (this process)


class LakipPlugin(BasePlugin[LakipConfig]):
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
        return config

    def on_pre_build(self, config) -> None:
        from generator.render import site

        root = self._root(config)
        dokumen = Path(self.config.dokumen)
        # Minutes, not seconds: pages that show elapsed time change at most once a minute, so the
        # files written here do not keep re-triggering `mkdocs serve`.
        now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        try:
            data = site.gather(root, self.config.tahun, dokumen if dokumen.is_absolute() else root / dokumen,
                               now=now)
            site.write(data, Path(config.docs_dir))
        except LakipError as e:
            raise PluginError(f"lakip: {e.pesan}") from None

    def on_serve(self, server, config, builder):
        host, port = server.server_address[:2]
        server.set_app(host_guard(server.get_app(), host, port))
        root = self._root(config)
        for folder in ("content", "sop", "site_templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server


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
    machine can listen on. Raises LakipError (exit 2) with what was found."""
    import socket

    host, sep, port_text = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise LakipError(f"alamat '{address}' tidak sah: tulis HOST:PORT dengan PORT 1-65535, "
                         "misalnya 127.0.0.1:8000", exit_code=2)
    port = int(port_text)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, UnicodeError) as e:
        raise LakipError(f"alamat '{address}' tidak dapat dipakai di mesin ini: "
                         f"{getattr(e, 'strerror', None) or e}", exit_code=2) from None
    return host, port
