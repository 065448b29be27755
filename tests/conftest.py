"""Shared fixtures: a private copy of the sample office, and running `lakip` in-process."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run(*args: str | Path) -> Result:
    """Run `lakip ARGS` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # argparse usage errors and --help/--version
            code = e.code if isinstance(e.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """lakip's caches (store.py) go to a folder of this test session, never the user's."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))  # the caches' keys


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the project's sample office (content/ and sop/) that a test may break."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "sop", repo / "sop")
    return repo


def edit(repo: Path, rel: str, old: str, new: str, occurrence: int | None = None) -> tuple[int, int]:
    """Replace `old` in a file (the only occurrence, or the n-th when `occurrence` is given);
    return the 1-based line and column where `new` starts."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    if occurrence is None:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        occurrence = 1
    start = -1
    for _ in range(occurrence):
        start = text.index(old, start + 1)
    path.write_text(text[:start] + new + text[start + len(old):], encoding="utf-8")
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


def position(repo: Path, rel: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th occurrence of `needle` in a file."""
    text = (repo / rel).read_text(encoding="utf-8")
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


# ---------------------------------------------------------------- real git repositories


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Isolate git from the machine: own HOME, empty global config, no system config."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory):
    """Offices recorded once per session (prepared, after each step, archived) that tests copy."""
    from tests.office import Recordings

    return Recordings(tmp_path_factory.mktemp("rekaman"))


@pytest.fixture
def office(tmp_path: Path, git_home: Path, recordings):
    """The sample office as a git repository with SSH keys for one holder of each SOP role
    (a copy of the session's prepared office; `run_until` copies recorded steps too)."""
    from tests.office import Office

    return Office.create(tmp_path / "kantor", recordings)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """`lakip demo --tte` run once per test run, with what it printed; tests only read it, or
    copy it (`shutil.copytree(..., symlinks=True)`) before they change anything. With `--tte`
    (the plain demo plus a sop/ commit of the TTE trust root and the signed PDF, stored by step 11)
    one demo serves the demo's, the archive's and the TTE's tests.

    The suite runs on pytest-xdist workers, each with its own session: the first worker to ask
    makes the demo in the folder all workers' temporary folders share, under a lock, and the
    others wait for it and read it."""
    import fcntl
    import json

    shared = _shared_base(tmp_path_factory)
    target, printed = shared / "demo" / "kantor", shared / "demo" / "keluaran.json"
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not printed.is_file():
            if target.parent.exists():  # a worker that died half-way: start again
                shutil.rmtree(target.parent)
            target.parent.mkdir()
            home = target.parent / "home"
            home.mkdir()
            (home / ".gitconfig").write_text("", encoding="utf-8")
            with pytest.MonkeyPatch.context() as mp:
                for key, value in {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                                   "GIT_CONFIG_NOSYSTEM": "1"}.items():
                    mp.setenv(key, value)
                # The demo renders its final PDF for the TTE and again for the archive: once here.
                _render_once(mp, _shared_folder(tmp_path_factory, "dirender"))
                result = run("demo", target, "--tte")
            printed.write_text(json.dumps([result.code, result.out, result.err]), encoding="utf-8")
    code, out, err = json.loads(printed.read_text(encoding="utf-8"))
    return target, Result(code, out, err)


_RENDERED: dict[str, Any] = {}


def _shared_folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder every xdist worker of this run sees (in the parent of the workers' base folders)."""
    folder = _shared_base(factory) / name
    folder.mkdir(exist_ok=True)
    return folder


def _shared_base(factory: pytest.TempPathFactory) -> Path:
    import os

    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _remembered(folder: Path, key: str, make):
    """`make()` once per test run for `key`: from this process's memory, else from the run's
    shared folder (another worker rendered it), else made and stored there (bytes, or a
    document.Pdf as its bytes and a JSON of the rest). A lock per key makes a worker that asks
    while another renders the same HTML wait for it instead of rendering it too (both workers
    share two cores). Writes are atomic renames."""
    import fcntl
    import json
    import os

    from generator.render.document import Pdf

    if key in _RENDERED:
        return _RENDERED[key]
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()
    data, meta = folder / f"{name}.bin", folder / f"{name}.json"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if data.is_file() and (key.startswith("docx|") or meta.is_file()):
            value = data.read_bytes()
            if not key.startswith("docx|"):
                rest = json.loads(meta.read_text(encoding="utf-8"))
                value = Pdf(value, rest["pages"], rest["fonts"],
                            {k: tuple(v) for k, v in rest["kotak"].items()})
        else:
            value = make()
            temporary = f".{os.getpid()}.tmp"
            if isinstance(value, Pdf):
                meta.with_name(meta.name + temporary).write_text(json.dumps(
                    {"pages": value.pages, "fonts": value.fonts, "kotak": value.kotak}), encoding="utf-8")
                os.replace(meta.with_name(meta.name + temporary), meta)
            data.with_name(data.name + temporary).write_bytes(value.data if isinstance(value, Pdf) else value)
            os.replace(data.with_name(data.name + temporary), data)
    _RENDERED[key] = value
    return value


# The latest WeasyPrint layouts made in this process, by the SHA-256 of their HTML: a PDF/A copy of
# an HTML whose plain PDF was rendered here is written from the same layout, as `lakip archive`
# does with its own Job.laid.
_LAID: dict[str, Any] = {}


def _render_once(mp: pytest.MonkeyPatch, folder: Path) -> None:
    """Patch the renderers so that each distinct HTML is rendered once per test run (`_remembered`
    in `folder`); see `rendered_once`."""
    from generator.render import document, docx

    real_plain, real_arsip, real_docx = document.Laid.plain, document.Laid.arsip, docx.docx_bytes

    def plain(self: document.Laid) -> document.Pdf:
        html = hashlib.sha256(self.html.encode("utf-8")).hexdigest()

        def make() -> document.Pdf:
            made = real_plain(self)
            _LAID[html] = self
            while len(_LAID) > 4:
                _LAID.pop(next(iter(_LAID)))
            return made

        return _remembered(folder, "pdf|" + html, make)

    def arsip(self: document.Laid, lampiran=()) -> document.Pdf:
        html = hashlib.sha256(self.html.encode("utf-8")).hexdigest()
        extra = "|".join(f"{a.nama}:{hashlib.sha256(a.data).hexdigest()}" for a in lampiran)
        laid = _LAID.get(html, self)
        return _remembered(folder, f"arsip|{extra}|{html}", lambda: real_arsip(laid, lampiran))

    def pages(self: document.Laid) -> dict[str, int]:
        return dict(plain(self).pages)

    def docx_bytes(html: str, meta) -> bytes:
        key = "docx|" + hashlib.sha256(f"{meta!r}\n{html}".encode()).hexdigest()
        return _remembered(folder, key, lambda: real_docx(html, meta))

    # every PDF goes through a Laid: document.render_pdf, pdf_pages, pdf and the builders' Job.laid
    mp.setattr(document.Laid, "plain", plain)
    mp.setattr(document.Laid, "arsip", arsip)  # the archive's PDF/A copy
    mp.setattr(document.Laid, "pages", pages)  # a parallel build's DOCX page numbers
    mp.setattr(docx, "docx_bytes", docx_bytes)  # write_docx goes through it too


@pytest.fixture
def rendered_once(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Reuse the PDF and DOCX of an identical HTML rendered earlier in this test run (by any
    xdist worker: they share a folder).

    WeasyPrint and the DOCX writer turn the same HTML into the same bytes (test_document's
    reproducibility test and test_archive's rebuild from the tag check this on real builds), and
    they cost most of a build. Tests whose subject is not the rendering (the archive's tags, the
    year's cycle) rebuild the same documents several times; with this fixture only the first
    build of each HTML renders."""
    _render_once(monkeypatch, _shared_folder(tmp_path_factory, "dirender"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# The modules that cost most, costliest first (CPU seconds on 2 cores, measured 2026-12-01). With
# `--dist loadfile --no-loadscope-reorder` (pyproject addopts) the xdist workers take modules in
# collection order, so the long ones start first and the short ones fill the end: both workers
# finish at about the same time. xdist's own order (most tests first) left one worker idle for
# tens of seconds while the other ran a long module it had taken last. A module missing here
# runs after these, in its usual order; the order never changes what a test checks.
COSTLIEST = ("test_archive.py", "test_portal.py", "test_meja.py", "test_engine.py", "test_document.py",
             "test_tte.py", "test_site.py", "test_lanes.py", "test_trust.py", "test_cycle.py",
             "test_formulir_ci.py", "test_office.py", "test_wheel.py", "test_site_pages.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(COSTLIEST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: order within kept
