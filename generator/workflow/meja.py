"""The desk (`lakip meja`): what waits for the person at this computer, and their decision recorded
through `workflow.step.step`, the code path of `lakip step` (same checks, same signed commit).

Everything here reads the repository as data and writes only through git: a review note goes into
the step commit through a temporary index, and reaches the real index and the working tree only
after the commit exists, so a refused decision leaves nothing behind and uncommitted work is never
touched (DESIGN §5, issue 16).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.data.errors import DataInvalid, LakipError, Refused, UsageError
from generator.git import Git, GitSource, identity
from generator.render.status import StepRow, step_rows
from generator.sop.engine import KEPUTUSAN_TANPA_PILIHAN, Status
from generator.sop.progress import Progress, open_repo, progress
from generator.sop.record import Recorded, signing_problems
from generator.sop.trust import local_day
from generator.workflow.step import step as record_step

# What a commit message or a Markdown note may not hold (as `lakip step -m` refuses them).
_KENDALI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
BATAS_TEKS = 20_000  # characters of one note: a page of review, not a file upload


@dataclass(frozen=True)
class Giliran:
    """The step due now and whether the person at this computer may record it: `keputusan` the
    decisions the step allows (`selesai` when it has none), `alasan` why not when they may not."""

    no: int
    judul: str
    pelaksana: str  # the role's name
    keputusan: tuple[str, ...]
    boleh: bool
    alasan: str | None
    menerima_catatan: bool  # a deciding step: a review note may (for revisi: must) go with it
    arsip: bool = False  # the last step: recorded by `lakip archive` (manifest, commit, tag)


@dataclass(frozen=True)
class Keadaan:
    """What the desk shows, gathered once per page: the git identity and its person in the roster,
    the year's SOP state, the step due and whether it is theirs, the review notes, what the commit
    would hold (staged files) and what it would not (unstaged and untracked files)."""

    root: Path
    tahun: int
    nama: str | None
    email: str | None
    personil: m.Personil | None
    peran: tuple[str, ...]  # names of the roles the person holds today
    tanda_tangan: tuple[str, ...]  # problems of the signing setup ([] when it is ready)
    status: Status
    langkah: tuple[StepRow, ...]
    giliran: Giliran | None  # None when the SOP of the year is complete
    reviu: tuple[m.Reviu, ...]
    staged: tuple[str, ...]
    belum_staged: tuple[str, ...]
    cabang: str | None
    upstream: str | None
    belum_dikirim: int  # commits on this branch that the upstream does not have


def keadaan(root: Path, tahun: int | None = None, env: dict | None = None) -> Keadaan:
    """The desk's view of `root` now (git's idea of now: GIT_AUTHOR_DATE when set). Raises
    UsageError when `root` is not a git repository, Refused when it has no commit.

    A page view costs git processes (on Windows tens of milliseconds each): one `Git` (one object
    reader) serves the SOP's progress and the notes, and one `git status` gives the files, the
    branch and its upstream."""
    git = open_repo(root)
    ident = identity(git, env)
    now = ident.waktu if ident else dt.datetime.now(dt.UTC)
    state: Progress = progress(root, tahun, now, git=git)  # refuses a repository without a commit
    sop, roster, status = state.sop, state.roster, state.status
    tahun = status.tahun
    day = local_day(now, sop)
    person = roster.find(ident.email) if ident else None
    peran = tuple(sop.find_peran(r).nama if sop.find_peran(r) else r for r in (person.peran if person else ())
                  if person.holds(r, day))
    rows = tuple(step_rows(sop, status, roster, day))
    giliran = None
    if status.berjalan is not None:
        step = sop.find_langkah(status.berjalan)
        role = sop.find_peran(step.pelaksana)
        alasan = None
        if ident is None:
            alasan = "identitas git belum diatur di komputer ini (git config user.name dan user.email)"
        elif person is None:
            alasan = f"{ident.nama} <{ident.email}> tidak ada di sop/personil.yaml"
        elif not person.holds(step.pelaksana, day):
            holders = "; ".join(p.nama for p in roster.holders(step.pelaksana, day)) or "belum ada personil"
            alasan = (f"langkah {step.no} dikerjakan {role.nama if role else step.pelaksana} "
                      f"({holders}), bukan {person.nama}")
        giliran = Giliran(step.no, step.judul or step.kegiatan, role.nama if role else step.pelaksana,
                          tuple(step.keputusan) or (KEPUTUSAN_TANPA_PILIHAN,), alasan is None, alasan,
                          bool(step.keputusan), step.no == sop.langkah[-1].no)
    signing = signing_problems(git, person, day, env) if person is not None else []
    repo_year = _reviu(root, git, tahun)
    staged, unstaged, branch, upstream, ahead = _worktree(git)
    return Keadaan(root, tahun, ident.nama if ident else None, ident.email if ident else None, person,
                   peran, tuple(signing), status, rows, giliran, repo_year, staged, unstaged, branch,
                   upstream, ahead)


def _reviu(root: Path, git: Git, tahun: int) -> tuple[m.Reviu, ...]:
    """The year's review notes as the next commit would hold them (the index), oldest first."""
    from generator.data.load import load_repo

    tree = git.text("write-tree").strip()
    repo, _ = load_repo(root, GitSource(git, tree, ("content", "sop")))
    year = repo.find_tahun(tahun)
    return tuple(sorted(year.reviu, key=lambda r: (r.tanggal or dt.date.min, r.path))) if year else ()


