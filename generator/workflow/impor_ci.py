"""Excel forms delivered through a pull request (issue 16, item 3): `lakip impor --berubah-sejak REF`.

A bidang's staff uploads the filled form as `content/<tahun>/formulir/<bidang>.xlsx` through the
forge's web UI. CI then imports every form the branch added or changed since it left REF (the
target branch), each through `excel.import_form` (the same checks as `lakip impor`), and, when all
of them import, stages the changed bidang YAML and removes the forms: the pull request then shows
the data change as a readable YAML diff, the form stays in the branch's history, and a later run
finds no form to import again (a form records the SHA-256 of the YAML it was made from, so it
could not be imported twice anyway). The CI file commits and pushes what is staged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.errors import LakipError, UsageError
from generator.git import Git
from generator.sop.progress import open_repo
from generator.workflow.excel import ImportResult, import_form

FORMULIR = re.compile(r"^content/\d{4}/formulir/[a-z][a-z0-9-]{0,39}\.xlsx$")


@dataclass
class ImporCI:
    """What `lakip impor --berubah-sejak` did: the forms imported (with what each changed), the
    forms refused (with the reason: cells named like Realisasi!F7), and the staged paths."""

    imported: list[tuple[str, str, ImportResult]] = field(default_factory=list)  # form, YAML, result
    refused: list[tuple[str, str]] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)


def changed_forms(git: Git, since: str) -> list[str]:
    """Forms (content/<tahun>/formulir/<bidang>.xlsx) added or modified on HEAD's side since it
    left `since`, in path order. Raises UsageError when `since` names no commit."""
    base = git.text("merge-base", since, "HEAD", check=False).strip()
    if not base:
        raise UsageError(f"'{since}' tidak ditemukan atau tidak punya leluhur bersama dengan HEAD "
                         "(petunjuk: git fetch origin CABANG_TUJUAN, dan riwayat lengkap: fetch-depth 0)")
    out = git.text("diff", "--name-only", "-z", "--no-renames", "--diff-filter=AM", base, "HEAD", "--",
                   ":(glob)content/*/formulir/*.xlsx")
    return sorted(p for p in out.split("\0") if FORMULIR.match(p))


def import_changed(root: Path, since: str) -> ImporCI:
    """Import every form changed since `since` (see changed_forms). When all import, stage their
    bidang YAML and remove the forms from the index and the working tree (they stay in history);
    when one is refused, stage nothing. Raises UsageError for a bad `since`."""
    git = open_repo(root)
    done = ImporCI()
    for rel in changed_forms(git, since):
        path = root / rel
        if path.is_symlink() or not path.is_file():
            done.refused.append((rel, f"formulir {rel} tidak ada di folder kerja (atau berupa symlink)"))
            continue
        try:
            _, tahun, _, name = rel.split("/")
            result = import_form(root, path, (rel, name.removesuffix(".xlsx"), int(tahun)))
            done.imported.append((rel, result.path.relative_to(root).as_posix(), result))
        except LakipError as e:  # FormError names every bad cell (Realisasi!F7 ...)
            done.refused.append((rel, e.pesan))
    if done.refused or not done.imported:
        return done
    for rel, yaml_rel, _ in done.imported:
        if yaml_rel not in done.staged:
            git.run("add", "--", yaml_rel)
            done.staged.append(yaml_rel)
        git.run("rm", "-q", "--", rel)
        done.staged.append(rel)
    return done
