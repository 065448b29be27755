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
        root = self._root(config)
        for folder in ("content", "sop", "site_templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server