def _worktree(git: Git) -> tuple[tuple[str, ...], tuple[str, ...], str | None, str | None, int]:
    """(staged paths, unstaged or untracked paths, current branch (None when detached), its upstream
    such as origin/main (None when unset), commits on the branch that the upstream does not have),
    from one `git status --porcelain=v2 --branch -z` (git-status(1), "Porcelain Format Version 2").
    An upstream whose remote-tracking branch this clone does not have (a clone of an empty server)
    has none of the branch's commits, as far as this computer knows: all are still to be sent."""
    out = git.run("status", "--porcelain=v2", "--branch", "--ahead-behind", "-z",
                  "--untracked-files=all").decode("utf-8", "replace")
    staged, unstaged = [], []
    branch = upstream = None
    ahead: int | None = None
    parts = out.split("\0")
    i = 0
    while i < len(parts):
        entry = parts[i]
        i += 1
        if entry.startswith("# branch.head "):
            name = entry.removeprefix("# branch.head ")
            branch = None if name == "(detached)" else name
        elif entry.startswith("# branch.upstream "):
            upstream = entry.removeprefix("# branch.upstream ")
        elif entry.startswith("# branch.ab "):  # only when the upstream's branch exists
            ahead = int(entry.split()[2])
        elif entry[:2] in ("1 ", "2 ", "u "):
            # changed, renamed or copied (its source path follows), unmerged: the path is the last
            # field and may hold spaces
            fields = entry.split(" ", {"1": 8, "2": 9, "u": 10}[entry[0]])
            xy, path = fields[1], fields[-1]
            if entry[0] == "2":
                i += 1
            if xy[0] != ".":
                staged.append(path)
            if xy[1] != ".":
                unstaged.append(path)
        elif entry.startswith("? "):
            unstaged.append(entry[2:])
    if upstream is not None and ahead is None:
        ahead = int(git.text("rev-list", "--count", "HEAD", check=False).strip() or 0)
    return tuple(staged), tuple(unstaged), branch, upstream, ahead or 0


