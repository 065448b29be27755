"""An SOP with the Inspektorat's reviu as a step of its own (role `inspektorat` between the
Sekretaris's paraf and the Kepala Dinas's signature), defined as data only and recorded end to end
with real signed commits: status, verify, the document's Pernyataan page and the LKE see it."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.sop.progress import progress
from generator.workflow.demo import WITA, Actor, actor_env, make_key
from generator.workflow.step import step as record
from tests.conftest import run
from tests.office import Office, ssh_keygen_available

# CI installs openssh-client: there a missing ssh-keygen fails instead of skipping.
pytestmark = pytest.mark.skipif(not ssh_keygen_available() and not os.environ.get("CI"),
                                reason="ssh-keygen is needed")

INSPEKTUR = ("Drs. H. Muhammad Ridwan Effendi, M.Si.", "inspektur@itko.example.go.id")


def _variant(sop_text: str) -> str:
    """The sample SOP with a step 8 "reviu APIP" by a new role; later steps move up by one."""
    yaml = YAML()  # YAML 1.2: PyYAML would read the key `no` as False
    sop = yaml.load(sop_text)
    sop["peran"].append({"id": "inspektorat", "nama": "Inspektur Daerah", "singkatan": "Inspektur"})
    steps = sop["langkah"]
    for step in steps:
        if step["no"] >= 8:
            step["no"] += 1
        for decision, target in step.get("keputusan", {}).items():
            step["keputusan"][decision] = target + 1 if target > 8 else target  # 7 setuju -> 8 (reviu)
    steps.insert(7, {"no": 8, "judul": "Reviu APIP", "kegiatan": "Mereviu LAKIP sebelum ditandatangani",
                     "pelaksana": "inspektorat", "kelengkapan": "Draf LAKIP yang telah diparaf",
                     "waktu": "2 Hari", "output": "Pernyataan Telah Direviu",
                     "keputusan": {"setuju": 9, "revisi": 5}, "pengesahan": "paraf"})
    out = io.StringIO()
    yaml.dump(sop, out)
    return out.getvalue()


ROLES = {1: "kepala-dinas", 2: "sekretaris", 3: "jafung", 4: "tim-kerja", 5: "tim-kerja", 6: "jafung",
         7: "sekretaris", 9: "kepala-dinas", 10: "jafung", 11: "tim-kerja", 12: "tim-kerja"}
DAYS = {1: "02T08:30", 2: "02T08:40", 3: "02T09:00", 4: "03T10:00", 5: "09T14:00", 6: "10T09:00",
        7: "10T14:00", 8: "12T10:00", 9: "13T10:00", 10: "16T09:00", 11: "16T09:30", 12: "16T09:40"}
DECISIONS = {6: "setuju", 7: "setuju", 8: "setuju", 9: "setuju"}


def _record(office: Office, no: int, inspektur: Actor) -> None:
    actor = inspektur if no == 8 else office.actors[ROLES[no]]
    record(office.root, no, DECISIONS.get(no, "selesai"), None, 2025,
           env=actor_env(actor, f"2026-02-{DAYS[no]}:00{WITA}"))


def until_step_7(office: Office) -> Actor:
    """The SOP with the reviu step and the Inspektur in the roster (one commit signed by the
    Sekretaris, a pengelola), then steps 1-7 recorded; made by the first test that asks and copied
    for the other (the Inspektur's key lives under .git/, so copies carry it). Returns the
    Inspektur."""
    def key(office: Office) -> Path:
        return office.root / ".git" / "kunci-inspektur" / "id"

    def make(office: Office) -> None:
        public = make_key(key(office), INSPEKTUR[1])
        sekretaris = office.actors["sekretaris"]
        sop = office.root / "sop/lakip.yaml"
        sop.write_text(_variant(sop.read_text(encoding="utf-8")), encoding="utf-8")
        with (office.root / "sop/personil.yaml").open("a", encoding="utf-8") as f:
            f.write(f'\n  - nama: {INSPEKTUR[0]}\n    nip: "196905121994031007"\n    email: {INSPEKTUR[1]}\n'
                    f"    jabatan: Inspektur\n    peran: [inspektorat]\n    bidang: []\n"
                    f'    kunci_ssh: "{public}"\n    berlaku: {{mulai: 2025-01-01, sampai: null}}\n')
        office.run("add", "sop")
        office.run("commit", "-q", "-S", "-m", "SOP: reviu APIP sebagai langkah 8",
                   env=actor_env(sekretaris, f"2026-01-27T09:00:00{WITA}"))
        for no in range(1, 8):
            _record(office, no, Actor(*INSPEKTUR, key(office)))

    office.prepared("sop-reviu-apip-7", make)
    return Actor(*INSPEKTUR, key(office))


@pytest.mark.slow
def test_an_sop_with_a_reviu_step_works_end_to_end(office: Office) -> None:
    inspektur = until_step_7(office)
    for no in range(8, 13):
        if no == 11:
            text = (office.root / "content/2025/pengiriman.yaml").read_text(encoding="utf-8")
            (office.root / "content/2025/pengiriman.yaml").write_text(
                text + "tanda_terima:\n  tanggal: 2026-02-16\n  penerima: Bagian Organisasi\n",
                encoding="utf-8")
            office.run("add", "content/2025/pengiriman.yaml")
        _record(office, no, inspektur)

    p = progress(office.root, 2025, dt.datetime(2026, 2, 17, 10, tzinfo=dt.UTC)).status
    assert (len(p.langkah), p.berjalan, p.final, p.temuan) == (12, None, True, ())
    step8 = p.find_langkah(8)
    assert (step8.langkah.pelaksana, step8.catatan.email, step8.catatan.tanda_tangan) == (
        "inspektorat", INSPEKTUR[1], "sah")
    assert run("verify", "--repo", office.root).code == 0
    status = run("status", "--repo", office.root).out
    assert "12/12 langkah selesai" in status

    import json

    lke = {k["id"]: k for k in json.loads(run("lke", "--repo", office.root, "--json").out)["kriteria"]}
    assert lke["3.a.4"]["jawaban"] == "Y"
    commit8 = step8.catatan.commit[:10]
    assert lke["3.a.4"]["bukti"][1] == f"commit {commit8} (langkah 8, {step8.catatan.nama}, 2026-02-12)"
    assert [lke[i]["jawaban"] for i in ("3.a.3", "3.a.6", "3.c.1")] == ["Y", "Y", "a"]
    assert lke["3.a.3"]["bukti"][0].startswith("commit ") and "(langkah 9, " in lke["3.a.3"]["bukti"][0]

    from tests.test_laporan import render_html

    html = render_html(office.root)
    assert "Pernyataan Telah Direviu" in html.split('id="pernyataan-reviu"')[1].split("</h1>")[0]


def test_a_reviu_step_by_someone_without_the_role_is_refused(office: Office) -> None:
    until_step_7(office)  # the same SOP and steps 1-7 as the end-to-end test
    from generator.data.errors import LakipError

    with pytest.raises(LakipError) as e:
        record(office.root, 8, "setuju", None, 2025,
               env=actor_env(office.actors["sekretaris"], f"2026-02-11T09:00:00{WITA}"))
    assert e.value.pesan == (
        "langkah 8 (Reviu APIP) tidak dapat dicatat:\n"
        f"  - {office.actors['sekretaris'].nama} tidak memegang peran 'inspektorat' (Inspektur Daerah) "
        "yang melaksanakan langkah 8")
