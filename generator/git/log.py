"""Reading history: the step commits (one `git log` with a trailer format, never a process per
commit; TOOLCHAIN.md), the commit graph that trust is judged on, and the recent changes shown on
the site.

Commit metadata is data written by anyone who can push: names, subjects and trailers may hold
control characters (\\x1f, \\x1e, \\u2028), NUL or invalid UTF-8. Fields are therefore separated by
NUL plus a random marker made for this run (a commit made before the run cannot contain it), bytes
are decoded with replacement characters, and lines are split on "\\n" only, so no byte sequence in
a commit can shift a field or crash the parser.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from generator.git.runner import Git

# Kept for callers that join their own one-line formats (signatures); those fields are hex ids
# and git's own status letters, never text from a commit.
_FS, _RS = "\x1f", "\x1e"


@dataclass(frozen=True)
class _Marker:
    """Separators made for one git call: `field` between fields, `start` before each record
    (distinct, so that an empty field never looks like the start of a record)."""

    token: str

    @property
    def field(self) -> str:  # as a git format string
        return f"%x00{self.token}%x00"

    @property
    def start(self) -> str:
        return f"%x00{self.token}r%x00"

    def format(self, fields: list[str]) -> str:
        return f"--format={self.start}{self.field.join(fields)}{self.field}"


def _marker() -> _Marker:
    return _Marker(secrets.token_hex(12))


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _records(out: bytes, marker: _Marker, fields: int) -> list[list[str]]:
    """Split git output made with `marker.format(...)` into records of `fields` texts."""
    sep = f"\0{marker.token}\0".encode()
    records = []
    for chunk in out.split(f"\0{marker.token}r\0".encode())[1:]:
        parts = chunk.split(sep)
        if len(parts) < fields:
            continue
        records.append([_decode(p) for p in parts[:fields]])
    return records


def _when(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:  # a hand-made commit with a date git prints as garbage
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class RawCommit:
    """A commit whose message carries SOP trailers, as git printed it."""

    id: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: dt.datetime
    committer_date: dt.datetime
    subject: str
    trailers: tuple[tuple[str, str], ...]  # (key, value) in message order


@dataclass(frozen=True)
class ChangeEntry:
    """One commit that touched content/ (for the site's Riwayat)."""

    id: str
    author_name: str
    author_email: str
    author_date: dt.datetime
    subject: str
    files: tuple[str, ...]


_STEP_FIELDS = ["%H", "%P", "%aI", "%cI", "%an", "%ae", "%s", "%(trailers:only,unfold)"]


def step_commits(git: Git, rev: str = "HEAD") -> list[RawCommit]:
    """Every commit reachable from `rev` (all parents) whose message has a trailer starting with
    "SOP", oldest first in topological order. One git process."""
    marker = _marker()
    out = git.run("log", "-z", "--topo-order", "--reverse", "--grep=^SOP", marker.format(_STEP_FIELDS),
                  rev, "--")
    commits = []
    for cid, parents, adate, cdate, name, email, subject, trailers in _records(
            out, marker, len(_STEP_FIELDS)):
        pairs = []
        for item in trailers.split("\n"):
            key, sep, value = item.partition(":")
            if sep:
                pairs.append((key.strip(), value.strip()))
        if not any(k.upper().startswith("SOP") for k, _ in pairs):
            continue  # "SOP" only in the body text, not a trailer
        commits.append(RawCommit(cid, tuple(parents.split()), name, email, _when(adate),
                                 _when(cdate), subject, tuple(pairs)))
    return commits


@dataclass(frozen=True)
class Graph:
    """The commit graph reachable from a revision: parents, author and committer times (Unix
    seconds), and the position of each commit in a parents-first topological order."""

    parents: dict[str, tuple[str, ...]]
    author_time: dict[str, int]
    committer_time: dict[str, int]
    order: dict[str, int]

    def is_ancestor(self, ancestor: str, commit: str) -> bool:
        """Whether `ancestor` is `commit` or reachable from it through parents. Walks only
        commits placed after `ancestor` in the topological order."""
        if ancestor == commit:
            return True
        limit = self.order.get(ancestor)
        if limit is None or commit not in self.order:
            return False
        seen, todo = set(), [commit]
        while todo:
            c = todo.pop()
            for p in self.parents.get(c, ()):
                if p == ancestor:
                    return True
                if p not in seen and self.order.get(p, -1) > limit:
                    seen.add(p)
                    todo.append(p)
        return False

    def ancestors(self, commit: str) -> set[str]:
        """`commit` and every commit reachable from it."""
        seen, todo = {commit}, [commit]
        while todo:
            for p in self.parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen


def graph(git: Git, rev: str = "HEAD") -> Graph:
    """The whole graph reachable from `rev`, one `git log` (hex ids and numbers only)."""
    out = git.text("log", "--topo-order", "--reverse", "--format=%H %at %ct %P", rev, "--")
    parents, atime, ctime, order = {}, {}, {}, {}
    for i, line in enumerate(out.split("\n")):
        parts = line.split()
        if len(parts) < 3:
            continue
        cid = parts[0]
        parents[cid] = tuple(parts[3:])
        atime[cid], ctime[cid] = int(parts[1]), int(parts[2])
        order[cid] = i
    return Graph(parents, atime, ctime, order)


def changes(git: Git, paths: tuple[str, ...] = ("content",), limit: int = 50) -> list[ChangeEntry]:
    """The most recent commits that touched `paths`, with the files each changed."""
    marker = _marker()
    fields = ["%H", "%aI", "%an", "%ae", "%s"]
    out = git.run("log", "-z", f"-n{limit}", "--name-only", marker.format(fields), "HEAD", "--",
                  *paths, check=False)
    entries = []
    sep = f"\0{marker.token}\0".encode()
    for chunk in out.split(f"\0{marker.token}r\0".encode())[1:]:
        parts = chunk.split(sep)
        if len(parts) < len(fields) + 1:
            continue
        cid, date, name, email, subject = (_decode(p) for p in parts[:len(fields)])
        files = tuple(_decode(f).strip("\n") for f in parts[len(fields)].split(b"\0"))
        entries.append(ChangeEntry(cid, name, email, _when(date), subject,
                                   tuple(f for f in files if f)))
    return entries


@dataclass(frozen=True)
class PathCommit:
    """A commit that changed a path compared with at least one of its parents."""

    id: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: dt.datetime


def path_commits(git: Git, rev: str, path: str) -> list[PathCommit]:
    """Every commit reachable from `rev` whose `path` differs from at least one parent's (merges
    included: `--full-history` without parent rewriting), oldest first. One git process."""
    marker = _marker()
    fields = ["%H", "%P", "%aI", "%an", "%ae"]
    out = git.run("log", "-z", "--full-history", "--topo-order", "--reverse", marker.format(fields),
                  rev, "--", path)
    return [PathCommit(cid, tuple(parents.split()), name, email, _when(date))
            for cid, parents, date, name, email in _records(out, marker, len(fields))]
