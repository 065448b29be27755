"""`lakip lke`: the LKE self-assessment of component Pelaporan Kinerja (PermenPANRB 88/2021), from
the year's data, figures and signed SOP history. Also used by the site's "Evaluasi LKE" page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.data.errors import LakipError
from generator.data.load import load_repo
from generator.data.source import FsSource
from generator.figures.capaian import compute
from generator.figures.lke import HasilLke, assess


def run_lke(root: Path, tahun: int | None = None, now: dt.datetime | None = None) -> HasilLke:
    """Load, compute and assess; the SOP history is read when `root` is a git repository."""
    from generator.git import Git

    repo, _ = load_repo(root, FsSource(root))
    if not repo.tahun:
        raise LakipError("belum ada folder tahun di content/", exit_code=2)
    tahun = tahun or max(t.tahun for t in repo.tahun)
    if repo.find_tahun(tahun) is None:
        known = ", ".join(str(t.tahun) for t in repo.tahun)
        raise LakipError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}", exit_code=2)
    try:
        figures = compute(repo, tahun)
    except ValueError as e:
        raise LakipError(f"LKE tidak dapat dinilai: {e} (petunjuk: jalankan lakip validate)") from None
    now = now or dt.datetime.now(dt.UTC)
    progress, final = None, False
    git = Git(root)
    if git.is_repo() and git.head() and repo.sop and repo.personil is not None:
        from generator.sop.progress import approval
        from generator.sop.progress import progress as read_progress

        progress = read_progress(root, tahun, now)
        final = approval(root, tahun, FsSource(root), known=progress)[0]
    zone = repo.sop.zona_waktu if repo.sop else "Asia/Makassar"
    from zoneinfo import ZoneInfo

    return assess(repo, figures, progress, final, now.astimezone(ZoneInfo(zone)).date())
