"""The SOP's progress, derived from step commits. Pure: history.py reads git, this decides.

Walks the year's step commits oldest first and replays the SOP as a state machine: each commit
must be the step that is due, made by a person who holds the step's role on that day, signed by
that person's registered key where the SOP requires it, with a fingerprint equal to the content it
was made on. Decisions move the flow (`setuju` on, `revisi` back to step 5); every round is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from generator.data import model as m
from generator.git import RawCommit, Signature
from generator.git.log import Graph
from generator.sop.trust import TIDAK_ADA, TIDAK_SAH, local_day, signature_state
from generator.sop.worktime import Kalender, parse_waktu

SELESAI, BERJALAN, MENUNGGU = "selesai", "berjalan", "menunggu"
KEPUTUSAN_TANPA_PILIHAN = "selesai"
TRAILER_WAJIB = ("SOP", "SOP-Tahun", "SOP-Langkah", "SOP-Keputusan", "SOP-Peran", "SOP-Konten",
                 "Signed-off-by")
_KONTEN = re.compile(r"^sha256:[0-9a-f]{64}$")
_PERSON = re.compile(r"^(?P<nama>.*?)\s*<(?P<email>[^<>\s]+)>$")


@dataclass(frozen=True)
class Temuan:
    """A finding about the SOP history (`lakip verify`/`status`): a stable `kode` from DESIGN §5's list
    (urutan-salah, peran-salah, tanda-tangan-tidak-sah, konten-berubah, ...), the commit, the step
    it concerns (None for the whole year) and the Indonesian message."""

    kode: str
    commit: str
    langkah: int | None
    pesan: str

    def as_json(self) -> dict:
        """The finding as the JSON output prints it: kode, commit, langkah, pesan."""
        return {"kode": self.kode, "commit": self.commit, "langkah": self.langkah, "pesan": self.pesan}


@dataclass(frozen=True)
class Trailers:
    """The SOP trailers of a step commit (DESIGN §5): SOP id, SOP-Tahun, SOP-Langkah, SOP-Keputusan, SOP-
    Peran, SOP-Konten ("sha256:<64 hex>" content fingerprint) and the Signed-off-by identity."""

    sop: str
    tahun: int
    langkah: int
    keputusan: str
    peran: str
    konten: str
    signoff_nama: str
    signoff_email: str


@dataclass(frozen=True)
class Catatan:
    """One recorded step: a step commit that the flow accepted."""

    no: int
    commit: str
    nama: str  # from the roster (sop/personil.yaml) when the author's email is in it, else git's
    email: str
    waktu: dt.datetime
    keputusan: str
    konten: str
    tanda_tangan: str  # SAH | TIDAK_ADA | TIDAK_SAH
    putaran: int
    durasi: int | None  # working minutes since the step before it was completed
    standar: int
    pesan: str  # the commit subject

    @property
    def terlambat(self) -> bool:
        """Whether the step took longer than its standard (`durasi` > `standar`, working minutes)."""
        return self.durasi is not None and self.durasi > self.standar


@dataclass(frozen=True)
class StatusLangkah:
    """The state of one SOP step in a year: `status` (selesai, berjalan, menunggu), `standar` its allowed
    working minutes (from `waktu`), the standing record and every round's records; for the running
    step when it became due, its deadline and the working minutes spent so far."""

    langkah: m.Langkah
    status: str
    standar: int
    catatan: Catatan | None  # the standing record of this step in the current round
    riwayat: tuple[Catatan, ...]  # every record of this step, all rounds
    mulai: dt.datetime | None = None  # for the running step: when it became due
    batas_waktu: dt.datetime | None = None
    berjalan_menit: int | None = None

    @property
    def terlambat(self) -> bool:
        """Late: the standing record took longer than `standar`, or the running step has already spent more
        working minutes than `standar`."""
        if self.catatan:
            return self.catatan.terlambat
        return self.berjalan_menit is not None and self.berjalan_menit > self.standar


@dataclass(frozen=True)
class Status:
    """The SOP state of one year, derived from git alone: every step's state, the step due now, the
    findings, the revision round, whether the document is FINAL (signing step approved, nothing up
    to it with a finding) and, when it is not, what keeps it DRAF."""

    sop: str
    tahun: int
    langkah: tuple[StatusLangkah, ...]
    berjalan: int | None  # the step that is due now, None when the SOP is complete
    temuan: tuple[Temuan, ...]
    putaran: int
    final: bool  # the signing step's approval stands and nothing up to it has a finding
    riwayat: tuple[Catatan, ...]
    # When the signing step has a standing approval but the document is not FINAL: the findings
    # that keep it DRAF (on the approval, on the chain before it, or a content change after it).
    penghalang: tuple[Temuan, ...] = ()

    def find_langkah(self, no: int) -> StatusLangkah:
        """The state of step `no`. Raises StopIteration when the SOP has no such step."""
        return next(s for s in self.langkah if s.langkah.no == no)


@dataclass(frozen=True)
class Chain:
    """What the commit graph says about a year's step commits (computed by `chain_facts`, kept
    in a cache keyed by HEAD): the chain in order, the latest time of each step commit's parents
    (Unix seconds), why each commit off the chain is off it, and for each signing approval on the
    chain the ids among the step commits and `extra` commits that are its ancestors (itself
    included)."""

    order: tuple[str, ...]
    parent_time: dict[str, int]
    off_chain: dict[str, str]
    ancestors: dict[str, tuple[str, ...]]


def chain_facts(graph: Graph, steps: list[tuple[str, int]], signing: int | None,
                extra: set[str]) -> Chain:
    """`steps`: (commit, langkah) of the year's well-formed step commits in topological order;
    `signing` the step whose approval makes the document final; `extra` other commits whose
    findings count for FINAL when they are ancestors of the approval (changes of sop/)."""
    ids = [c for c, _ in steps]
    no_of = dict(steps)
    order = _chain(graph, ids)
    on = set(order)
    parent_time = {c: max((max(graph.author_time.get(p, 0), graph.committer_time.get(p, 0))
                           for p in graph.parents.get(c, ())), default=0) for c in ids}
    off = {}
    for c in ids:
        if c in on:
            continue
        other = next((x for x in order if not graph.is_ancestor(x, c)), None)
        off[c] = (f"langkah {no_of[c]} tidak tersambung ke rantai langkah SOP tahun ini" if other is None
                  else f"langkah {no_of[c]} tidak tersambung ke rantai langkah SOP: commit langkah "
                       f"{no_of[other]} ({other[:10]}) di rantai tidak menjadi leluhurnya (persetujuan "
                       "dari cabang lain yang sudah usang)")
    wanted = set(ids) | extra
    ancestors = {c: tuple(sorted(graph.ancestors(c) & wanted)) for c in order if no_of[c] == signing}
    return Chain(tuple(order), parent_time, off, ancestors)


def parse_trailers(commit: RawCommit, sop: m.Sop) -> tuple[Trailers | None, str | None]:
    """The SOP trailers of a commit, or None with the reason they are malformed."""
    values: dict[str, list[str]] = {}
    for key, value in commit.trailers:
        values.setdefault(key, []).append(value)
    missing = [k for k in TRAILER_WAJIB if k not in values]
    if missing:
        return None, f"trailer {', '.join(missing)} tidak ada"
    doubled = [k for k in TRAILER_WAJIB if k != "Signed-off-by" and len(values[k]) > 1]
    if doubled:
        return None, f"trailer {', '.join(doubled)} ditulis lebih dari sekali"
    get = {k: values[k][0] for k in TRAILER_WAJIB}
    if not get["SOP-Tahun"].isdigit() or len(get["SOP-Tahun"]) != 4:
        return None, f"SOP-Tahun '{get['SOP-Tahun']}' bukan tahun"
    if not get["SOP-Langkah"].isdigit():
        return None, f"SOP-Langkah '{get['SOP-Langkah']}' bukan nomor langkah"
    step = sop.find_langkah(int(get["SOP-Langkah"]))
    if step is None:
        return None, f"SOP-Langkah {get['SOP-Langkah']} tidak ada di SOP {sop.id}"
    allowed = list(step.keputusan) or [KEPUTUSAN_TANPA_PILIHAN]
    if get["SOP-Keputusan"] not in allowed:
        return None, (f"SOP-Keputusan '{get['SOP-Keputusan']}' tidak sah untuk langkah {step.no}; "
                      f"diharapkan {' atau '.join(allowed)}")
    if not _KONTEN.match(get["SOP-Konten"]):
        return None, "SOP-Konten bukan sha256:<64 heksadesimal>"
    signoff = _PERSON.match(values["Signed-off-by"][-1])
    if not signoff:
        return None, f"Signed-off-by '{values['Signed-off-by'][-1]}' bukan 'Nama <email>'"
    return Trailers(get["SOP"], int(get["SOP-Tahun"]), step.no, get["SOP-Keputusan"],
                    get["SOP-Peran"], get["SOP-Konten"], signoff["nama"], signoff["email"]), None



def evaluate(sop: m.Sop, tahun: int, commits: list[RawCommit],
             in_force: dict[str, tuple[m.Sop, m.Roster]], signatures: dict[str, Signature],
             konten_at: dict[str, str], konten_head: str | None, kalender: Kalender,
             now: dt.datetime, chain: Chain | None = None,
             syarat_at: dict[str, list[str]] | None = None,
             extra: tuple[Temuan, ...] = (), revoked: dict[str, dt.date] | None = None) -> Status:
    """Replay the year's step commits (oldest first, topological order) against `sop`, the SOP in
    force at HEAD (DESIGN §5).

    `in_force` gives, per step commit, the authorized SOP and roster of its parent (trust.py), by
    which the commit is judged; `konten_at` maps each commit to the fingerprint of the content it
    was made on, `konten_head` is the fingerprint at the verified HEAD; `chain` (from git's commit
    graph) decides `rantai-putus`, `waktu-mundur` and the ancestry that counts for FINAL (without
    it the commits are taken in the order given); `syarat_at` holds,
    per step commit, the prerequisites its tree does not meet (`syarat-tidak-terpenuhi`);
    `extra` are findings found elsewhere (`perubahan-tidak-sah`) that count for FINAL;
    `revoked` the keys `dicabut` by the roster in force now (void everywhere); `now` dates the
    running step's elapsed time.
    """
    per_day = kalender.menit_per_hari
    standar = {s.no: parse_waktu(s.waktu, per_day) for s in sop.langkah}
    order = [s.no for s in sop.langkah]
    expected: int | None = order[0]
    previous: dt.datetime | None = None
    putaran = 1
    standing: dict[int, Catatan] = {}
    riwayat: list[Catatan] = []
    temuan: list[Temuan] = []
    syarat_at = syarat_at or {}

    ours: list[tuple[RawCommit, Trailers]] = []
    for commit in commits:
        trailers, problem = parse_trailers(commit, sop)
        values = dict(commit.trailers)
        if trailers is None:
            if values.get("SOP", sop.id) == sop.id and values.get("SOP-Tahun", str(tahun)) == str(tahun):
                temuan.append(Temuan("trailer-rusak", commit.id, _int(values.get("SOP-Langkah")),
                                     f"trailer SOP rusak: {problem}"))
            continue
        if trailers.sop == sop.id and trailers.tahun == tahun:
            ours.append((commit, trailers))
    ids = {c.id for c, _ in ours}
    on_chain = set(chain.order) if chain else set(ids)
    last_on_chain: RawCommit | None = None

    for commit, trailers in ours:
        step = sop.find_langkah(trailers.langkah)
        rules, roster = in_force.get(commit.id, (sop, m.Roster(())))
        judged = rules.find_langkah(step.no) or step
        temuan += _audit(commit, trailers, judged, rules, roster, signatures.get(commit.id),
                         konten_at.get(commit.id), revoked)
        for problem in syarat_at.get(commit.id, ()):
            temuan.append(Temuan("syarat-tidak-terpenuhi", commit.id, step.no,
                                 f"langkah {step.no} ({trailers.keputusan}) dicatat tanpa syaratnya: "
                                 f"{problem}"))
        if commit.id not in on_chain:
            temuan.append(Temuan("rantai-putus", commit.id, step.no, chain.off_chain.get(
                commit.id, f"langkah {step.no} tidak tersambung ke rantai langkah SOP tahun ini")))
            continue
        if chain is not None:
            temuan += _backwards(commit, step.no, last_on_chain, rules, chain.parent_time.get(commit.id, 0))
        last_on_chain = commit
        if trailers.langkah != expected:
            due = f"langkah {expected}" if expected else "tidak ada (SOP sudah selesai)"
            temuan.append(Temuan("urutan-salah", commit.id, step.no,
                                 f"langkah {step.no} dicatat padahal yang berjalan {due}"))
            continue
        durasi = kalender.menit_kerja(previous, commit.author_date) if previous else None
        person = roster.find(commit.author_email)
        state, _ = signature_state(signatures.get(commit.id), commit.author_email, person,
                                   local_day(commit.author_date, rules), revoked)
        # The name shown is the roster's, not git's copy of it (git drops a trailing '.', so
        # "M.Si." would show as "M.Si"); an unknown author keeps the git name.
        catatan = Catatan(step.no, commit.id, person.nama if person else commit.author_name,
                          commit.author_email, commit.author_date, trailers.keputusan,
                          trailers.konten, state, putaran, durasi, standar[step.no], commit.subject)
        standing[step.no] = catatan
        riwayat.append(catatan)
        previous = max(previous, commit.author_date) if previous else commit.author_date
        following = step.keputusan.get(trailers.keputusan) if step.keputusan else _after(order, step.no)
        if following is not None and following <= step.no:  # a revision loop: a new round
            putaran += 1
            for no in order[order.index(following):]:
                standing.pop(no, None)
        expected = following

    for catatan in standing.values():
        step = sop.find_langkah(catatan.no)
        if step.keputusan and _forward(step, catatan.keputusan) and konten_head \
                and catatan.konten != konten_head:
            temuan.append(Temuan("konten-berubah", catatan.commit, step.no,
                                 f"konten berubah setelah persetujuan langkah {step.no} oleh "
                                 f"{catatan.nama}: persetujuan itu tidak berlaku lagi untuk "
                                 "konten saat ini"))
    temuan += extra
    step = sop.signing_step
    signing = next((c for c in standing.values() if step is not None and c.no == step.no
                    and _forward(step, c.keputusan)), None)
    penghalang: tuple[Temuan, ...] = ()
    if signing is not None:
        # Every finding on the signing commit, on the chain before it and on a change of sop/ in
        # its history; a stale step commit off the chain is reported but does not block.
        before = set(chain.ancestors.get(signing.commit, (signing.commit,))) if chain else ids
        penghalang = tuple(t for t in temuan if t.kode == "konten-berubah" or (
            t.commit in before and (t.commit in on_chain or t.commit not in ids)))
    final = signing is not None and not penghalang

    states = []
    for step in sop.langkah:
        history = tuple(c for c in riwayat if c.no == step.no)
        if step.no == expected:
            mulai = previous
            batas = kalender.tambah_menit(mulai, standar[step.no]) if mulai else None
            elapsed = kalender.menit_kerja(mulai, now) if mulai else None
            states.append(StatusLangkah(step, BERJALAN, standar[step.no], None, history, mulai, batas,
                                        elapsed))
        elif step.no in standing:
            states.append(StatusLangkah(step, SELESAI, standar[step.no], standing[step.no], history))
        else:
            states.append(StatusLangkah(step, MENUNGGU, standar[step.no], None, history))
    return Status(sop.id, tahun, tuple(states), expected, tuple(temuan), putaran, final,
                  tuple(riwayat), penghalang)


def _chain(graph: Graph, steps: list[str]) -> list[str]:
    """The year's chain of step commits: the longest sequence in which each step commit has the
    previous one as an ancestor (ties: the one placed later by git's topological order). Step
    commits off it (a stale approval on a side branch merged later) are `rantai-putus`."""
    wanted = set(steps)
    if not wanted:
        return []
    first = min(graph.order.get(s, 0) for s in steps)
    frontier: dict[str, frozenset[str]] = {}
    nearest: dict[str, frozenset[str]] = {}
    empty: frozenset[str] = frozenset()
    for commit in sorted((c for c, i in graph.order.items() if i >= first), key=graph.order.__getitem__):
        parents = graph.parents.get(commit, ())
        if len(parents) == 1:
            found = frontier.get(parents[0], empty)
        else:
            found = frozenset().union(*(frontier.get(p, empty) for p in parents))
        if commit in wanted:
            nearest[commit] = found
            frontier[commit] = frozenset((commit,))
        else:
            frontier[commit] = found
    length: dict[str, int] = {}
    pred: dict[str, str | None] = {}
    for s in sorted(wanted, key=lambda c: graph.order.get(c, 0)):
        best = max(nearest.get(s, empty), key=lambda p: (length.get(p, 0), graph.order.get(p, 0)),
                   default=None)
        length[s] = length[best] + 1 if best else 1
        pred[s] = best
    end: str | None = max(wanted, key=lambda c: (length[c], graph.order.get(c, 0)))
    chain = []
    while end is not None:
        chain.append(end)
        end = pred[end]
    return chain[::-1]


def _backwards(commit: RawCommit, no: int, previous: RawCommit | None, rules: m.Sop,
               latest: int) -> list[Temuan]:
    """`waktu-mundur`: a step commit dated before one of its parents (`latest`, the latest author
    or committer time of its parents) or before the previous step."""
    when = int(commit.author_date.timestamp())
    try:
        zone = ZoneInfo(rules.zona_waktu)
    except (ValueError, KeyError):
        zone = dt.UTC

    def show(seconds: int) -> str:
        return dt.datetime.fromtimestamp(seconds, zone).strftime("%Y-%m-%d %H:%M")

    if previous is not None and when < int(previous.author_date.timestamp()):
        return [Temuan("waktu-mundur", commit.id, no,
                       f"langkah {no} bertanggal {show(when)}, sebelum langkah sebelumnya "
                       f"({previous.id[:10]}, {show(int(previous.author_date.timestamp()))})")]
    if when < latest:
        return [Temuan("waktu-mundur", commit.id, no,
                       f"langkah {no} bertanggal {show(when)}, sebelum commit induknya "
                       f"({show(latest)})")]
    return []


def _audit(commit: RawCommit, trailers: Trailers, step: m.Langkah, rules: m.Sop, roster: m.Roster,
           signature: Signature | None, konten: str | None,
           revoked: dict[str, dt.date] | None = None) -> list[Temuan]:
    found = []
    no = step.no

    def add(kode: str, pesan: str) -> None:
        found.append(Temuan(kode, commit.id, no, pesan))

    author = commit.author_email.lower()
    if trailers.signoff_email.lower() != author:
        add("identitas-tidak-cocok", f"Signed-off-by {trailers.signoff_email} bukan penulis commit "
                                     f"{commit.author_email}")
    if trailers.peran != step.pelaksana:
        add("peran-salah", f"SOP-Peran '{trailers.peran}' bukan pelaksana langkah {no} "
                           f"('{step.pelaksana}')")
    person = roster.find(author)
    day = local_day(commit.author_date, rules)
    if person is None:
        add("personil-tidak-dikenal", f"{commit.author_name} <{commit.author_email}> tidak ada di "
                                      "sop/personil.yaml")
    elif step.pelaksana not in person.peran:
        add("peran-salah", f"{person.nama} tidak memegang peran '{step.pelaksana}' yang "
                           f"melaksanakan langkah {no}")
    elif not person.holds(step.pelaksana, day):
        add("di-luar-masa-berlaku", f"peran '{step.pelaksana}' {person.nama} tidak berlaku pada "
                                    f"{day.isoformat()} ({_masa(person, step.pelaksana)})")
    state, reason = signature_state(signature, commit.author_email, person, day, revoked)
    if step.tanda_tangan and state == TIDAK_ADA:
        add("tanpa-tanda-tangan", f"langkah {no} wajib ditandatangani (SSH), commit ini tidak")
    elif state == TIDAK_SAH:
        add("tanda-tangan-tidak-sah", f"tanda tangan langkah {no} tidak sah untuk "
                                      f"{commit.author_email}: {reason}")
    if konten is not None and konten != trailers.konten:
        add("sidik-jari-salah", f"SOP-Konten {trailers.konten[:19]}… tidak sama dengan konten "
                                f"commit ini ({konten[:19]}…)")
    return found


def _masa(person: m.Personil, role: str) -> str:
    """The validity of a person's role, for messages: "berlaku 2024-01-01 s.d. 2024-12-31"."""
    parts = []
    for r in person.peran_rinci or (m.PeranPersonil(role, person.loc),):
        if r.id != role:
            continue
        mulai = max(r.mulai or person.berlaku_mulai, person.berlaku_mulai)
        ends = [d for d in (r.sampai, person.berlaku_sampai) if d]
        sampai = min(ends).isoformat() if ends else "-"
        parts.append(f"{mulai.isoformat()} s.d. {sampai}")
    return "berlaku " + "; ".join(parts)


def _forward(step: m.Langkah, keputusan: str) -> bool:
    target = step.keputusan.get(keputusan)
    return target is not None and target > step.no


def _after(order: list[int], no: int) -> int | None:
    i = order.index(no)
    return order[i + 1] if i + 1 < len(order) else None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
