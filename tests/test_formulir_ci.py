"""Excel forms through the pull request (issue 16, item 3): the import step of the CI files that
`lakip init` writes, run as the forge runs it (bash, the step's own script and environment) on a
real repository with a real remote: a good form's data is committed to the pull request's branch,
a bad cell fails the run with the cell's name and pushes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.conftest import run

BRANCH = "formulir-sekretariat"
FORM = "content/2026/formulir/sekretariat.xlsx"
DATA = "content/2026/bidang/sekretariat.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def initialized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`lakip init` run once for this module (under a HOME of its own); tests copy it."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    office = tmp_path_factory.mktemp("init") / "kantor"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                           "GIT_CONFIG_NOSYSTEM": "1"}.items():
            mp.setenv(key, value)
        for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                    "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE"):
            mp.delenv(var, raising=False)
        assert run("init", office, "--tahun", "2026").code == 0
    return office


@pytest.fixture
def uploaded(tmp_path: Path, git_home: Path, initialized: Path):
    """A new office (lakip init) on a server, and a branch on which a bidang's staff member
    uploaded the filled form, as the forge's web UI commits it; returns (clone, server, fill)."""
    server = tmp_path / "server.git"
    office = tmp_path / "kantor"
    shutil.copytree(initialized, office, symlinks=True)
    git(office, "config", "user.name", "Staf Sekretariat")
    git(office, "config", "user.email", "staf@contoh.go.id")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server)], check=True)
    git(office, "remote", "add", "origin", str(server))
    git(office, "push", "-q", "origin", "main")
    git(office, "switch", "-q", "-c", BRANCH)

    def fill(cells: dict[str, object]) -> None:
        assert run("format-data", "--repo", office, "--bidang", "sekretariat", "--tahun", "2026",
                   "--out", office / FORM).code == 0
        wb = load_workbook(office / FORM)
        for ref, value in cells.items():
            wb["Realisasi"][ref] = value
        wb.save(office / FORM)
        git(office, "add", FORM)  # not ignored
        git(office, "commit", "-q", "-m", "Unggah formulir sekretariat")
        git(office, "push", "-q", "origin", BRANCH)

    # the runner's own clone of the pull request's branch, full history
    clone = tmp_path / "runner"
    yield office, server, clone, fill


def runner_clone(server: Path, clone: Path) -> None:
    subprocess.run(["git", "clone", "-q", "--branch", BRANCH, str(server), str(clone)], check=True)


