"""Synthetic offices of a city (issue 17): N small, valid office repositories, each with its own
data and a signed SOP history, made fast from one prepared office.

`Kota.prepare(folder)` runs `demo.prepare` once (the sample office, fresh SSH keys registered in
its roster, the first commit). `Kota.office(i, target)` copies that repository, varies its data
(the office's name, every realisasi `nilai` and the sub kegiatan budget realisasi, by factors of
`i`) in one commit by Tim Kerja, then records SOP steps as SSH-signed step commits with the
trailers and content fingerprint `lakip step` writes (the commits `git commit-tree -S` writes, the
way tests/office.py forges, but every value correct: `lakip verify` finds nothing). Office `i`
stops at a step chosen from `i`, some take a revision round (step 7 sends the draft back with a
review note), some run late. `Kota.offices([...])` makes many at once, the same bytes: the n-th
steps of all offices are signed by one `ssh-keygen -Y sign` per key. Used by
bench/bench_portal.py and tests/test_portal.py.

The steps are not made through `record()` (the path of `lakip step`) only for speed: `record()`
evaluates the whole SOP before each commit; here one office of 11 steps takes ~0.3 s. `lakip
verify` replays every check `record()` makes (role, order, signature, fingerprint, syarat), so a
generated history that verifies clean is one `lakip step` could have written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.load import load_definitions
from generator.data.source import FsSource
from generator.git import Git, GitSource
from generator.sop.fingerprint import fingerprint
from generator.sop.worktime import from_sop, parse_waktu
from generator.workflow.demo import Actor, actor_env, prepare

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
    # The template's commit after each of its shared first steps (0: the first commit).
    shared: dict[int, str] = field(default_factory=dict)

    @classmethod
    def prepare(cls, folder: Path, shared_steps: int = 0) -> Kota:
        """The one prepared office every generated office is copied from. With `shared_steps`
        (at most 3: steps 1-3 come before the bidang deliver their data), the template records
        those first steps itself and every office continues its history from there: their
        signatures are then the same commits in every office, checked once per process by
        the portal (`signatures` caches by commit id). The tests use it to keep forty offices
        cheap; the benchmark does not (a real city shares no commits)."""
        git, actors, _ = prepare(folder / "templat")
        sop, _, _ = load_definitions(FsSource(folder / "templat"))
        kota = cls(folder / "templat", actors, sop)
        kota.shared[0] = git.text("rev-parse", "HEAD").strip()
        if shared_steps:
            template = _Office(kota.template, git, kota.shared[0])
            template.tree()
            kota._lay_out(template, 0, Rencana(min(shared_steps, 3), revisi=False, telat=False))
            kota._sign([template])
            for n, (commit, _) in enumerate(template.objects, start=1):
                kota.shared[n] = commit
        # One pack instead of a hundred loose objects: each office copies the folder.
        git.run("repack", "-a", "-d", "-q")
        shutil.rmtree(git.git_dir() / "hooks")
        return kota

    def office(self, i: int, target: Path, rencana: Rencana | None = None) -> Path:
        """Office number `i` at `target`, with its own data and SOP history (`Rencana.untuk(i)`)."""
        return self.offices([(i, target, rencana)])[0]

    def offices(self, wanted: list[tuple[int, Path, Rencana | None]]) -> list[Path]:
        """Offices made together: each `(i, target, rencana)` as `office()` makes it, byte for byte
        (ed25519 signatures are deterministic), but the n-th step commits of all offices are
        signed in one `ssh-keygen -Y sign` per key (a process per signature is most of the cost
        of a city) and each office's commits are written by one `git hash-object`."""
        from generator.store import deferred

        # The fingerprint caches are written once, not after each tree (a save rewrites the file).
        with deferred():
            made = [self._plan(i, target, rencana or Rencana.untuk(i)) for i, target, rencana in wanted]
            self._sign(made)
        return [o.target for o in made]

    def _sign(self, made: list[_Office]) -> None:
        """Sign and store the laid-out steps of `made`, round by round."""
        with tempfile.TemporaryDirectory(prefix="kota-tanda-tangan-") as tmp:
            for round_ in range(max((len(o.steps) for o in made), default=0)):
                batch = [(o, o.steps[round_]) for o in made if round_ < len(o.steps)]
                payloads = [o.payload(s, self._message(o.git, s)) for o, s in batch]
                signed = _sign(Path(tmp), round_, [(s.actor.key, p) for (_, s), p in zip(batch, payloads,
                                                                                        strict=True)])
                for (o, _), payload, signature in zip(batch, payloads, signed, strict=True):
                    o.add(_with_signature(payload, signature))
            for o in made:
                o.write(Path(tmp))

    def _plan(self, i: int, target: Path, rencana: Rencana) -> _Office:
        """Copy the template, vary its data (the Tim Kerja commit, after the shared steps), and
        lay out the office's own step commits."""
        shutil.copytree(self.template, target, symlinks=True)
        git = Git(target)
        first = min(rencana.sampai, len(self.shared) - 1)  # the template's steps this office keeps
        office = _Office(target, git, self.shared[first])
        if office.head != self.shared[len(self.shared) - 1]:
            git.run("update-ref", "HEAD", office.head)
        _vary(target, i)
        git.run("add", "-A", "content")
        tim = self.actors["tim-kerja"]
        when = self._timeline(rencana)[first - 1] if first else dt.datetime(2026, 1, 27, 10,
                                                                               tzinfo=START.tzinfo)
        message = f"Data kinerja {TAHUN} kantor sintetis {i}\n"
        office.add(_commit(office.tree(), office.head, tim, when, message))
        self._lay_out(office, first, rencana, i)
        return office

    def _steps(self, rencana: Rencana) -> list[tuple[int, str]]:
        """The steps recorded for `rencana`, in order."""
        plan = [(no, "selesai") for no in range(1, 6)]
        if rencana.revisi:
            plan += [(6, "setuju"), (7, "revisi"), (5, "selesai")]
        plan += [(6, "setuju"), (7, "setuju"), (8, "setuju"), (9, "selesai"), (10, "selesai"),
                 (11, "selesai")]
        stop = _position(plan, rencana.sampai) if rencana.sampai else 0
        return plan[:stop]

    def _timeline(self, rencana: Rencana) -> list[dt.datetime]:
        """When each step of `rencana` is recorded: half its standard time after the previous
        one, 1.6 times it for steps 4, 5 and 9 of a late office (working time of the SOP)."""
        sop = self.sop
        kalender = from_sop(sop)
        standar = {s.no: s for s in sop.langkah}
        moments: list[dt.datetime] = []
        for no, _ in self._steps(rencana):
            if no == 1:
                moments.append(START)
                continue
            minutes = parse_waktu(standar[no].waktu, sop.menit_per_hari)
            factor = 1.6 if rencana.telat and no in (4, 5, 9) else 0.5
            moments.append(kalender.tambah_menit(moments[-1], max(1, int(minutes * factor))))
        return moments

    def _lay_out(self, office: _Office, first: int, rencana: Rencana, i: int = 0) -> None:
        """The office's step commits after its first `first`: who, when, and the tree each
        records (the review note of a revision round and the tanda terima are added in the step
        that needs them)."""
        target, git = office.target, office.git
        tree = office.tree_id
        steps = self._steps(rencana)
        for (no, keputusan), moment in list(zip(steps, self._timeline(rencana), strict=True))[first:]:
            if no == 7 and keputusan == "revisi":
                note = f"content/{TAHUN}/reviu/{moment.date()}-langkah-7-sekretaris.md"
                path = target / note
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(_REVIU.format(tanggal=moment.date(), email=self.actors["sekretaris"].email,
                                              tahun=TAHUN), encoding="utf-8")
                git.run("add", note)
                tree = office.tree()
            if no == 10:
                path = target / "content" / str(TAHUN) / "pengiriman.yaml"
                path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" +
                                _TANDA_TERIMA.format(i=i, tanggal=moment.date()), encoding="utf-8")
                git.run("add", f"content/{TAHUN}/pengiriman.yaml")
                tree = office.tree()
            office.steps.append(_Step(no, keputusan, moment, tree, self.actors[ROLE[no]], ROLE[no]))

    def _message(self, git: Git, s: _Step) -> str:
        if s.tree not in self._fingerprints:
            self._fingerprints[s.tree] = fingerprint(GitSource(git, s.tree), TAHUN)
        return _message(s.no, s.keputusan, s.role, self._fingerprints[s.tree], s.actor)

    def step(self, git: Git, no: int, keputusan: str, moment: dt.datetime,
             actor: Actor | None = None, role: str | None = None) -> str:
        """One signed step commit of the index's tree on HEAD, as `lakip step` writes it."""
        actor = actor or self.actors[ROLE[no]]
        tree = git.text("write-tree").strip()
        if tree not in self._fingerprints:
            self._fingerprints[tree] = fingerprint(GitSource(git, tree), TAHUN)
        message = _message(no, keputusan, role or ROLE[no], self._fingerprints[tree], actor)
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


