"""`lakip lke`: the LKE self-assessment of component Pelaporan Kinerja (PermenPANRB 88/2021), from
the year's data, figures and signed SOP history. Also used by the site's "Evaluasi LKE" page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.data.errors import DataInvalid
from generator.figures.lke import HasilLke, assess
from generator.workflow.snapshot import gather


def run_lke(root: Path, tahun: int | None = None, now: dt.datetime | None = None) -> HasilLke:
    """The year's LKE assessment from one snapshot: its data, figures and, when `root` is a git
    repository, its SOP progress and approval. Raises UsageError for a missing year folder,
    DataInvalid when the figures cannot be computed."""
    from zoneinfo import ZoneInfo

    snapshot = gather(root, tahun, now=now)
    repo = snapshot.repo
    try:
        figures = snapshot.figures()
    except ValueError as e:
        raise DataInvalid(f"LKE tidak dapat dinilai: {e} (petunjuk: jalankan lakip validate)") from None
    progress, final = None, False
    if snapshot.is_git and repo.sop and repo.personil is not None:
        progress, final = snapshot.progress, not snapshot.state.draf
    zone = repo.sop.zona_waktu if repo.sop else "Asia/Makassar"
    return assess(repo, figures, progress, final, snapshot.now.astimezone(ZoneInfo(zone)).date())