def step_script(office: Path, workflow: str) -> str:
    steps = yaml.safe_load((office / workflow).read_text(encoding="utf-8"))["jobs"]["periksa"]["steps"]
    [step] = [s for s in steps if s.get("name") == "Impor formulir Excel yang diunggah"]
    assert step["if"] == "github.event_name == 'pull_request'"
    assert step["env"] == {"BASIS": "origin/${{ github.base_ref }}", "CABANG": "${{ github.head_ref }}",
                           "FORK": "${{ github.event.pull_request.head.repo.full_name != "
                                   "github.repository }}"}
    return step["run"]


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """As GitHub/Forgejo run a `run:` step: bash --noprofile --norc -eo pipefail, lakip on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          env={**os.environ, "PATH": path, **env}, capture_output=True, text=True)


def test_a_good_form_is_committed_to_the_branch_as_yaml(uploaded) -> None:
    office, server, clone, fill = uploaded
    workflow = ".github/workflows/lakip.yml"
    # Forgejo/Gitea run the same step (only the committer's e-mail differs)
    assert step_script(office, ".forgejo/workflows/lakip.yml") == step_script(office, workflow).replace(
        "lakip-ci@users.noreply.github.com", "lakip-ci@noreply.invalid")
    fill({"F5": 87.5, "G5": "Capaian tinggi karena layanan daring.", "H5": "Pertahankan."})
    runner_clone(server, clone)
    before = git(server, "rev-parse", BRANCH).strip()
    done = run_step(step_script(office, workflow), clone, {"BASIS": "origin/main", "CABANG": BRANCH})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"{FORM}: 3 isian ditulis ke {DATA}"
    after = git(server, "rev-parse", BRANCH).strip()
    assert git(server, "rev-parse", f"{after}^").strip() == before  # one new commit on the branch
    assert git(server, "log", "-1", "--format=%an|%s", after).strip() == (
        "lakip (CI)|Data bidang dari formulir Excel (lakip impor di CI)")
    assert sorted(git(server, "show", "--name-status", "--format=", after).splitlines()) == [
        f"D\t{FORM}", f"M\t{DATA}"]
    data = yaml.safe_load(git(server, "show", f"{after}:{DATA}"))
    assert data["realisasi"]["IKU-1"] == {"nilai": 87.5, "analisis": "Capaian tinggi karena layanan daring.",
                                          "solusi": "Pertahankan."}
    assert run("validate", "--repo", clone).code == 0
    # the next run (the forge runs again on the new commit) finds nothing to import
    again = run_step(step_script(office, workflow), clone, {"BASIS": "origin/main", "CABANG": BRANCH})
    assert again.returncode == 0 and git(server, "rev-parse", BRANCH).strip() == after
    assert again.stdout == ("Tidak ada formulir Excel (content/TAHUN/formulir/BIDANG.xlsx) yang "
                            "ditambah atau diubah sejak origin/main.\n")


def test_a_bad_cell_fails_the_run_with_its_name_and_pushes_nothing(uploaded) -> None:
    office, server, clone, fill = uploaded
    fill({"F5": "delapan puluh"})
    runner_clone(server, clone)
    before = git(server, "rev-parse", BRANCH).strip()
    done = run_step(step_script(office, ".github/workflows/lakip.yml"), clone,
                    {"BASIS": "origin/main", "CABANG": BRANCH})
    assert done.returncode == 1
    [line] = done.stdout.splitlines()
    assert line.startswith(f"::error file={FORM},title=lakip impor::formulir sekretariat.xlsx berisi 1 "
                           "kesalahan; berkas YAML tidak diubah:%0A  Realisasi!F5: ")
    assert git(server, "rev-parse", BRANCH).strip() == before
    assert git(clone, "status", "--porcelain") == ""


def test_the_gitlab_job_runs_the_same_import(uploaded) -> None:
    office, server, clone, fill = uploaded
    fill({"F5": 90})
    runner_clone(server, clone)
    script = yaml.safe_load((office / ".gitlab-ci.yml").read_text(encoding="utf-8"))["periksa"]["script"][0]
    # the push URL the job builds from GitLab's variables, pointed at the test's server
    fake = "https://lakip-ci:rahasia@gitlab.contoh.go.id/dinas/lakip.git"
    git(clone, "config", f"url.{server}.insteadOf", fake)
    before = git(server, "rev-parse", BRANCH).strip()
    done = run_step(script, clone, {
        "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": BRANCH, "LAKIP_TOKEN_PUSH": "rahasia",
        "CI_SERVER_HOST": "gitlab.contoh.go.id", "CI_PROJECT_PATH": "dinas/lakip"})
    assert done.returncode == 0, done.stdout + done.stderr
    after = git(server, "rev-parse", BRANCH).strip()
    assert after != before
    assert yaml.safe_load(git(server, "show", f"{after}:{DATA}"))["realisasi"]["IKU-1"]["nilai"] == 90
    shutil.rmtree(clone)


def test_a_fork_pull_request_is_checked_out_from_the_fork_and_never_pushed_to(uploaded) -> None:
    """Review 1 item 4: validate the fork's head; the base repository's token pushes nothing."""
    office, server, clone, fill = uploaded
    for workflow in (".github/workflows/lakip.yml", ".forgejo/workflows/lakip.yml"):
        steps = yaml.safe_load((office / workflow).read_text(encoding="utf-8"))["jobs"]["periksa"]["steps"]
        assert steps[0]["with"]["repository"] == (
            "${{ github.event.pull_request.head.repo.full_name || github.repository }}")
        assert steps[0]["with"]["ref"] == "${{ github.head_ref || github.ref }}"
    fill({"F5": 87.5, "G5": "Capaian tinggi.", "H5": "Pertahankan."})
    runner_clone(server, clone)
    before = git(server, "rev-parse", BRANCH).strip()
    done = run_step(step_script(office, ".github/workflows/lakip.yml"), clone,
                    {"BASIS": "origin/main", "CABANG": BRANCH, "FORK": "true"})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [lines[0], lines[-1]] == [
        f"{FORM}: 3 isian ditulis ke {DATA}",
        "::warning title=lakip impor::pull request dari fork: data formulir diperiksa tetapi tidak di-commit "
        "ke cabang fork; jalankan lakip impor di komputer lalu push hasilnya"]
    assert git(server, "rev-parse", BRANCH).strip() == before
    assert run("validate", "--repo", clone).code == 0  # the next steps check the imported data


def test_a_form_uploaded_under_another_bidangs_name_is_refused_and_nothing_written(uploaded) -> None:
    """Review 1 item 8: koperasi.xlsx filled for sekretariat must not write sekretariat.yaml."""
    from generator.workflow.impor_ci import import_changed

    office, server, clone, fill = uploaded
    fill({"F5": 87.5})
    wrong = "content/2026/formulir/koperasi.xlsx"
    git(office, "mv", FORM, wrong)
    git(office, "commit", "-q", "-m", "Unggah formulir dengan nama lain")
    git(office, "push", "-q", "origin", BRANCH)
    runner_clone(server, clone)
    done = import_changed(clone, "origin/main")
    assert done.refused == [(wrong, f"formulir {wrong} berisi data bidang sekretariat tahun 2026, tetapi "
                                    "nama berkasnya menyebut bidang koperasi tahun 2026; tidak diimpor "
                                    f"(petunjuk: unggah formulir ini sebagai {FORM})")]
    assert (done.imported, done.staged) == ([], [])
    assert git(clone, "status", "--porcelain") == ""  # sekretariat.yaml untouched
