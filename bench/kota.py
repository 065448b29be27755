"""Synthetic offices of a city (issue 17): N small, valid office repositories, each with its own
data and a signed SOP history, made fast from one prepared office.

`Kota.prepare(folder)` runs `demo.prepare` once (the sample office, fresh SSH keys registered in
its roster, the first commit). `Kota.office(i, target)` copies that repository, varies its data
(the office's name, every realisasi `nilai` and the sub kegiatan budget realisasi, by factors of
`i`) in one commit by Tim Kerja, then records SOP steps as SSH-signed step commits with the
trailers and content fingerprint `lakip step` writes (`git commit-tree -S`, the way tests/office.py
forges, but every value correct: `lakip verify` finds nothing). Office `i` stops at a step chosen
from `i`, some take a revision round (step 7 sends the draft back with a review note), some run
late. Used by bench/bench_portal.py and tests/test_portal.py.

The steps are not made through `record()` (the path of `lakip step`) only for speed: `record()`
evaluates the whole SOP before each commit; here one office of 11 steps takes ~0.3 s. `lakip
verify` replays every check `record()` makes (role, order, signature, fingerprint, syarat), so a
generated history that verifies clean is one `lakip step` could have written.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.load import load_definitions
from generator.data.source import FsSource
from generator.git import Git, GitSource
from generator.sop.fingerprint import fingerprint
from generator.sop.worktime import from_sop, parse_waktu
from generator.workflow.demo import WITA, Actor, actor_env, prepare

TAHUN = 2025
ROLE = {1: "kepala-dinas", 2: "sekretaris", 3: "jafung", 4: "tim-kerja", 5: "tim-kerja",
        6: "jafung", 7: "sekretaris", 8: "kepala-dinas", 9: "jafung", 10: "tim-kerja",
        11: "tim-kerja"}
START = dt.datetime(2026, 2, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_REVIU = """---
langkah: 7
peran: sekretaris
keputusan: revisi
tanggal: {tanggal}
oleh: {email}
judul: Koreksi draft LAKIP {tahun}
---

Bab IV Penutup belum memuat rencana tindak lanjut untuk indikator yang capaiannya rendah.
"""
_TANDA_TERIMA = """
tanda_terima:
  nomor: TT/ORG/2026/{i:03d}
  tanggal: {tanggal}
  penerima: Rahmawati, S.Sos.