def _message(no: int, keputusan: str, role: str, konten: str, actor: Actor) -> str:
    """A step commit's message with the trailers `lakip step` writes."""
    trailers = {"SOP": "lakip", "SOP-Tahun": str(TAHUN), "SOP-Langkah": str(no),
                "SOP-Keputusan": keputusan, "SOP-Peran": role, "SOP-Konten": konten}
    lines = [f"{k}: {v}" for k, v in trailers.items()]
    lines.append(f"Signed-off-by: {actor.nama} <{actor.email}>")
    return f"LAKIP {TAHUN} · Langkah {no} ({keputusan})\n\n" + "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Step:
    no: int
    keputusan: str
    moment: dt.datetime
    tree: str
    actor: Actor
    role: str


@dataclass
class _Office:
    """One office being made: its commits (as git stores them), the last one its HEAD."""

    target: Path
    git: Git
    head: str
    steps: list[_Step] = field(default_factory=list)
    objects: list[tuple[str, bytes]] = field(default_factory=list)
    tree_id: str = ""

    def tree(self) -> str:
        """The index written as a tree (`git write-tree`)."""
        self.tree_id = self.git.text("write-tree").strip()
        return self.tree_id

    def payload(self, s: _Step, message: str) -> bytes:
        return _commit(s.tree, self.head, s.actor, s.moment, message)

    def add(self, body: bytes) -> None:
        """The next commit on HEAD (its id is the SHA-1 git gives it)."""
        self.head = hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()
        self.objects.append((self.head, body))

    def write(self, tmp: Path) -> None:
        """Store the commits (git checks each one's format) and point the branch at the last.
        The index and the work tree already hold its tree: every file the steps change was
        written and added (`_lay_out`), so no checkout is needed."""
        folder = tmp / self.target.name
        folder.mkdir()
        paths = []
        for n, (_, body) in enumerate(self.objects):
            paths.append(folder / f"{n:03d}")
            paths[-1].write_bytes(body)
        out = self.git.text("hash-object", "-t", "commit", "-w", "--stdin-paths",
                            input="\n".join(map(str, paths)).encode() + b"\n")
        assert out.split() == [c for c, _ in self.objects], (self.target, out)
        self.git.run("update-ref", "HEAD", self.head)


