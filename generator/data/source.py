"""Where files are read from: the working tree, or (history.py) a git tree. Paths are
repository-relative POSIX strings; nothing outside the repository is ever reachable."""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path
from typing import Protocol


class Source(Protocol):
    """Repository files read as data: the working tree (`FsSource`) or a git tree
    (`generator.git.GitSource`). `rel` is a repository-relative POSIX path."""

    def is_file(self, rel: str) -> bool:
        """True for a regular file that no symlink leads to."""
    def entries(self, rel: str) -> list[tuple[str, bool]]:
        """Sorted (name, is_dir) of a folder; empty when it does not exist."""
    def read(self, rel: str) -> bytes:
        """The file's bytes. Raises FileNotFoundError (OSError) when it is absent."""
    def escapes(self, rel: str) -> bool:
        """True when `rel` is, or lies below, a symlink (which lakip never follows, DESIGN §5)."""
    def symlinks(self) -> list[str]:
        """Every symlink under the input folders, repository-relative, sorted."""
    def bad_names(self) -> list[str]:
        """Paths that are not UTF-8 (left out; undecodable bytes shown as U+FFFD)."""
    def special_files(self) -> list[str]:
        """FIFOs, sockets and devices (left out, never opened)."""


def normalize(rel: str) -> str | None:
    """`a/b/../c` -> `a/c`; None when the path is absolute or climbs out of the repository."""
    if not rel or rel.startswith("/") or "\\" in rel:
        return None
    norm = posixpath.normpath(rel)
    if norm == ".." or norm.startswith("../"):
        return None
    return norm


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes of bytes that are not UTF-8
        return False
    return True


def _special(path: Path) -> bool:
    """A FIFO, socket or device (not a file, folder or symlink)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class FsSource:
    """The working tree, read as data (DESIGN §5): a symlink anywhere below the root is never
    followed; it counts as absent, and `symlinks()` lists it so that validate can report it."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._resolved: dict[str, tuple[Path | None, int]] = {}
        self._bad: set[str] = set()
        self._special: set[str] = set()

    def _lookup(self, rel: str) -> tuple[Path | None, int]:
        """(path, st_mode) of `rel` when no component is a symlink; (None, 0) when absent;
        (None, S_IFLNK) when a component is a symlink."""
        if rel not in self._resolved:
            norm = normalize(rel) if rel else ""
            found: tuple[Path | None, int] = (None, 0)
            if norm is not None:
                path = self.root
                mode = stat.S_IFDIR
                for part in norm.split("/") if norm not in ("", ".") else ():
                    path = path / part
                    try:
                        mode = os.lstat(path).st_mode
                    except (OSError, ValueError):  # ValueError: a NUL in the name
                        mode = 0
                        break
                    if stat.S_ISLNK(mode):
                        break
                found = (path, mode) if mode and not stat.S_ISLNK(mode) else (None, mode)
            self._resolved[rel] = found
        return self._resolved[rel]

    def is_file(self, rel: str) -> bool:
        """True for a regular file that no symlink leads to."""
        return stat.S_ISREG(self._lookup(rel)[1])

    def entries(self, rel: str) -> list[tuple[str, bool]]:
        """Sorted (name, is_dir) of a folder, without .git, symlinks and names that are not UTF-8."""
        path, mode = self._lookup(rel)
        if path is None or not stat.S_ISDIR(mode):
            return []
        found = []
        with os.scandir(path) as listing:
            for e in listing:
                if e.name == ".git" or e.is_symlink():
                    continue
                if not _utf8(e.name):  # reported by bad_names(), never used as a path
                    self._bad.add(f"{rel}/{e.name}" if rel else e.name)
                    continue
                is_dir = e.is_dir(follow_symlinks=False)
                if not is_dir and not e.is_file(follow_symlinks=False):  # a FIFO, socket or device
                    self._special.add(f"{rel}/{e.name}" if rel else e.name)
                    continue
                found.append((e.name, is_dir))
        return sorted(found)

    def special_files(self) -> list[str]:
        """FIFOs, sockets and devices met while listing: never opened (a FIFO would hang a read)."""
        return sorted(_shown(n) for n in self._special)

    def bad_names(self) -> list[str]:
        """Names met while listing that are not UTF-8, undecodable bytes shown as U+FFFD."""
        return sorted(_shown(n) for n in self._bad)

    def escapes(self, rel: str) -> bool:
        """True when the entry is, or lies below, a symlink (which lakip never follows)."""
        return stat.S_ISLNK(self._lookup(rel)[1])

    def symlinks(self, prefixes: tuple[str, ...] = ("content", "sop", "site_templates")) -> list[str]:
        """Every symlink under the input folders, as repository-relative paths (the walk also
        notes the names that are not UTF-8, for bad_names())."""
        found = []
        for prefix in prefixes:
            top = self.root / prefix
            if os.path.islink(top):
                found.append(prefix)
                continue
            for folder, dirs, files in os.walk(top, followlinks=False):
                here = Path(folder)
                for name in sorted(dirs + files):
                    if not _utf8(name):
                        self._bad.add((here / name).relative_to(self.root).as_posix())
                    elif name in files and _special(here / name):
                        self._special.add((here / name).relative_to(self.root).as_posix())
                    if (here / name).is_symlink():
                        found.append(_shown((here / name).relative_to(self.root).as_posix()))
        return sorted(found)

    def read(self, rel: str) -> bytes:
        """The file's bytes, never through a symlink. Raises FileNotFoundError when absent."""
        path, mode = self._lookup(rel)
        if path is None or not stat.S_ISREG(mode):
            raise FileNotFoundError(rel)
        from generator.store import read_file

        return read_file(self.root, path)
