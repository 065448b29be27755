"""A new office's repository: `lakip init`, CODEOWNERS from the roster, and CI files that are
valid YAML calling the real commands (which this test runs too)."""

from __future__ import annotations

import datetime as dt
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.data.load import load_repo
from generator.workflow.scaffold import codeowners
from tests.conftest import ROOT, run

# The two tests that build a new office's documents make it at one moment: a DRAF document is
# dated by HEAD's commit, so their documents have one key and the second build serves the first's
# stored PDF and DOCX (workflow/reuse.py) instead of rendering them again.
INIT_MOMENT = "2026-01-05T09:00:00+08:00"


def init_at_one_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(var, INIT_MOMENT)


@pytest.mark.slow
def test_init_makes_a_valid_repository_whose_site_builds(tmp_path: Path, git_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    init_at_one_moment(monkeypatch)
    target = tmp_path / "kantor"
    result = run("init", target, "--tahun", "2026")
    assert result.code == 0, result.err
    assert run("validate", "--repo", target).code == 0
    for rel in ("sop/lakip.yaml", "sop/personil.yaml", "content/instansi.yaml",
                "content/renstra/2026-2030.yaml", "content/2026/perjanjian-kinerja.yaml",
                "content/2026/bidang/sekretariat.yaml", "content/2026/narasi/penutup.md", "mkdocs.yml",
                ".github/workflows/lakip.yml", ".forgejo/workflows/lakip.yml", ".gitlab-ci.yml",
                ".github/pull_request_template.md",
                ".github/CODEOWNERS", ".pre-commit-config.yaml", "README.md", "requirements.txt",
                ".gitattributes"):
        assert (target / rel).is_file(), rel
    assert "TODO" in (target / "content/instansi.yaml").read_text(encoding="utf-8")
    git_log = (target / ".git").is_dir()
    assert git_log
    status = run("status", "--repo", target, "--json")
    assert status.code == 0
    built = run("build", "--repo", target, "--out", target / "out")
    assert built.code == 0, built.err
    assert (target / "out/site/index.html").is_file() and (target / "out/lakip-2026.pdf").is_file()
    assert run("init", target).code == 2  # never over an existing folder


def test_codeowners_follows_the_roster() -> None:
    repo, _ = load_repo(ROOT)
    text = codeowners(repo.sop, repo.personil, repo.instansi.bidang, dt.date(2026, 2, 1))
    lines = dict(line.split(" ", 1) for line in text.splitlines() if line.startswith("/"))
    emails = {p.nama.split(",")[0]: p.email for p in repo.personil}
    assert lines["/content/*/bidang/koperasi.yaml"] == (
        f"{emails['Dewi Anggraini']} {emails['Andi Muhammad Fadli']}")
    assert emails["Bambang Setiawan Lubis"] not in text  # his role ended in 2024
    assert lines["/sop/"] == f"{emails['Nurul Hidayati']} {emails['Drs. Ahmad Fauzan Ridwan']}"
    assert lines["/content/*/reviu/"] == (f"{emails['Muhammad Rizky Pratama']} {emails['Nurul Hidayati']} "
                                          f"{emails['Drs. Ahmad Fauzan Ridwan']}")
    result = run("codeowners", "--repo", ROOT)
    assert result.code == 0 and "/content/*/bidang/perindustrian.yaml" in result.out


def lakip_commands(commands: list[str]) -> list[list[str]]:
    """The lakip commands in CI script lines, up to a shell operator (`>`, `||`)."""
    found = []
    for command in commands:
        for line in command.splitlines():
            if line.strip().startswith("lakip "):
                words = shlex.split(line.strip(), comments=True)[1:]
                cut = next((i for i, w in enumerate(words) if w in (">", "||", "&&", "|", "{")), len(words))
                found.append(words[:cut])
    return found


@pytest.mark.slow
def test_workflow_files_are_valid_yaml_and_their_commands_pass(tmp_path: Path, git_home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    init_at_one_moment(monkeypatch)
    target = tmp_path / "kantor"
    run("init", target, "--tahun", "2026")
    github = yaml.safe_load((target / ".github/workflows/lakip.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["periksa"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    gh_commands = lakip_commands([s["run"] for s in steps if "run" in s])
    forgejo = yaml.safe_load((target / ".forgejo/workflows/lakip.yml").read_text(encoding="utf-8"))
    fj_steps = forgejo["jobs"]["periksa"]["steps"]
    assert fj_steps[0]["with"]["fetch-depth"] == 0
    fj_commands = lakip_commands([s["run"] for s in fj_steps if "run" in s])
    gitlab = yaml.safe_load((target / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    gl_commands = lakip_commands(gitlab["periksa"]["script"])
    root = subprocess.run(["git", "-C", str(target), "rev-list", "--max-parents=0", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    rest = [["verify", "--akar", root], ["verify", "--arsip"], ["build", "--out", "out"]]
    # the import of uploaded Excel forms runs on pull requests only (tests/test_formulir_ci.py runs it)
    assert gh_commands == fj_commands == [["impor", "--berubah-sejak", "$BASIS", "--format", "github"],
                                          ["validate", "--format", "github"], *rest]
    assert gl_commands == [["impor", "--berubah-sejak", "FETCH_HEAD"], ["validate", "--format", "gitlab"],
                           *rest]
    gh_commands, gl_commands = gh_commands[1:], gl_commands[1:]
    assert gitlab["periksa"]["script"][1] == (
        "lakip validate --format gitlab > gl-code-quality-report.json || { lakip validate; exit 1; }")
    assert gitlab["periksa"]["artifacts"]["reports"] == {"codequality": "gl-code-quality-report.json"}
    # the site is published only where the office turns it on
    assert gitlab["pages"]["script"] == ["mv out/site public"]
    assert gitlab["pages"]["rules"] == [
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $LAKIP_TERBITKAN == "gitlab-pages"'}]
    assert github["jobs"]["terbitkan"]["if"] == (
        "github.ref == 'refs/heads/main' && vars.LAKIP_TERBITKAN == 'github-pages'")
    assert "terbitkan" not in forgejo["jobs"]
    assert [s["run"] for s in fj_steps if s.get("name") == "Periksa data"] == [
        "lakip validate --format github || { lakip validate; exit 1; }"]
    distinct = [list(c) for c in dict.fromkeys(tuple(c) for c in gh_commands + gl_commands)]
    assert len(distinct) == 5  # both validate formats, then the same verify/build commands once
    for args in distinct:
        args = [a if a != "out" else str(target / "out") for a in args]
        result = run(*args, "--repo", target)
        assert result.code == 0, (args, result.out, result.err)
    assert (target / "out/site/index.html").is_file()


def test_init_pins_its_trust_root_and_line_endings(tmp_path: Path, git_home: Path) -> None:
    target = tmp_path / "kantor"
    result = run("init", target, "--tahun", "2026")
    assert result.code == 0, result.err
    root = subprocess.run(["git", "-C", str(target), "rev-list", "--max-parents=0", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert result.out.splitlines()[-1] == (
        f"Akar kepercayaan: {root} (commit pertama; tercatat di .github/workflows/lakip.yml, "
        ".forgejo/workflows/lakip.yml dan .gitlab-ci.yml sebagai lakip verify --akar). Simpan nomor "
        "ini: auditor memeriksa riwayat dari sini.")
    assert f"run: lakip verify --akar {root}\n" in (target / ".github/workflows/lakip.yml").read_text(
        encoding="utf-8")
    assert f"- lakip verify --akar {root}\n" in (target / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert f"run: lakip verify --akar {root}\n" in (target / ".forgejo/workflows/lakip.yml").read_text(
        encoding="utf-8")
    assert "* text=auto eol=lf\n" in (target / ".gitattributes").read_text(encoding="utf-8")
    verify = run("verify", "--repo", target, "--akar", root)
    assert verify.code == 0, verify.out + verify.err
    assert verify.err == f"Diperiksa dari akar kepercayaan {root[:10]} (dipilih dengan --akar).\n"


def test_pre_commit_hook_definitions() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "lakip-validate" and hooks[0]["entry"] == "lakip validate"


def test_invalid_data_still_updates_the_site_but_not_the_documents(tmp_path: Path, git_home: Path) -> None:
    root = tmp_path / "kantor"
    assert run("init", root, "--tahun", "2026").code == 0
    (root / "content/2026/bidang/sekretariat.yaml").unlink()
    result = run("build", "--repo", root, "--out", root / "out")
    assert result.code == 1
    assert "realisasi indikator IKU-1 tidak ada" in result.err
    assert result.err.rstrip().endswith(f"Situs progres tetap diperbarui di {root / 'out' / 'site'}; "
                                        "dokumen baru dibangun setelah data valid.")
    assert (root / "out/site/data-bidang.html").is_file()
    assert not (root / "out/lakip-2026.pdf").exists()


def test_ci_installs_lakip_only_from_a_source_the_office_pins(tmp_path: Path, git_home: Path) -> None:
    """Review 1 item 3: never `pip install` the unclaimed PyPI name `lakip` (dependency confusion)."""
    from packaging.requirements import Requirement

    target = tmp_path / "kantor"
    assert run("init", target, "--tahun", "2026").code == 0
    text = (target / "requirements.txt").read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.strip() and not x.startswith("#")]
    requirement = Requirement(line)
    assert (requirement.name, requirement.url) == (
        "lakip", "git+https://GANTI-ALAMAT-FORGE/GANTI-ORGANISASI/lakip@GANTI-COMMIT-40-HEKSA")
    github = yaml.safe_load((target / ".github/workflows/lakip.yml").read_text(encoding="utf-8"))
    forgejo = yaml.safe_load((target / ".forgejo/workflows/lakip.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((target / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    def install(workflow: dict) -> str:
        return next(s["run"] for s in workflow["jobs"]["periksa"]["steps"] if s.get("name") == "Pasang lakip")

    scripts = {"github": install(github), "forgejo": install(forgejo),
               "gitlab": "\n".join(gitlab["periksa"]["before_script"])}
    filled = text.replace(line, "lakip @ git+https://forge.kantor.go.id/ti/lakip@" + "a" * 40)
    for forge, script in scripts.items():
        pip_lines = [x.strip() for x in script.splitlines() if "pip install" in x and "grep" not in x]
        assert pip_lines and all(x.endswith("pip install -r requirements.txt") for x in pip_lines), forge
        [guard] = [x.strip() for x in script.splitlines() if "grep" in x]
        (target / "requirements.txt").write_text(text, encoding="utf-8")
        refused = subprocess.run(["bash", "-eo", "pipefail", "-c", guard], cwd=target,
                                 capture_output=True, text=True)
        message = ("requirements.txt belum diisi: ganti GANTI-... dengan sumber lakip milik kantor "
                   "(lihat komentar di berkas itu)")
        assert refused.returncode == 1, forge
        assert (refused.stdout + refused.stderr).strip() in (
            message, f"::error file=requirements.txt::{message}"), forge
        (target / "requirements.txt").write_text(filled, encoding="utf-8")
        passed = subprocess.run(["bash", "-eo", "pipefail", "-c", guard], cwd=target,
                                capture_output=True, text=True)
        assert (passed.returncode, passed.stdout, passed.stderr) == (0, "", ""), forge


def test_a_missing_signing_key_file_is_a_signing_problem(tmp_path: Path, git_home: Path) -> None:
    """Review 1 item 9: shown before any decision (desk, lakip step), not as git's English error."""
    from generator.git import Git
    from generator.sop.record import signing_problems

    repo, _ = load_repo(ROOT)
    import dataclasses

    from generator.data.model import KunciSsh

    first = next(iter(repo.personil))
    key = KunciSsh("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA", first.loc)
    person = dataclasses.replace(first, kunci=(key,))
    subprocess.run(["git", "init", "-q", str(tmp_path / "r")], check=True)
    git = Git(tmp_path / "r")
    missing = tmp_path / "tidak-ada" / "id_ed25519"
    env = {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "gpg.format", "GIT_CONFIG_VALUE_0": "ssh",
           "GIT_CONFIG_KEY_1": "user.signingkey", "GIT_CONFIG_VALUE_1": str(missing)}
    assert signing_problems(git, person, dt.date(2026, 2, 1), env) == [
        f"berkas kunci penandatangan git (user.signingkey) {missing} tidak ditemukan atau tidak dapat dibaca"]
