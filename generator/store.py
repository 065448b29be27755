"""Parsed and checked documents, kept between runs under .git/lakip/ and keyed by the file's
bytes: a repository of a large office holds hundreds of YAML files that rarely change, and
parsing plus schema checks cost more than everything else a command does with them."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from generator import __version__

_LIMIT = 5000  # entries kept; the oldest go first


class DocCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, Any] = {}
        self.changed = False
        if path is not None:
            try:
                self.entries = pickle.loads(path.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
                self.entries = {}

    @staticmethod
    def key(kind: str, rel: str, data: bytes) -> str:
        return f"{__version__}|{kind}|{rel}|{hashlib.sha1(data).hexdigest()}"

    def get(self, key: str) -> Any | None:
        value = self.entries.pop(key, None)
        if value is not None:
            self.entries[key] = value  # most recently used last
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        while len(self.entries) > _LIMIT:
            self.entries.pop(next(iter(self.entries)))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.path)
        self.changed = False


_OPEN: dict[Path, DocCache] = {}


def for_root(root: Path) -> DocCache:
    """The cache of the repository at `root` (in .git/, so it is never committed), read once per
    process; a folder that is not a git repository gets a cache that lives for this run only."""
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return DocCache(None)
    path = git_dir / "lakip" / "dokumen.pickle"
    if path not in _OPEN:
        _OPEN[path] = DocCache(path)
    return _OPEN[path]