def _crud(c: str) -> bool:
    return c <= " " or c in ".,:;<>\"\\'"


def _ident(actor: Actor, moment: dt.datetime) -> str:
    """`Name <email> epoch +hhmm` as git writes an author or committer (ident.c: leading and
    trailing "crud" characters are dropped from the name, and newlines and angle brackets
    within)."""
    name = actor.nama
    while name and _crud(name[0]):
        name = name[1:]
    while name and _crud(name[-1]):
        name = name[:-1]
    name = "".join(c for c in name if c not in "\n<>")
    offset = int(moment.utcoffset().total_seconds()) // 60
    sign = "-" if offset < 0 else "+"
    return (f"{name} <{actor.email}> {int(moment.timestamp())} "
            f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}")


def _commit(tree: str, parent: str, actor: Actor, moment: dt.datetime, message: str) -> bytes:
    """A commit object's bytes (author = committer), as `git commit-tree` writes them."""
    ident = _ident(actor, moment)
    return (f"tree {tree}\nparent {parent}\nauthor {ident}\ncommitter {ident}\n\n{message}").encode()


def _with_signature(payload: bytes, signature: bytes) -> bytes:
    """The commit with its SSH signature as the `gpgsig` header after the committer line (the
    header git's `commit-tree -S` adds; git verifies the commit without it)."""
    head, _, message = payload.partition(b"\n\n")
    lines = signature.rstrip(b"\n").split(b"\n")
    header = b"gpgsig " + b"\n ".join(lines)
    return head + b"\n" + header + b"\n\n" + message


def _sign(tmp: Path, round_: int, items: list[tuple[Path, bytes]]) -> list[bytes]:
    """`ssh-keygen -Y sign -n git` of each payload with its key: one process per key."""
    by_key: dict[Path, list[tuple[int, Path]]] = {}
    for n, (key, payload) in enumerate(items):
        path = tmp / f"r{round_:02d}-{n:03d}"
        path.write_bytes(payload)
        by_key.setdefault(key, []).append((n, path))
    signed: list[bytes] = [b""] * len(items)
    for key, files in by_key.items():
        subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", "git", "-f", str(key),
                        *(str(p) for _, p in files)], check=True, capture_output=True)
        for n, path in files:
            signed[n] = path.with_name(path.name + ".sig").read_bytes()
    return signed
