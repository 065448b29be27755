"""Reading history: the step commits (one `git log` with a trailer format, never a process per
commit; TOOLCHAIN.md) and the recent changes shown on the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.git.runner import Git

_FS, _RS, _TS = "\x1f", "\x1e", "\x1d"


_LOG_FORMAT = _FS.join(["%H", "%P", "%an", "%ae", "%aI", "%cI", "%s",
                        "%(trailers:only,unfold,separator=%x1d)"]) + "%x1e"


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


def step_commits(git: Git, rev: str = "HEAD") -> list[RawCommit]:
    """Every commit reachable from `rev` (all parents) whose message has a line starting with
    "SOP", oldest first in topological order. One git process."""
    out = git.text("log", "--topo-order", "--reverse", "--grep=^SOP", f"--format={_LOG_FORMAT}",
                   rev, "--")
    commits = []
    for record in out.split(_RS):
        record = record.strip("\n")
        if not record:
            continue
        cid, parents, name, email, adate, cdate, subject, trailers = record.split(_FS)
        pairs = []
        for item in trailers.split(_TS):
            key, sep, value = item.partition(":")
            if sep:
                pairs.append((key.strip(), value.strip()))
        if not any(k.upper().startswith("SOP") for k, _ in pairs):
            continue  # "SOP" only in the body text, not a trailer
        commits.append(RawCommit(cid, tuple(parents.split()), name, email,
                                 dt.datetime.fromisoformat(adate), dt.datetime.fromisoformat(cdate),
                                 subject, tuple(pairs)))
    return commits


def changes(git: Git, paths: tuple[str, ...] = ("content",), limit: int = 50) -> list[ChangeEntry]:
    """The most recent commits that touched `paths`, with the files each changed."""
    out = git.text("log", f"-n{limit}", "--name-only",
                   f"--format={_RS}%H{_FS}%an{_FS}%ae{_FS}%aI{_FS}%s", "HEAD", "--", *paths,
                   check=False)
    entries = []
    for record in out.split(_RS):
        if not record.strip():
            continue
        header, _, files = record.partition("\n")
        cid, name, email, date, subject = header.split(_FS)
        entries.append(ChangeEntry(cid, name, email, dt.datetime.fromisoformat(date), subject,
                                   tuple(f for f in files.splitlines() if f)))
    return entries
