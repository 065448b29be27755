"""`lakip step`: the staged content gathered once as the command's Snapshot (the index written as a
tree), the SOP's progress at HEAD judged at the author's moment, then `sop.record` checks and commits.
"""

from __future__ import annotations

from pathlib import Path

from generator.data.errors import Refused
from generator.git import GitSource, identity
from generator.sop.progress import open_repo
from generator.sop.record import Recorded, Staged, record
from generator.workflow.snapshot import gather


def gather_staged(root: Path, tahun: int | None = None, env: dict | None = None) -> Staged:
    """The index of the repository at `root` about to be recorded as a step, read once.

    Raises UsageError when `root` is not a git repository or `tahun` has no folder, Refused when
    there is no commit yet or no git identity, and git's error on unresolved conflicts."""
    git = open_repo(root)
    head = git.head()
    if head is None:
        raise Refused("repositori belum punya commit: buat commit pertama dulu")
    ident = identity(git, env)
    if ident is None:
        raise Refused("identitas git belum diatur (petunjuk: git config user.name \"Nama Anda\" "
                      "dan git config user.email email@kantor.go.id)")
    tree = git.text("write-tree", env=env).strip()  # the index; fails on unresolved conflicts
    snapshot = gather(root, tahun, now=ident.waktu, source=GitSource(git, tree), git=git)
    return Staged(git, root, head, tree, snapshot.source, snapshot.repo, snapshot.issues,
                  snapshot.tahun, ident, snapshot.progress)


def step(root: Path, no: int, keputusan: str, catatan: str | None = None, tahun: int | None = None,
         env: dict | None = None) -> Recorded:
    """Record SOP step `no` with `keputusan` for the staged content (`lakip step`; DESIGN §6).
    `env` overrides the environment of git (tests, the demo and the archive set the actor).
    Raises what `gather_staged` and `sop.record.record` raise."""
    return record(gather_staged(root, tahun, env), no, keputusan, catatan, env)
