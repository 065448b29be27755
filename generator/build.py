"""The pipelines behind the commands, each reading top to bottom: load -> check -> ... -> write."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Issue, LakipError, sorted_issues
from generator.load import CONTENT, SOP_FILE, load_repo
from generator.validate import validate


def find_repo(start: Path | None) -> Path:
    """The repository root: --repo as given, else the nearest folder upward holding content/."""
    if start is not None:
        root = start.resolve()
        if not root.is_dir():
            raise LakipError(f"folder repositori '{start}' tidak ada", exit_code=2)
        if not ((root / CONTENT).is_dir() or (root / SOP_FILE).is_file()):
            raise LakipError(f"'{start}' bukan repositori lakip: folder content/ dan berkas "
                             f"{SOP_FILE} tidak ditemukan", exit_code=2)
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONTENT).is_dir() or (folder / SOP_FILE).is_file():
            return folder
    raise LakipError("folder ini bukan repositori lakip: content/ atau sop/lakip.yaml tidak "
                     "ditemukan di sini maupun di folder induknya (petunjuk: pakai --repo DIR, "
                     "atau buat repositori baru dengan lakip init DIR)", exit_code=2)


def run_validate(root: Path, tahun: int | None = None) -> list[Issue]:
    """All issues of the repository, sorted; with `tahun`, other years' files are left out."""
    repo, issues = load_repo(root)
    issues += validate(repo)
    if tahun is not None:
        if repo.year(tahun) is None and not (root / CONTENT / str(tahun)).is_dir():
            known = ", ".join(str(t.tahun) for t in repo.tahun) or "(belum ada)"
            raise LakipError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}",
                             exit_code=2)
        others = {f"{CONTENT}/{t.tahun}/" for t in repo.tahun if t.tahun != tahun}
        issues = [i for i in issues if not any(i.loc.path.startswith(o) for o in others)]
    return sorted_issues(issues)