def periksa_teks(label: str, text: str) -> str:
    """`text` with line breaks normalized; raises UsageError naming `label` for control
    characters (they would go into a commit or a note) or a text longer than BATAS_TEKS."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := _KENDALI.search(text):
        raise UsageError(f"{label} berisi karakter kendali U+{ord(bad.group()):04X}; hapus karakter itu")
    if len(text) > BATAS_TEKS:
        raise UsageError(f"{label} terlalu panjang ({len(text)} karakter; paling banyak {BATAS_TEKS})")
    return text


def catatan_reviu(langkah: int, peran: str, keputusan: str, tanggal: dt.date, email: str,
                  judul: str | None, isi: str) -> str:
    """The text of a review note (front matter of DESIGN §2 `reviu/*.md`, then the Markdown
    body). Strings are written as JSON strings, which YAML reads as double-quoted scalars."""
    lines = ["---", f"langkah: {langkah}", f"peran: {peran}", f"keputusan: {keputusan}",
             f"tanggal: {tanggal.isoformat()}", f"oleh: {json.dumps(email, ensure_ascii=False)}"]
    if judul:
        lines.append(f"judul: {json.dumps(judul, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "", isi.strip(), ""])


def _free_path(git: Git, tahun: int, stem: str) -> str:
    """content/<tahun>/reviu/<stem>.md, or -2, -3, ... when the name is taken in HEAD, the index
    or the working tree."""
    taken = set(git.text("ls-files", "--cached", "--others", "-z", "--", f"content/{tahun}/reviu/")
                .split("\0"))
    taken |= set(git.text("ls-tree", "-r", "--name-only", "-z", "HEAD", "--", f"content/{tahun}/reviu/")
                 .split("\0"))
    n = 1
    while True:
        rel = f"content/{tahun}/reviu/{stem}{'' if n == 1 else f'-{n}'}.md"
        if rel not in taken and not (git.root / rel).exists() and not (git.root / rel).is_symlink():
            return rel
        n += 1


@dataclass(frozen=True)
class Keputusan:
    """A decision recorded at the desk: the step commit (`recorded`) and the review note that went
    with it, if any."""

    recorded: Recorded
    catatan_path: str | None
    tag: str | None = None  # the archive tag, when the decision was the last step (`lakip archive`)


def putuskan(root: Path, no: int, keputusan: str, tahun: int, catatan: str = "", judul: str = "",
             isi: str = "", env: dict | None = None) -> Keputusan:
    """Record step `no` with `keputusan` by the person git names, through `workflow.step.step` (the
    code path of `lakip step`). `isi` (Markdown), when given, becomes a review note
    content/<tahun>/reviu/<date>-langkah-<no>-<peran>.md that goes into the same commit; `catatan`
    goes into the commit message. Raises Refused (the step's checks, in Indonesian) or UsageError
    (bad text); on any refusal nothing has changed."""
    catatan = periksa_teks("catatan", catatan).strip()
    judul = " ".join(periksa_teks("judul catatan reviu", judul).split())
    isi = periksa_teks("isi catatan reviu", isi)
    git = open_repo(root)
    if not isi.strip():
        from generator.workflow.archive import archive, is_archive_step

        if is_archive_step(root, no, tahun, env):
            # The last step is the archive (`lakip archive`): manifest, step commit, tag lakip-<tahun>.

            done = archive(root, tahun, catatan or None, env=env)
            return Keputusan(done.recorded, None, done.tag)
        return Keputusan(record_step(root, no, keputusan, catatan or None, tahun, env=env), None)
    ident = identity(git, env)
    if ident is None:  # record() says the same in its own words; the note needs the e-mail first
        raise Refused("identitas git belum diatur (petunjuk: git config user.name \"Nama Anda\" "
                      "dan git config user.email email@kantor.go.id)")
    state = progress(root, tahun, ident.waktu, git=git)
    step = state.sop.find_langkah(no)
    if step is None:
        raise UsageError(f"langkah {no} tidak ada di SOP {state.sop.id}")
    day = local_day(ident.waktu, state.sop)
    rel = _free_path(git, tahun, f"{day.isoformat()}-langkah-{no}-{step.pelaksana}")
    text = catatan_reviu(no, step.pelaksana, keputusan, day, ident.email, judul or None, isi)
    blob = git.text("hash-object", "-w", "--no-filters", "--stdin", input=text.encode("utf-8")).strip()
    with tempfile.TemporaryDirectory(prefix="lakip-meja-") as tmp:
        # The step commit is made from a copy of the index plus the note: record() commits the
        # index it is given, so the real index and working tree stay untouched until it succeeds.
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        tree = git.text("write-tree").strip()
        git.run("read-tree", tree, env=index)
        git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=index)
        done = record_step(root, no, keputusan, catatan or None, tahun, env={**(env or {}), **index})
    # Now the note is in HEAD: give the real index and the working tree the same file (git writes
    # it, and refuses to write through a symlinked folder).
    git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}")
    git.run("checkout-index", "--", rel)
    return Keputusan(done, rel)


def draft_source(root: Path) -> GitSource:
    """What the next step commit would hold (the index, as a tree): the draft a reviewer sees."""
    git = open_repo(root)
    return GitSource(git, git.text("write-tree").strip(), ("content", "sop"))


def draft_html(root: Path, tahun: int) -> str:
    """The year's document as HTML, built from the index (what a decision would approve). Raises
    DataInvalid when the data has errors the document cannot be built with."""
    from generator.workflow.outputs import Job
    from generator.workflow.snapshot import gather

    snapshot = gather(root, tahun, source=draft_source(root))
    snapshot.require_valid()
    return Job(snapshot, root / "out").html


def draft_pdf(root: Path, tahun: int, memo: dict[str, bytes] | None = None) -> bytes:
    """The same document as PDF (WeasyPrint). Raises DataInvalid like draft_html.

    `memo` (the desk's own dict) keeps the last PDF under the SHA-256 of its HTML: the PDF is a
    function of that HTML, so a reviewer who downloads the same draft again (or a browser that
    asks twice) gets it at once instead of waiting for another layout of several seconds."""
    import hashlib

    from generator.render import document

    html = draft_html(root, tahun)
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    if memo is not None and key in memo:
        return memo[key]
    data = document.pdf_pages(html)[0]
    if memo is not None:
        memo.clear()  # one draft at a time: the previous one is no longer what the index holds
        memo[key] = data
    return data


def pesan(error: LakipError) -> str:
    """The Indonesian message of a refusal, for the page."""
    if isinstance(error, DataInvalid) and error.issues:
        return error.pesan + "".join(f"\n  {i.format()}" for i in error.issues)
    return error.pesan
