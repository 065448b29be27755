"""Git trees and blobs: a commit's tree as a Source, blobs in batches."""

from __future__ import annotations

from generator.data.errors import Refused
from generator.git.runner import Git


class GitSource:
    """A git tree as a Source (see source.py): the listing from the tree objects and the blobs,
    both read through the `Git`'s one `cat-file --batch` reader."""

    def __init__(self, git: Git, treeish: str, prefixes: tuple[str, ...] = ("content", "sop")):
        self.git = git
        self.treeish = treeish
        self.blobs: dict[str, str] = {}
        self.dirs: dict[str, set[tuple[str, bool]]] = {}
        self.links: list[str] = []
        self.bad: list[str] = []
        for mode, oid, raw_path in list_tree(git, treeish, prefixes):
            try:
                path = raw_path.decode("utf-8")
            except UnicodeDecodeError:  # not a name lakip can show or use: reported by bad_names()
                self.bad.append(raw_path.decode("utf-8", "replace"))
                continue
            if mode == _LINK:  # a symlink is data, never followed: reported by symlinks()
                self.links.append(path)
                continue
            if mode == _SUBMODULE:
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
            # One file at a time: a read is a round trip on the `Git`'s reader, not a process,
            # so an archive's PDFs are not read to find its manifest.
            self._data.update(read_blobs(self.git, [oid]))
        return self._data[oid]


def read_blobs(git: Git, oids: list[str]) -> dict[str, bytes]:
    """Contents of several objects by id, through the `Git`'s `cat-file --batch` reader. Raises
    Refused when the repository lacks one of them (a damaged or partial copy)."""
    result: dict[str, bytes] = {}
    for oid, found in zip(oids, git.objects(oids), strict=True):
        if found is None:
            raise _missing(oid)
        result[oid] = found[2]
    return result


def _missing(oid: str) -> Refused:
    return Refused(f"objek git {oid} tidak ada di repositori (repositori rusak atau tidak lengkap; "
                   "petunjuk: git fsck, atau clone ulang)")


def object_ids(git: Git, specs: list[str]) -> list[str | None]:
    """The object id of each `rev:path` spec, None where there is none (as `cat-file
    --batch-check`)."""
    return [found[0] if found else None for found in git.objects(specs)] if specs else []


_TREE, _LINK, _SUBMODULE = 0o040000, 0o120000, 0o160000


def _tree(git: Git, oid: str) -> list[tuple[int, bytes, str]]:
    """(mode, raw name, object id) of the entries of tree `oid`, read once per `Git`. The mode is
    canonical as git reads it (tree.h canon_mode): 100644/100755, 120000 link, 040000 tree,
    anything else a submodule. Raises Refused for a missing or malformed tree."""
    known = git.trees.get(oid)
    return known if known is not None else tree_entries(git, [oid])[oid]


def tree_entries(git: Git, oids: list[str]) -> dict[str, list[tuple[int, bytes, str]]]:
    """The entries (as `_tree` gives them) of each tree in `oids`; the trees this `Git` has not
    read yet are read in one request to its reader. Raises Refused for a missing or malformed
    tree."""
    unknown = [oid for oid in dict.fromkeys(oids) if oid not in git.trees]
    for oid, found in zip(unknown, git.objects(unknown) if unknown else [], strict=True):
        if found is None:
            raise _missing(oid)
        if found[1] != "tree":
            raise Refused(f"objek git {oid} bukan tree (repositori rusak; petunjuk: git fsck)")
        _remember(git, oid, found[2])
    return {oid: git.trees[oid] for oid in oids}


def _remember(git: Git, oid: str, raw: bytes) -> list[tuple[int, bytes, str]]:
    """Parse the raw tree `oid` and keep its entries in `git.trees` (a tree id names its
    entries for good)."""
    if oid in git.trees:
        return git.trees[oid]
    width = len(oid) // 2
    entries = []
    pos = 0
    try:
        while pos < len(raw):
            space = raw.index(b" ", pos)
            nul = raw.index(b"\0", space)
            mode = int(raw[pos:space], 8)
            child = raw[nul + 1: nul + 1 + width]
            if len(child) != width:
                raise ValueError("short")
            kind = mode & 0o170000
            if kind == 0o100000:
                mode = 0o100755 if mode & 0o100 else 0o100644
            elif kind not in (_TREE, _LINK):
                mode = _SUBMODULE
            else:
                mode = kind
            entries.append((mode, raw[space + 1: nul], child.hex()))
            pos = nul + 1 + width
    except ValueError:
        raise Refused(f"objek git {oid} rusak (tree tidak dapat dibaca; petunjuk: git fsck)") from None
    git.trees[oid] = entries
    return entries


