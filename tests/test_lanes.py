"""A parallel `lakip build` (issue 18: builders in parallel): the report laid out and written
here while a forked process builds the website, the surat and the DOCX (its page numbers sent
from here); the same files, byte for byte, as a serial build."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.office import Office


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_parallel_build_writes_the_same_files_as_a_serial_one(office: Office, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import types

    from generator.workflow import snapshot

    class Moment(dt.datetime):  # both builds at one moment: the pages show step 4's elapsed time
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 2, 4, 2, 0, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr(snapshot, "dt", types.SimpleNamespace(**{**vars(dt), "datetime": Moment}))
    office.run_until(3)  # step 4 runs: the website offers the bidang's forms too
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")  # nothing stored: both builds render everything
    serial = run("build", "--repo", office.root, "--out", tmp_path / "serial", "--jobs", "1")
    parallel = run("build", "--repo", office.root, "--out", tmp_path / "paralel", "--jobs", "2")
    assert (serial.code, parallel.code) == (0, 0), parallel.err
    a, b = _files(tmp_path / "serial"), _files(tmp_path / "paralel")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # the downloads the early-built website offers are the documents, not their placeholders
    for name in ("lakip-2025.pdf", "lakip-2025.docx", "surat-pengantar-2025.pdf"):
        assert b[f"site/unduh/{name}"] == b[name] != b""
    assert any(name.startswith("site/unduh/formulir/") for name in b)
    # each progress line once, whole (the forked lane's lines are printed by this process)
    assert sorted(parallel.err.replace("paralel", "serial").splitlines()) == sorted(serial.err.splitlines())
    assert parallel.out.replace("paralel", "serial") == serial.out
    assert not list((tmp_path / "paralel").glob(".situs-*"))  # the new site folder was swapped in


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_failed_document_leaves_no_half_built_site(office: Office, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.data.errors import Refused
    from generator.workflow import outputs

    def broken(job):
        raise Refused("DOCX rusak (uji)")

    office.run_until(3)
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")
    monkeypatch.setitem(outputs.BUILDERS, "docx", broken)  # fails in the forked lane
    result = run("build", "--repo", office.root, "--out", tmp_path / "out", "--jobs", "2")
    assert (result.code, result.err.splitlines()[-1]) == (1, "lakip: galat: DOCX rusak (uji)")
    assert not (tmp_path / "out" / "site").exists()
    assert not list((tmp_path / "out").glob(".situs-*"))


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_failed_pdf_stops_the_other_lane_too(office: Office, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked lane's DOCX waits for page numbers from the PDF's layout here: when the PDF
    fails first, it ends (its pipe closed) instead of waiting forever."""
    from generator.data.errors import Refused
    from generator.render import document

    def broken(self):
        raise Refused("PDF rusak (uji)")

    office.run_until(3)
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")
    monkeypatch.setattr(document.Laid, "pages", broken)  # before any page number is sent
    result = run("build", "--repo", office.root, "--out", tmp_path / "out", "--jobs", "2")
    assert (result.code, result.err.splitlines()[-1]) == (1, "lakip: galat: PDF rusak (uji)")
    assert not (tmp_path / "out" / "site").exists()
    assert not list((tmp_path / "out").glob(".situs-*"))
