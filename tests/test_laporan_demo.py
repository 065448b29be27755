"""`lakip lke` on the demo: a complete, signed SOP year (slow: the demo runs the whole SOP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run

LKE_DEMO = [  # the demo: signed, reviewed by APIP, sent on 23 February 2026
    ("3.a.1", "Y", 0.5), ("3.a.2", "Y", 0.5), ("3.a.3", "Y", 0.5), ("3.a.4", "Y", 0.5),
    ("3.a.5", None, 0), ("3.a.6", "Y", 0.5),
    ("3.b.1", "a", 0.5), ("3.b.2", "a", 0.5), ("3.b.3", "a", 0.5), ("3.b.4", "a", 0.5),
    ("3.b.5", "a", 0.5), ("3.b.6", "d", 0.13), ("3.b.7", "a", 0.5), ("3.b.8", "a", 0.5),
    ("3.b.9", "a", 0.5),
    ("3.c.1", "a", 1.07), ("3.c.2", "a", 1.07), ("3.c.3", "b", 0.8), ("3.c.4", None, 0),
    ("3.c.5", "b", 0.8), ("3.c.6", None, 0), ("3.c.7", None, 0)]


@pytest.mark.slow
def test_lke_on_the_demo_criterion_by_criterion(demo, git_home: Path) -> None:
    target, made = demo  # the session's demo, which `lke` only reads
    assert made.code == 0, made.err
    result = run("lke", "--repo", target, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [(k["id"], k["jawaban"], k["nilai"]) for k in data["kriteria"]] == LKE_DEMO
    assert [(s["id"], s["nilai"]) for s in data["subkomponen"]] == [("3.a", 2.5), ("3.b", 4.13),
                                                                     ("3.c", 3.75)]
    assert data["nilai"] == 10.38
    by_id = {k["id"]: k for k in data["kriteria"]}
    assert by_id["3.a.3"]["bukti"][0].endswith(", 2026-02-20), tanda tangan SSH sah, konten tidak berubah")
    assert "(langkah 8, " in by_id["3.a.3"]["bukti"][0]
    assert by_id["3.a.6"]["bukti"] == [
        "content/2025/pengiriman.yaml: tanda terima 2026-02-23, batas 2026-02-28"]
    assert [b.split(" (")[1].split(",")[0] for b in by_id["3.c.1"]["bukti"]] == ["langkah 1", "langkah 8"]
    assert by_id["3.a.1"]["bukti"][-1].startswith("commit ") and "(langkah 5, " in by_id["3.a.1"]["bukti"][-1]
