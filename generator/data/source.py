"""Where files are read from: the working tree, or (history.py) a git tree. Paths are
repository-relative POSIX strings; nothing outside the repository is ever reachable."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Protocol


class Source(Protocol):
    def is_file(self, rel: str) -> bool: ...
    def is_dir(self, rel: str) -> bool: ...
    def entries(self, rel: str) -> list[tuple[str, bool]]:
        """Sorted (name, is_dir) of a folder; empty when it does not exist."""
    def read(self, rel: str) -> bytes: ...


def normalize(rel: str) -> str | None:
    """`a/b/../c` -> `a/c`; None when the path is absolute or climbs out of the repository."""
    if not rel or rel.startswith("/") or "\\" in rel:
        return None
    norm = posixpath.normpath(rel)
    if norm == ".." or norm.startswith("../"):
        return None
    return norm


class FsSource:
    """The working tree. Symlinks that point outside the repository count as absent."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._resolved: dict[str, Path | None] = {}

    def _path(self, rel: str) -> Path | None:
        if rel not in self._resolved:  # resolving follows symlinks: a few syscalls per call
            norm = normalize(rel)
            path = (self.root / norm).resolve() if norm is not None else None
            self._resolved[rel] = path if path is not None and path.is_relative_to(self.root) else None
        return self._resolved[rel]

    def is_file(self, rel: str) -> bool:
        path = self._path(rel)
        return bool(path and path.is_file())

    def is_dir(self, rel: str) -> bool:
        path = self._path(rel)
        return bool(path and path.is_dir())

    def entries(self, rel: str) -> list[tuple[str, bool]]:
        path = self._path(rel)
        if not path or not path.is_dir():
            return []
        return sorted((p.name, p.is_dir()) for p in path.iterdir() if p.name != ".git")

    def escapes(self, rel: str) -> bool:
        """True when the entry exists but resolves outside the repository (a symlink)."""
        norm = normalize(rel)
        return norm is not None and (self.root / norm).exists() and self._path(rel) is None

    def read(self, rel: str) -> bytes:
        path = self._path(rel)
        if path is None:
            raise FileNotFoundError(rel)
        return path.read_bytes()
