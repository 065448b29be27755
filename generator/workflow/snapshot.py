"""One `Snapshot` per command (DESIGN §8): the repository read once from one source (the working
tree or a commit), with what the commands derive from it -- the SOP's progress, the document's
approval state and the figures -- each computed at most once, when first asked for.

`build`, `figures`, the website (its MkDocs plugin is handed the build's snapshot), `impor`,
`step` and `archive` all start from `gather()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from generator.data import model as m
from generator.data.errors import DataInvalid, Issue, UsageError, sorted_issues
from generator.data.load import for_year, load_repo, newest_year
from generator.data.source import FsSource, Source
from generator.data.validate import validate

if TYPE_CHECKING:
    from generator.figures.capaian import Figures
    from generator.git import Git
    from generator.render.document import DocumentState
    from generator.sop.progress import Progress

TEMPLATES = "site_templates"


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The repository as one command sees it.

    `source` is where every file was read from: the working tree (`commit` None) or the tree of
    `commit` (a tag such as lakip-2025 rebuilt). `issues` are the load and validation issues of
    all files, sorted. `tahun` is the year asked for, else the newest year folder. `templates`
    holds the commit's own `site_templates/` (name -> text) when read from a commit, so an
    archived year renders with the templates it was archived with. `now` is the moment the
    command reasons about (elapsed working time of the running step). `git` is the repository
    the commit or the source was read from, when the caller opened it (one `Git` per command:
    its object reader serves the progress and the approval too)."""

    root: Path
    source: Source
    repo: m.Repo
    issues: tuple[Issue, ...]
    tahun: int
    commit: str | None = None
    templates: dict[str, str] | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    git: Git | None = None
    _figures: dict[int, Figures | str] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------ the year's data

    def errors(self) -> list[Issue]:
        """The errors that keep the year's documents from being built (other years' files
        do not count)."""
        return [i for i in for_year(self.issues, self.tahun) if i.is_error]

    def invalid(self) -> DataInvalid | None:
        """The refusal to build the year's documents, listing (at most 20 of) its errors; None
        when the year's data is valid."""
        errors = self.errors()
        if not errors:
            return None
        listing = "\n".join(f"  {i.format()}" for i in errors[:20])
        more = f"\n  ... dan {len(errors) - 20} galat lain" if len(errors) > 20 else ""
        return DataInvalid(f"data tahun {self.tahun} belum valid:\n{listing}{more}\n"
                           "(petunjuk: jalankan lakip validate)", tuple(errors))

    def require_valid(self) -> None:
        """Raises `invalid()` when the year's data has errors."""
        if (refusal := self.invalid()) is not None:
            raise refusal

    # ------------------------------------------------------------ derived once

    @cached_property
    def _git(self) -> Git:
        """The repository of this snapshot: the one its commit was read from, else one `Git`
        shared by `is_git`, `progress` and `state` (one reader)."""
        from generator.git import Git

        return self.git if self.git is not None else Git(self.root)

    @cached_property
    def inputs(self) -> str:
        """The digest of every input file of the documents (reuse.inputs_digest), worked out once
        per snapshot: the documents' keys and the website's Excel forms share it."""
        from generator.workflow.reuse import inputs_digest

        return inputs_digest(self)

    @cached_property
    def is_git(self) -> bool:
        """The folder is a git repository with at least one commit."""
        if self.git is not None and self.commit is not None:
            return True  # read from a commit of this repository
        return bool(self._git.is_repo() and self._git.head())

    @cached_property
    def progress(self) -> Progress | None:
        """The SOP's progress for the year, recorded at HEAD (or at `commit`) and judged by that
        commit's SOP and roster; None outside git. Raises what `sop.progress.progress` raises
        (e.g. DataInvalid when the SOP or roster cannot be read)."""
        from generator.sop.progress import progress

        if not self.is_git:
            return None
        return progress(self.root, self.tahun, self.now, rev=self.commit, git=self._git)

    @cached_property
    def state(self) -> DocumentState:
        """DRAF/FINAL, CONTOH and the document's date (from git, never the clock), with the
        reasons when DRAF (`alasan`). FINAL needs the signing step's standing approval for exactly
        the content in `source` (`sop.progress.approval`, DESIGN §5)."""
        from generator.render.document import DocumentState
        from generator.sop.progress import approval

        final, moment, notes = approval(self.root, self.tahun, self.source, self.commit,
                                        known=self.progress, git=self._git)
        signing = self.repo.sop.signing_step if self.repo.sop else None
        return DocumentState(not final, bool(self.repo.instansi and self.repo.instansi.contoh),
                             moment, signing.no if signing else None, notes)

    def figures(self, tahun: int | None = None) -> Figures:
        """The figures of `tahun` (default the snapshot's year), computed once per year.
        Raises ValueError/KeyError/AttributeError when that year's data cannot give them."""
        from generator.figures.capaian import compute

        tahun = tahun or self.tahun
        if tahun not in self._figures:
            self._figures[tahun] = compute(self.repo, tahun)
        return self._figures[tahun]

    def all_figures(self) -> tuple[dict[int, Figures], dict[int, str]]:
        """The figures of every year folder, and for each year whose data is too broken to give
        them, why (the website shows the other years anyway)."""
        figures: dict[int, Figures] = {}
        broken: dict[int, str] = {}
        for year in self.repo.tahun:
            try:
                figures[year.tahun] = self.figures(year.tahun)
            except (ValueError, KeyError, AttributeError) as e:  # a year whose data is broken
                broken[year.tahun] = str(e) or "data tahun ini belum lengkap"
        return figures, broken


def gather(root: Path, tahun: int | None = None, ref: str | None = None,
           now: dt.datetime | None = None, source: Source | None = None,
           git: Git | None = None) -> Snapshot:
    """Load and validate the repository at `root` once: from the working tree, from the commit
    `ref` names (its tree, templates included; the working tree is not read), or from `source`
    (e.g. the index written as a tree). `tahun` defaults to the newest year folder. `git`: the
    repository `root` already opened by the caller (else opened here when `ref` is given), kept
    for the snapshot's progress and state.

    Raises UsageError when `ref` names no commit, when there is no year folder, or when `tahun`
    has no folder."""
    commit = templates = None
    if ref is not None:
        from generator.git import GitSource
        from generator.sop.progress import open_repo

        git = git or open_repo(root)
        commit = git.commit_id(ref)
        if not commit:
            raise UsageError(f"ref '{ref}' tidak ditemukan di repositori")
        source = GitSource(git, commit, ("content", "sop", TEMPLATES))
        templates = {}
        for rel in source.blobs:
            if rel.startswith(f"{TEMPLATES}/"):
                try:
                    templates[rel.removeprefix(f"{TEMPLATES}/")] = source.read(rel).decode("utf-8")
                except UnicodeDecodeError:
                    raise DataInvalid(f"templat {rel} di {ref} bukan teks UTF-8") from None
    source = source or FsSource(root)
    repo, issues = load_repo(root, source)
    issues += validate(repo)
    tahun = tahun or newest_year(source)
    if repo.find_tahun(tahun) is None:
        known = ", ".join(str(t.tahun) for t in repo.tahun) or "(belum ada)"
        raise UsageError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}")
    return Snapshot(root, source, repo, tuple(sorted_issues(issues)), tahun, commit, templates,
                    now or dt.datetime.now(dt.UTC), git)
