"""Git trees and blobs: a commit's tree as a Source, blobs in batches."""

from __future__ import annotations

from generator.data.errors import Refused
from generator.git.runner import Git


class GitSource:
    """A git tree as a Source (see source.py): one `ls-tree` for the listing, one long-lived
    `cat-file --batch` for the blobs."""

    def __init__(self, git: Git, treeish: str, prefixes: tuple[str, ...] = ("content", "sop")):
        self.git = git
        self.treeish = treeish
        out = git.run("ls-tree", "-r", "-z", "--full-tree", treeish, "--", *prefixes)
        self.blobs: dict[str, str] = {}
        self.dirs: dict[str, set[tuple[str, bool]]] = {}
        self.links: list[str] = []
        self.bad: list[str] = []
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, raw_path = entry.split(b"\t", 1)
            mode, kind, oid = meta.decode("ascii").split()
            try:
                path = raw_path.decode("utf-8")
            except UnicodeDecodeError:  # not a name lakip can show or use: reported by bad_names()
                self.bad.append(raw_path.decode("utf-8", "replace"))
                continue
            if mode == "120000":  # a symlink is data, never followed: reported by symlinks()
                self.links.append(path)
                continue
            if kind != "blob":
                continue
            self.blobs[path] = oid
            parts = path.split("/")
            for i in range(len(parts)):
                parent = "/".join(parts[:i])
                self.dirs.setdefault(parent, set()).add((parts[i], i < len(parts) - 1))
        self._data: dict[str, bytes] | None = None

    def is_file(self, rel: str) -> bool:
        return rel in self.blobs

    def symlinks(self) -> list[str]:
        """The symlinks of the tree under the listed prefixes (validate reports each)."""
        return sorted(self.links)

    def bad_names(self) -> list[str]:
        """Paths that are not UTF-8 (left out; undecodable bytes shown as U+FFFD)."""
        return sorted(self.bad)

    def special_files(self) -> list[str]:
        """Always empty: a git tree holds only files, folders, links and submodules."""
        return []

    def escapes(self, rel: str) -> bool:
        """True when `rel` is, or lies below, a symlink of the tree (never followed)."""
        return any(rel == link or rel.startswith(link + "/") for link in self.links)

    def entries(self, rel: str) -> list[tuple[str, bool]]:
        return sorted(self.dirs.get(rel, ()))

    def read(self, rel: str) -> bytes:
        oid = self.blobs.get(rel)
        if oid is None:
            raise FileNotFoundError(rel)
        if self._data is None:
            self._data = {}
        if oid not in self._data:
            # One `cat-file --batch` per top-level folder: loading sop/ alone (status) does not
            # fetch content/, and loading content/ fetches all of it at once.
            top = rel.split("/", 1)[0] + "/"
            group = sorted({o for path, o in self.blobs.items() if path.startswith(top)})
            self._data.update(read_blobs(self.git, group))
        return self._data[oid]


def read_blobs(git: Git, oids: list[str]) -> dict[str, bytes]:
    """Contents of several blobs with one `git cat-file --batch`. Raises Refused when the
    repository lacks one of them (a damaged or partial copy)."""
    out = git.run("cat-file", "--batch", input=("\n".join(oids) + "\n").encode())
    result: dict[str, bytes] = {}
    pos = 0
    for oid in oids:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) != 3:  # "<oid> missing": the object is not in the repository
            raise Refused(f"objek git {oid} tidak ada di repositori (repositori rusak atau tidak "
                          "lengkap; petunjuk: git fsck, atau clone ulang)")
        _, _, size = header
        start = header_end + 1
        result[oid] = out[start:start + int(size)]
        pos = start + int(size) + 1
    return result


def object_ids(git: Git, specs: list[str]) -> list[str | None]:
    """`git cat-file --batch-check` for `rev:path` specs: the object id of each, None if missing."""
    if not specs:
        return []
    out = git.text("cat-file", "--batch-check=%(objectname)", input=("\n".join(specs) + "\n").encode())
    ids = []
    for line in out.splitlines():
        ids.append(None if line.endswith(" missing") or " " in line else line.strip())
    return ids


def _tree_entries(raw: bytes, width: int) -> list[tuple[str, str]]:
    """(name, object id) of a raw git tree object: `mode SP name NUL oid` entries, where the oid
    is `width` bytes (20 for SHA-1 repositories, 32 for SHA-256)."""
    entries = []
    pos = 0
    while pos < len(raw):
        nul = raw.index(b"\0", pos)
        _, name = raw[pos:nul].split(b" ", 1)
        entries.append((name.decode("utf-8", "surrogateescape"), raw[nul + 1: nul + 1 + width].hex()))
        pos = nul + 1 + width
    return entries