def folder_names(git: Git, treeish: str, folder: str) -> list[str]:
    """The names in `folder` of the tree `treeish` names (what `git ls-tree --name-only treeish
    folder/` lists, without the folder), [] when it is no folder there. Names that are not
    UTF-8 keep their bytes as surrogates."""
    found = git.objects([f"{treeish}:{folder}"])[0]
    if found is None or found[1] != "tree":
        return []
    _remember(git, found[0], found[2])
    return [name.decode("utf-8", "surrogateescape") for _, name, _ in _tree(git, found[0])]


def changed_paths(git: Git, old: str, new: str) -> list[str]:
    """The files (blobs, symlinks, submodules) that differ between the trees of commits `old`
    and `new`: added, removed or changed, as `git diff-tree -r --name-only old new` lists them
    (no rename detection). Unchanged subtrees are skipped by their ids."""
    roots = git.objects([f"{old}^{{tree}}", f"{new}^{{tree}}"])
    if roots[0] is None or roots[1] is None:
        raise Refused(f"git diff-tree gagal: fatal: bad object {old if roots[0] is None else new}")
    for found in roots:
        _remember(git, found[0], found[2])
    changed: list[bytes] = []

    def files(oid: str, path: bytes) -> list[bytes]:
        out = []
        for mode, name, child in _tree(git, oid):
            out += files(child, path + name + b"/") if mode == _TREE else [path + name]
        return out

    def compare(a: str | None, b: str | None, path: bytes) -> None:
        left = {name: (mode, oid) for mode, name, oid in _tree(git, a)} if a else {}
        right = {name: (mode, oid) for mode, name, oid in _tree(git, b)} if b else {}
        for name in sorted(left.keys() | right.keys()):
            x, y = left.get(name), right.get(name)
            if x == y:
                continue
            sub_a = x[1] if x and x[0] == _TREE else None
            sub_b = y[1] if y and y[0] == _TREE else None
            if (x and not sub_a) or (y and not sub_b):
                changed.append(path + name)  # a file on either side (removed, added, changed)
            if sub_a or sub_b:
                compare(sub_a, sub_b, path + name + b"/")

    compare(roots[0][0], roots[1][0], b"")
    return [p.decode("utf-8", "surrogateescape") for p in changed]


def list_tree(git: Git, treeish: str, prefixes: tuple[str, ...] = ()) -> list[tuple[int, str, bytes]]:
    """(mode, object id, raw path) of every file, symlink and submodule under `prefixes` of the
    tree `treeish` names, in git's tree order: what `git ls-tree -r --full-tree treeish --
    prefixes` lists (a prefix is a path, matched whole component by component, never a
    pattern). No prefix: the whole tree. Raises Refused when `treeish` names no tree."""
    root = git.objects([f"{treeish}^{{tree}}"])[0]
    if root is None:
        raise Refused(f"git ls-tree gagal: fatal: Not a valid object name {treeish}")
    _remember(git, root[0], root[2])
    wanted = [tuple(p.strip("/").encode("utf-8", "surrogateescape").split(b"/"))
              for p in prefixes if p.strip("/")]
    found: list[tuple[int, str, bytes]] = []

    def walk(oid: str, parts: tuple[bytes, ...]) -> None:
        for mode, name, child in _tree(git, oid):
            path = (*parts, name)
            depth = len(path)
            inside = not wanted or any(w[:depth] == path[:len(w)] and len(w) <= depth for w in wanted)
            above = any(len(w) > depth and w[:depth] == path for w in wanted)
            if mode == _TREE:
                if inside or above:
                    walk(child, path)
            elif inside:
                found.append((mode, child, b"/".join(path)))

    walk(root[0], ())
    return found
