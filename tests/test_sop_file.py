"""sop/lakip.yaml says what the SOP document says (docs/sumber/sop-penyusunan-lakip.txt is a
copy of the office's document as it was handed to the project)."""

from __future__ import annotations

import re

from generator.data.load import load_repo
from tests.conftest import ROOT

SOURCE = (ROOT / "docs" / "sumber" / "sop-penyusunan-lakip.txt").read_text(encoding="utf-8")


def _numbered(cell: str) -> list[str]:
    """'<ol ...>1. A2. B' -> ['A', 'B'] (the document's lists lost their line breaks)."""
    cell = re.sub(r"<[^>]+>", "", cell)
    return [part.strip() for part in re.split(r"(?:^|(?<=[A-Za-z)]))\d\. ", cell) if part.strip()]


def _ol_cells() -> list[list[str]]:
    cells = []
    for line in SOURCE.splitlines():
        if line.startswith("<ol"):
            cells += [_numbered(cell) for cell in line.split("\t")]
    return cells


def test_steps_are_worded_as_in_the_document() -> None:
    rows = [[c for c in line.split("\t") if c.strip()] for line in SOURCE.splitlines()
            if re.match(r"^\d+\t", line)]
    sop = load_repo(ROOT)[0].sop
    assert len(rows) == len(sop.langkah) == 11
    for row, step in zip(rows, sop.langkah, strict=True):
        assert row == [str(step.no), step.kegiatan, step.kelengkapan, step.waktu, step.output]


def test_header_lists_are_as_in_the_document() -> None:
    sop = load_repo(ROOT)[0].sop
    dasar, kualifikasi, keterkaitan, peralatan, peringatan, pencatatan = _ol_cells()
    assert list(sop.dasar_hukum) == dasar and len(dasar) == 4
    assert list(sop.kualifikasi_pelaksana) == kualifikasi and len(kualifikasi) == 4
    assert list(sop.keterkaitan) == keterkaitan and len(keterkaitan) == 3
    assert list(sop.peralatan) == peralatan and len(peralatan) == 4
    assert list(sop.peringatan) == peringatan
    assert list(sop.pencatatan) == pencatatan


def test_header_fields_are_as_in_the_document() -> None:
    sop = load_repo(ROOT)[0].sop
    assert f"Nomor SOP\t{sop.nomor}" in SOURCE
    assert "Tanggal Pembuatan\t4 Mei 2026" in SOURCE and str(sop.tanggal_pembuatan) == "2026-05-04"
    assert "Tanggal efektif\t4 Mei 2026" in SOURCE and str(sop.tanggal_efektif) == "2026-05-04"
    assert "Tanggal Revisi\t-" in SOURCE and sop.tanggal_revisi is None
    assert f"Judul SOP\t{sop.judul}" in SOURCE
    signer = sop.disahkan_oleh
    assert (f"{signer['jabatan']}  {signer['nama']} {signer['pangkat']} ({signer['golongan']}) "
            f"NIP. {signer['nip']}") in SOURCE
    assert [r.nama for r in sop.peran] == ["Tim Kerja Perencanaan Program",
                                           "Pejabat Fungsional Perencana", "Sekretaris", "Kepala Dinas"]


def test_decisions_and_signatures() -> None:
    sop = load_repo(ROOT)[0].sop
    assert {s.no: s.keputusan for s in sop.langkah if s.keputusan} == {
        6: {"setuju": 7, "revisi": 5}, 7: {"setuju": 8, "revisi": 5}, 8: {"setuju": 9, "revisi": 5}}
    assert [s.pelaksana for s in sop.langkah] == [
        "kepala-dinas", "sekretaris", "jafung", "tim-kerja", "tim-kerja", "jafung", "sekretaris",
        "kepala-dinas", "jafung", "tim-kerja", "tim-kerja"]
    assert all(s.tanda_tangan for s in sop.langkah)
    assert [s.no for s in sop.langkah if s.pengesahan == "tanda-tangan"] == [8]
    assert (sop.jam_kerja[0].isoformat(), sop.jam_kerja[1].isoformat(), sop.zona_waktu) == (
        "08:00:00", "16:00:00", "Asia/Makassar")
