"""A new office's repository (`lakip init`) and CODEOWNERS from the roster (`lakip codeowners`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator.data import model as m
from generator.data.errors import DataInvalid, UsageError
from generator.git import Git
from generator.git import identity as git_identity
from generator.render.templates import DEFAULTS
from generator.template import template_dir
from generator.workflow.install import REQUIREMENTS

KANTOR = DEFAULTS / "kantor"
PROJECT = template_dir()
NARASI = (("kata-pengantar", "Kata Pengantar"), ("pendahuluan", "Pendahuluan"),
          ("perencanaan-kinerja", "Perencanaan Kinerja"), ("penutup", "Penutup"))
_IGNORE = "out/\n.lakip/situs/*\n!.lakip/situs/.gitignore\n__pycache__/\n*.xlsx\n!content/*/formulir/*.xlsx\n"


def codeowners(sop: m.Sop, roster: m.Roster, bidang: tuple[m.Bidang, ...],
               today: dt.date) -> str:
    """CODEOWNERS text: each bidang file to its staff, review notes to the reviewers (the
    pelaksana of deciding steps), sop/ to the two last approvers (e.g. Sekretaris, Kepala Dinas)."""
    active = [p for p in roster if p.active_on(today)]

    def owners(emails: list[str]) -> str:
        return " ".join(dict.fromkeys(emails)) or "# TODO: belum ada personil"

    deciding = [s for s in sop.langkah if s.keputusan]
    reviewers = [p.email for s in deciding for p in active if p.holds(s.pelaksana, today)]
    approvers = [p.email for s in deciding[-2:] for p in active if p.holds(s.pelaksana, today)]
    lines = ["# Dibuat oleh `lakip codeowners` dari sop/personil.yaml; jangan diubah manual, jalankan",
             "# ulang perintah itu setelah personil berubah. Email harus email akun GitHub/GitLab.", ""]
    for b in bidang:
        staff = [p.email for p in active if b.id in p.bidang]
        lines.append(f"/content/*/bidang/{b.id}.yaml {owners(staff)}")
    lines.append(f"/content/*/reviu/ {owners(reviewers)}")
    lines.append(f"/sop/ {owners(approvers)}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def new_folder(target: Path) -> Iterator[Path]:
    """The folder `lakip init`/`lakip demo` fill: made absolute (so git and key paths never depend
    on the current folder), new or empty, and removed again, with all it holds, when the command
    fails (nothing half-made is left). Raises UsageError for a file, a link or a folder
    that holds files."""
    target = Path(os.path.abspath(target))
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"'{target}' sudah ada dan bukan folder; pilih folder baru atau kosong")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"folder '{target}' sudah berisi berkas; pilih folder baru atau kosong")
    existed = target.is_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"folder '{target}' tidak dapat dibuat: {e.strerror or e}") from None
    try:
        yield target
    except BaseException:
        if existed:  # the folder was empty: everything in it now was made by this command
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        else:
            shutil.rmtree(target, ignore_errors=True)
        raise


# Text is stored with LF whatever the checkout does (Git for Windows: core.autocrlf=true), so the
# bytes of bukti and the content fingerprint are the same on every machine.
_ATTRIBUTES = """# lakip: teks disimpan dengan akhir baris LF di semua komputer (sidik jari konten sama)
* text=auto eol=lf
*.pdf binary
*.docx binary
*.xlsx binary
*.png binary
*.jpg binary
*.jpeg binary
"""


def init(target: Path, tahun: int | None = None) -> Path:
    """Scaffold an office repository at `target`: SOP, roster template, a valid content skeleton
    with TODOs, mkdocs.yml, CI files, README; then `git init` and a first commit."""
    from generator.data.load import load_definitions
    from generator.data.source import FsSource
    from generator.render.templates import environment

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"'{target}' sudah ada dan tidak kosong; pilih folder baru atau kosong")
    tahun = tahun or dt.date.today().year
    env = environment()
    target.mkdir(parents=True, exist_ok=True)

    def render(template: str, rel: str, **ctx) -> None:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = env.get_template(f"kantor/{template}").render(tahun=tahun, **ctx)
        path.write_text(text, encoding="utf-8")

    def copy(source: Path, rel: str) -> None:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / rel)

    copy(PROJECT / "sop" / "lakip.yaml", "sop/lakip.yaml")
    sop, _, issues = load_definitions(FsSource(target))
    if sop is None:
        raise DataInvalid("SOP templat lakip tidak dapat dibaca: " + "; ".join(i.format() for i in issues))
    render("personil.yaml.j2", "sop/personil.yaml", peran_sop=sop.peran)
    _, roster, _ = load_definitions(FsSource(target))
    render("instansi.yaml.j2", "content/instansi.yaml")
    render("renstra.yaml.j2", f"content/renstra/{tahun}-{tahun + 4}.yaml", mulai=tahun, selesai=tahun + 4)
    render("perjanjian-kinerja.yaml.j2", f"content/{tahun}/perjanjian-kinerja.yaml")
    render("bidang.yaml.j2", f"content/{tahun}/bidang/sekretariat.yaml")
    for bagian, judul in NARASI:
        render("narasi.md.j2", f"content/{tahun}/narasi/{bagian}.md", bagian=bagian, judul=judul)
    for keep in (f"content/{tahun}/reviu/.gitkeep", f"content/{tahun}/bukti/.gitkeep"):
        (target / keep).parent.mkdir(parents=True, exist_ok=True)
        (target / keep).touch()
    render("README.md.j2", "README.md")
    _ci_files(target)
    (target / ".gitattributes").write_text(_ATTRIBUTES, encoding="utf-8")
    copy(KANTOR / "pull_request_template.md", ".github/pull_request_template.md")
    copy(KANTOR / "pull_request_template.md", ".gitlab/merge_request_templates/Default.md")
    copy(KANTOR / "pre-commit-config.yaml", ".pre-commit-config.yaml")
    (target / ".github/CODEOWNERS").write_text(
        codeowners(sop, roster, (m.Bidang("sekretariat", "Sekretariat", None),), dt.date(tahun, 1, 1)),
        encoding="utf-8")
    mkdocs = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_name: LAKIP Diskopukmperin Kota Samarinda", "site_name: LAKIP")
    (target / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    (target / ".lakip/situs").mkdir(parents=True, exist_ok=True)
    (target / ".lakip/situs/.gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    (target / ".gitignore").write_text(_IGNORE, encoding="utf-8")
    (target / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")

    git = Git(target)
    git.run("init", "-q", "-b", "main")
    fallback = {"NAME": "lakip init", "EMAIL": "init@lakip.invalid"}  # only when git has no identity
    identity = {} if git_identity(git) is not None else {
        f"GIT_{who}_{k}": v for who in ("AUTHOR", "COMMITTER") for k, v in fallback.items()}
    git.run("add", "-A")
    git.run("-c", "commit.gpgsign=false", "commit", "-q", "-m",
            f"Repositori LAKIP baru (lakip init, tahun {tahun})", env=identity)
    # The first commit is the trust root (DESIGN §5): CI verifies from it, so a history rewritten
    # later (a new first commit with another roster) does not verify.
    root = git.text("rev-parse", "HEAD").strip()
    _pin_root(target, git, root)
    git.run("-c", "commit.gpgsign=false", "commit", "-q", "-m",
            f"CI: verifikasi dari akar kepercayaan {root[:10]}", env=identity)
    return target


# The CI files `lakip init` writes (repository path -> template in site_templates/kantor/) and the
# line of each that runs `lakip verify`, which _pin_root completes with the trust root.
CI_FILES = {
    ".github/workflows/lakip.yml": ("lakip.yml", "run: lakip verify\n"),
    ".forgejo/workflows/lakip.yml": ("forgejo.yml", "run: lakip verify\n"),
    ".gitlab-ci.yml": ("gitlab-ci.yml", "- lakip verify\n"),
}


def _ci_files(target: Path) -> None:
    """GitHub Actions, Forgejo/Gitea Actions and GitLab CI: validate (errors on the pull request's
    lines), verify, build; the site is published only where the office turns it on."""
    for rel, (template, _) in CI_FILES.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(KANTOR / template, target / rel)


def _pin_root(target: Path, git: Git, root: str) -> None:
    """Make every CI file verify from the trust root `root` (`lakip verify --akar ROOT`) and stage it."""
    for rel, (_, line) in CI_FILES.items():
        path = target / rel
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(line, line.replace("lakip verify", f"lakip verify --akar {root}")),
                        encoding="utf-8")
        git.run("add", rel)
