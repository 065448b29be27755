"""CI across many runners for the city portal (issue 17): a GitHub Actions workflow with a matrix
job per office and the GitLab CI equivalent (`parallel: matrix`), written from `portal.yaml`.

Each matrix job makes a full-history clone of one office's repository, runs `lakip ekspor` and
keeps `ekspor/<id>.json` (and `ekspor/<id>.log`, the messages of a failed clone or export) as an
artifact; the final job collects every artifact and runs `lakip portal --ekspor`. The runners are
the distributed engine: nothing of lakip schedules work across machines. The office values reach
the scripts through environment variables, never pasted into the script text, so a repository URL
cannot inject shell commands.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator import __version__
from generator.data.daftar import Daftar
from generator.workflow.install import INSTALL, REQUIREMENTS

GITHUB = ".github/workflows/portal.yml"
GITLAB = ".gitlab-ci.yml"
# One POSIX sh script for both CIs: clone with full history (a shallow clone cannot be judged),
# export, keep the messages beside the export whatever happens.
EKSPOR_SCRIPT = (
    'mkdir -p ekspor\n'
    'if git clone --quiet ${CABANG:+--branch "$CABANG"} -- "$REPO" kantor 2> "ekspor/$ID.log" &&\n'
    '   lakip ekspor --repo kantor ${AKAR:+--akar "$AKAR"} --out "ekspor/$ID.json" \\\n'
    '     2>> "ekspor/$ID.log"; then\n'
    '  cat "ekspor/$ID.log"\n'
    'else\n'
    '  cat "ekspor/$ID.log" >&2; exit 1\n'
    'fi\n')
PORTAL_SCRIPT = "lakip portal --daftar portal.yaml --ekspor ekspor --out situs\n"
_HEADER = ("# Dibuat oleh `lakip portal --daftar portal.yaml --ci .` dari portal.yaml; jalankan ulang "
           "perintah itu\n# setelah daftar kantor berubah (lakip {versi}).\n")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # GitHub Actions has no YAML anchors: write each copy
        return True


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: dict) -> str:
    return _HEADER.format(versi=__version__) + yaml.dump(data, Dumper=_Dumper, sort_keys=False,
                                                         allow_unicode=True, width=100)


def _matrix(daftar: Daftar) -> list[dict[str, str]]:
    return [{"ID": k.id, "REPO": k.repo, "CABANG": k.cabang or "", "AKAR": k.akar or ""}
            for k in daftar.kantor]


def github(daftar: Daftar) -> str:
    """The GitHub Actions workflow: job `ekspor` (a matrix entry per office, fail-fast off, an
    artifact `ekspor-<id>` each), then job `portal` (always, after all of them)."""
    setup = [{"uses": "actions/checkout@v4"},
             {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
             {"name": "Pasang lakip", "run": INSTALL}]
    env = {name: f"${{{{ matrix.{name.lower()} }}}}" for name in ("ID", "REPO", "CABANG", "AKAR")}
    return _dump({
        "name": "Portal LKjIP",
        "on": {"push": {"branches": ["main"]}, "schedule": [{"cron": "0 23 * * *"}],
               "workflow_dispatch": {}},
        "permissions": {"contents": "read"},
        "jobs": {
            "ekspor": {
                "name": "Ekspor ${{ matrix.id }}",
                "runs-on": "ubuntu-latest",
                "strategy": {"fail-fast": False, "matrix": {"include": [
                    {k.lower(): v for k, v in row.items()} for row in _matrix(daftar)]}},
                "env": env,
                "steps": [*setup, {"name": "Ekspor", "run": EKSPOR_SCRIPT},
                          {"uses": "actions/upload-artifact@v4", "if": "always()",
                           "with": {"name": "ekspor-${{ matrix.id }}", "path": "ekspor/",
                                    "if-no-files-found": "ignore"}}],
            },
            "portal": {
                "needs": "ekspor",
                "if": "always()",
                "runs-on": "ubuntu-latest",
                "steps": [*setup,
                          {"uses": "actions/download-artifact@v4",
                           "with": {"pattern": "ekspor-*", "path": "ekspor", "merge-multiple": True}},
                          {"name": "Portal", "run": PORTAL_SCRIPT},
                          {"uses": "actions/upload-artifact@v4",
                           "with": {"name": "portal", "path": "situs/"}}],
            },
        },
    })


def gitlab(daftar: Daftar) -> str:
    """The GitLab CI file: job `ekspor` with `parallel: matrix` (one entry per office), artifacts
    kept even when a job fails, then job `portal` (`needs` all of them, `when: always`)."""
    return _dump({
        "default": {"image": "python:3.11", "before_script": [INSTALL]},
        "stages": ["ekspor", "portal"],
        "ekspor": {
            "stage": "ekspor",
            "parallel": {"matrix": _matrix(daftar)},
            "script": [EKSPOR_SCRIPT],
            "artifacts": {"when": "always", "paths": ["ekspor/"], "expire_in": "1 week"},
        },
        "portal": {
            "stage": "portal",
            "when": "always",
            "needs": [{"job": "ekspor", "artifacts": True}],
            "script": [PORTAL_SCRIPT],
            "artifacts": {"paths": ["situs/"]},
        },
    })


def write_ci(daftar: Daftar, target: Path) -> list[Path]:
    """Write both CI files into `target` (the portal's repository); returns their paths."""
    from generator.store import write_file

    written = []
    for rel, text in ((GITHUB, github(daftar)), (GITLAB, gitlab(daftar))):
        write_file(target, target / rel, text)
        written.append(target / rel)
    return written


DAFTAR_CONTOH = """# Daftar kantor portal LKjIP kota (lakip portal). Ganti isian TODO.
# Rujukan kunci: docs/portal.md di repositori lakip.
judul: Portal LKjIP Kota TODO
pemerintah: Pemerintah Kota TODO
kantor:
  - nama: Dinas TODO Satu
    id: dinas-satu
    repo: https://git.example.go.id/dinas-satu/lakip.git   # TODO: alamat clone atau folder
    cabang: main
  - nama: Dinas TODO Dua
    id: dinas-dua
    repo: https://git.example.go.id/dinas-dua/lakip.git   # TODO
"""


def init_portal(target: Path) -> Path:
    """A new portal repository at `target` (new or empty): portal.yaml to fill, both CI files,
    requirements.txt, .gitignore; `git init` and a first commit. Raises UsageError/DataInvalid."""
    from generator.data.daftar import load_daftar
    from generator.data.errors import DataInvalid
    from generator.git import Git
    from generator.git import identity as git_identity

    (target / "portal.yaml").write_text(DAFTAR_CONTOH, encoding="utf-8")
    daftar, issues = load_daftar(target / "portal.yaml", "portal.yaml")
    if daftar is None:
        raise DataInvalid("portal.yaml contoh tidak sah: " + "; ".join(i.format() for i in issues))
    write_ci(daftar, target)
    (target / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    (target / ".gitignore").write_text("ekspor/\nsitus/\n", encoding="utf-8")
    git = Git(target)
    git.run("init", "-q", "-b", "main")
    fallback = {"NAME": "lakip init", "EMAIL": "init@lakip.invalid"}
    identity = {} if git_identity(git) is not None else {
        f"GIT_{who}_{k}": v for who in ("AUTHOR", "COMMITTER") for k, v in fallback.items()}
    git.run("add", "-A")
    git.run("-c", "commit.gpgsign=false", "commit", "-q", "-m", "Portal LKjIP baru (lakip init --portal)",
            env=identity)
    return target
