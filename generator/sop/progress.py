"""The SOP's progress read from git (status, verify, approval): the roster and SOP of a commit ->
step commits (one git log) -> signatures (cached) -> content fingerprints (cached) -> engine.evaluate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.data.errors import Issue, LakipError
from generator.data.load import load_definitions, load_repo
from generator.git import Git, GitSource, allowed_signers, signatures, step_commits
from generator.sop.engine import Status, evaluate
from generator.sop.fingerprint import content_fingerprints, fingerprint
from generator.sop.worktime import from_sop, libur_dikenal, seed_libur
from generator.store import store


@dataclass(frozen=True)
class Progress:
    status: Status
    sop: m.Sop
    roster: tuple[m.Personil, ...]
    head: str | None


def open_repo(root: Path) -> Git:
    git = Git(root)
    if not git.is_repo():
        raise LakipError(f"'{root}' bukan repositori git (petunjuk: lakip demo DIR membuat contoh "
                         "repositori dengan riwayat SOP; lakip init DIR membuat repositori baru)",
                         exit_code=2)
    return git


def _definitions(root: Path, source) -> tuple[m.Repo, list[Issue]]:
    repo, issues = load_repo(root, source)
    _require(repo.sop, repo.personil, issues)
    return repo, issues


def _require(sop, personil, issues: list[Issue]) -> None:
    if sop is None or personil is None:
        problems = "; ".join(i.format() for i in issues if i.is_error and i.loc.path.startswith("sop/"))
        raise LakipError(f"SOP atau daftar personil tidak dapat dibaca: {problems}")


def _newest_year(root: Path, source) -> int:
    years = [int(name) for name, is_dir in source.entries("content") if is_dir and name.isdigit()]
    if not years:
        raise LakipError("belum ada folder tahun di content/", exit_code=2)
    return max(years)


def progress(root: Path, tahun: int | None = None, now: dt.datetime | None = None,
             rev: str | None = None) -> Progress:
    """The SOP's state for `tahun` as recorded at HEAD (or at commit `rev`), judged by the SOP and
    roster of that same commit."""
    git = open_repo(root)
    head = rev or git.head()
    if head is None:
        raise LakipError("repositori belum punya commit: buat commit pertama dulu")
    source = GitSource(git, head)
    sop, personil = _cached_definitions(git, source)
    tahun = tahun or _newest_year(root, source)
    status = _evaluate(git, sop, personil, head, tahun, now)
    return Progress(status, sop, personil, head)


def _cached_definitions(git: Git, source: GitSource) -> tuple[m.Sop, tuple[m.Personil, ...]]:
    """HEAD's SOP and roster (status needs no content). Parsing and the schema check are cached
    per file bytes by load.py (store.py), so a second run only rebuilds the model objects."""
    sop, personil, issues = load_definitions(source, store("dokumen"))
    _require(sop, personil, issues)
    return sop, personil


def _evaluate(git: Git, sop: m.Sop, roster: tuple[m.Personil, ...], head: str, tahun: int,
              now: dt.datetime | None) -> Status:
    commits = [c for c in step_commits(git, head)
               if dict(c.trailers).get("SOP-Tahun", str(tahun)) == str(tahun)]
    ids = [c.id for c in commits]
    sigs = signatures(git, ids, allowed_signers(roster))
    konten = content_fingerprints(git, [*ids, head], tahun)
    cache = store("libur")
    version = _holidays_version()
    # An entry of another shape is left alone: the holidays are then computed again.
    with contextlib.suppress(ValueError, IndexError, AttributeError, TypeError):
        seed_libur({(k.split("|")[1], tuple(k.split("|")[2].split(",")), int(k.split("|")[3])):
                    {dt.date.fromisoformat(d): n for d, n in days.items()}
                    for k, days in cache.entries.items() if k.split("|")[0] == version})
    before = set(libur_dikenal())
    kalender = from_sop(sop)
    status = evaluate(sop, roster, tahun, commits, sigs, konten, konten[head], kalender,
                      now or dt.datetime.now(dt.UTC))
    known = libur_dikenal()
    if set(known) != before:  # new years were computed: keep them for the next run
        for (n, c, y), days in known.items():
            cache.put(f"{version}|{n}|{','.join(c)}|{y}", {d.isoformat(): v for d, v in days.items()})
        cache.save()
    return status


def _holidays_version() -> str:
    """The holiday tables change with the `holidays` package: its version is part of the key."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "?"


def who_acts(sop: m.Sop, roster: tuple[m.Personil, ...], no: int, day: dt.date) -> list[m.Personil]:
    step = sop.find_langkah(no)
    return [p for p in roster if step.pelaksana in p.peran and p.active_on(day)]


def approval(root: Path, tahun: int, source, rev: str | None = None, known: Progress | None = None
             ) -> tuple[bool, dt.datetime, tuple[str, ...]]:
    """Is the content in `source` (the working tree) the approved, signed one? Returns (final,
    the document's date, notes). The date comes from git, never the clock, so rebuilding a commit
    gives identical files: the signing approval's time when final, else HEAD's commit time.
    `known` is the progress at HEAD when the caller has it already."""
    import os

    git = Git(root)
    if git.is_repo() and git.head():
        p = known if known is not None and rev is None else progress(root, tahun, rev=rev)
        head = p.head
        same = fingerprint(source, tahun) == content_fingerprints(git, [head], tahun)[head]
        final = p.status.final and same
        signing = next((s.no for s in p.sop.langkah if s.pengesahan == "tanda-tangan"), None)
        record = p.status.find_langkah(signing).catatan if final and signing else None
        when = record.waktu if record else dt.datetime.fromisoformat(
            git.text("log", "-1", "--format=%cI", head).strip())
        notes = () if same else ("folder kerja berisi perubahan konten yang belum di-commit: "
                                 "dokumen ditandai DRAF",)
        return final, when, notes
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return False, moment, ("bukan repositori git: dokumen ditandai DRAF dan bertanggal hari ini",)