"""


@dataclass(frozen=True)
class Rencana:
    """What office `i` gets: the last step recorded, a revision round, late steps."""

    sampai: int  # last step recorded (0: none)
    revisi: bool
    telat: bool

    @classmethod
    def untuk(cls, i: int) -> Rencana:
        sampai = (3, 4, 5, 6, 8, 9, 10, 11, 11, 11, 11)[i % 11]
        return cls(sampai, revisi=i % 4 == 1 and sampai >= 8, telat=i % 3 == 0)


@dataclass
class Kota:
    template: Path
    actors: dict[str, Actor]
    sop: object  # the template's loaded SOP (generator.data.model.Sop)
    _fingerprints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def prepare(cls, folder: Path) -> Kota:
        """The one prepared office every generated office is copied from."""
        _, actors, _ = prepare(folder / "templat")
        sop, _, _ = load_definitions(FsSource(folder / "templat"))
        return cls(folder / "templat", actors, sop)

    def office(self, i: int, target: Path, rencana: Rencana | None = None) -> Path:
        """Office number `i` at `target`, with its own data and SOP history (`Rencana.untuk(i)`)."""
        rencana = rencana or Rencana.untuk(i)
        shutil.copytree(self.template, target, symlinks=True)
        git = Git(target)
        _vary(target, i)
        git.run("add", "-A", "content")
        tim = self.actors["tim-kerja"]
        git.run("commit", "-q", "-m", f"Data kinerja {TAHUN} kantor sintetis {i}",
                env=actor_env(tim, f"2026-01-27T10:00:00{WITA}"))
        sop = self.sop
        kalender = from_sop(sop)
        standar = {s.no: s for s in sop.langkah}

        when = START
        plan = [(no, "selesai") for no in range(1, 6)]
        if rencana.revisi:
            plan += [(6, "setuju"), (7, "revisi"), (5, "selesai")]
        plan += [(6, "setuju"), (7, "setuju"), (8, "setuju"), (9, "selesai"), (10, "selesai"),
                 (11, "selesai")]
        stop = _position(plan, rencana.sampai) if rencana.sampai else 0
        for no, keputusan in plan[:stop]:
            if no == 1:
                moment = when
            else:
                minutes = parse_waktu(standar[no].waktu, sop.menit_per_hari)
                factor = 1.6 if rencana.telat and no in (4, 5, 9) else 0.5
                moment = kalender.tambah_menit(when, max(1, int(minutes * factor)))
            if no == 7 and keputusan == "revisi":
                note = f"content/{TAHUN}/reviu/{moment.date()}-langkah-7-sekretaris.md"
                path = target / note
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(_REVIU.format(tanggal=moment.date(), email=self.actors["sekretaris"].email,
                                              tahun=TAHUN), encoding="utf-8")
                git.run("add", note)
            if no == 10:
                path = target / "content" / str(TAHUN) / "pengiriman.yaml"
                path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" +
                                _TANDA_TERIMA.format(i=i, tanggal=moment.date()), encoding="utf-8")
                git.run("add", f"content/{TAHUN}/pengiriman.yaml")
            self.step(git, no, keputusan, moment)
            when = moment
        git.run("reset", "-q", "--hard")  # the work tree follows HEAD (commit-tree leaves it)
        return target

    def step(self, git: Git, no: int, keputusan: str, moment: dt.datetime,
             actor: Actor | None = None, role: str | None = None) -> str:
        """One signed step commit of the index's tree on HEAD, as `lakip step` writes it."""
        actor = actor or self.actors[ROLE[no]]
        tree = git.text("write-tree").strip()
        if tree not in self._fingerprints:
            self._fingerprints[tree] = fingerprint(GitSource(git, tree), TAHUN)
        trailers = {"SOP": "lakip", "SOP-Tahun": str(TAHUN), "SOP-Langkah": str(no),
                    "SOP-Keputusan": keputusan, "SOP-Peran": role or ROLE[no],
                    "SOP-Konten": self._fingerprints[tree]}
        lines = [f"{k}: {v}" for k, v in trailers.items()]
        lines.append(f"Signed-off-by: {actor.nama} <{actor.email}>")
        message = (f"LAKIP {TAHUN} · Langkah {no} ({keputusan})\n\n" + "\n".join(lines) + "\n")
        env = actor_env(actor, moment.isoformat())
        new = git.text("commit-tree", "-S", tree, "-p", "HEAD", "-F", "-", input=message.encode(),
                       env=env).strip()
        git.run("update-ref", "HEAD", new)
        return new


def _position(plan: list[tuple[int, str]], no: int) -> int:
    """How many steps of `plan` are recorded when step `no` is last recorded (its last
    occurrence: a revision round records 5, 6 and 7 twice)."""
    return max(i for i, (n, _) in enumerate(plan, start=1) if n == no)


def _scale(match: re.Match, factor: float, digits: int) -> str:
    value = float(match.group(2)) * factor
    return f"{match.group(1)}{round(value, digits) if digits else int(value)}"


def _vary(root: Path, i: int) -> None:
    """The office's own name and numbers: realisasi `nilai` × (0.8 .. 1.2), sub kegiatan budget
    realisasi × (0.70 .. 0.94) (never above its pagu)."""
    nilai = 0.8 + (i % 9) * 0.05
    anggaran = 0.70 + (i % 7) * 0.04
    instansi = root / "content" / "instansi.yaml"
    text = instansi.read_text(encoding="utf-8")
    instansi.write_text(re.sub(r"(?m)^nama: (.*)$", lambda m: f"nama: Kantor Sintetis {i:03d}",
                               text, count=1), encoding="utf-8")
    for path in sorted((root / "content" / str(TAHUN) / "bidang").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(    nilai: )(\d+(?:\.\d+)?)$", lambda m: _scale(m, nilai, 2), text)
        text = re.sub(r"(?m)^(    realisasi: )(\d{5,})$", lambda m: _scale(m, anggaran, 0), text)
        path.write_text(text, encoding="utf-8")
