"""The pipelines behind the commands, each reading top to bottom: load -> check -> ... -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.data.errors import DataInvalid, Issue, UsageError, sorted_issues
from generator.data.load import CONTENT, SOP_FILE, for_year, load_repo
from generator.data.validate import validate
from generator.workflow import outputs
from generator.workflow.outputs import DOCUMENTS, FORMATS, Job
from generator.workflow.snapshot import gather

if TYPE_CHECKING:
    from generator.figures.capaian import Figures
    from generator.render.document import DocumentState


def find_repo(start: Path | None) -> Path:
    """The repository root: --repo as given, else the nearest folder upward holding content/."""
    if start is not None:
        root = start.resolve()
        if not root.is_dir():
            raise UsageError(f"folder repositori '{start}' tidak ada")
        if not ((root / CONTENT).is_dir() or (root / SOP_FILE).is_file()):
            raise UsageError(f"'{start}' bukan repositori lakip: folder content/ dan berkas "
                             f"{SOP_FILE} tidak ditemukan")
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONTENT).is_dir() or (folder / SOP_FILE).is_file():
            return folder
    raise UsageError("folder ini bukan repositori lakip: content/ atau sop/lakip.yaml tidak "
                     "ditemukan di sini maupun di folder induknya (petunjuk: pakai --repo DIR, "
                     "atau buat repositori baru dengan lakip init DIR)")


def run_validate(root: Path, tahun: int | None = None) -> list[Issue]:
    """All issues of the repository, sorted; with `tahun`, other years' files are left out."""
    repo, issues = load_repo(root)
    issues += validate(repo)
    if tahun is not None:
        if repo.find_tahun(tahun) is None and not (root / CONTENT / str(tahun)).is_dir():
            known = ", ".join(str(t.tahun) for t in repo.tahun) or "(belum ada)"
            raise UsageError(f"folder content/{tahun}/ tidak ada; tahun yang ada: {known}")
        issues = for_year(issues, tahun)
    return sorted_issues(issues)


# ---------------------------------------------------------------- lakip build


@dataclass(frozen=True)
class Built:
    tahun: int
    files: tuple[Path, ...]
    state: DocumentState
    notes: tuple[str, ...]


def run_figures(root: Path, tahun: int | None = None) -> Figures:
    """The year's figures (default the newest year); DataInvalid while its data has errors."""
    snapshot = gather(root, tahun)
    snapshot.require_valid()
    return snapshot.figures()


def run_build(root: Path, out: Path, tahun: int | None = None,
              progress: Callable[[str], None] = lambda _: None, ref: str | None = None,
              formats: tuple[str, ...] = FORMATS, jobs: int = 1) -> Built:
    """Gather the snapshot once, then run the output builders of `formats` (outputs.py) into `out`.

    With `ref` (a tag such as lakip-2025, or any commit), everything is read from that commit's
    tree, templates included, and the working tree is not read at all: an archived year rebuilds
    exactly as it was archived. The documents need the year's data valid (DataInvalid otherwise);
    the website does not: during step 4 the data is incomplete by nature, and the site is where
    the office sees what is missing, so it is still built before the documents are refused.

    `jobs` > 1 runs independent builders in separate processes (outputs.run); each document
    output whose inputs did not change is reused from the store (workflow/reuse.py)."""
    from generator.store import UnsafePath, check_folder, check_replaceable

    try:  # an --out that is a file, a device or a symlink is refused before any work is done
        check_folder(out)
    except UnsafePath as e:
        raise UsageError(f"folder keluaran --out tidak dapat dipakai: {e.pesan}") from None
    if "site" in formats:
        try:  # and so is an out/site of someone else's files, which the site would replace
            check_replaceable(out / "site", "situs")
        except UnsafePath as e:
            raise UsageError(e.pesan) from None
    progress("memuat dan memeriksa data")
    snapshot = gather(root, tahun, ref=ref)
    job = Job(snapshot, out, progress)
    documents = [f for f in formats if f in DOCUMENTS]
    invalid = snapshot.invalid()
    if documents and invalid:
        if "site" in formats and ref is None and (root / "mkdocs.yml").is_file():
            progress("data belum valid: hanya situs yang dibangun")
            outputs.run(job, ("site",))
            raise DataInvalid(f"{invalid.pesan}\nSitus progres tetap diperbarui di {out / 'site'}; "
                              "dokumen baru dibangun setelah data valid.", invalid.issues)
        raise invalid
    written = outputs.run(job, formats, jobs)
    notes = (*snapshot.state.alasan, *job.notes) if documents else tuple(job.notes)
    return Built(snapshot.tahun, tuple(written), snapshot.state, notes)


def serve_site(root: Path, address: str, ready: Callable[[str], None] | None = None) -> None:
    from generator.workflow.mkdocs_plugin import serve_site as serve

    serve(root, address, ready)
