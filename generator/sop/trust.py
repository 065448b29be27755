"""Trust: which SOP and roster are in force at each commit (DESIGN §5 "Trust").

Anyone who can push can edit sop/personil.yaml, so the rules are authenticated along history the
way sequoia-git authenticates a signing policy kept in the repository:

- verification starts at a trust root (`--akar`, else the root recorded in the newest archive
  manifest, else the first commit on the first-parent line that added sop/personil.yaml);
- a commit whose sop/ differs from every parent must be SSH-signed by someone who, by the roster
  in force at its (first) parent, holds a `pengelola` role on the commit's date; otherwise it is
  `perubahan-tidak-sah` and the last authorized sop/ stays in force;
- a commit whose sop/ equals a parent's inherits that parent's authorized sop/ (so a clean merge
  of an authorized change needs no signature of its own);
- a step commit may never change sop/ itself.

Pure apart from the loader and git answers passed in: `authenticate` walks the graph in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from generator.data import model as m
from generator.data.errors import LakipError, Refused, UsageError
from generator.git import Git, GitSource, Signature
from generator.git.log import Graph, PathCommit

SAH, TIDAK_ADA, TIDAK_SAH = "sah", "tidak-ada", "tidak-sah"


@dataclass(frozen=True)
class Akar:
    """The trust root: the commit whose sop/ is trusted without a signature, and why it was chosen."""

    commit: str
    sumber: str  # how it was chosen, in Indonesian, for the output

    def teks(self) -> str:
        """"akar kepercayaan <commit> (<why>)" for the command output."""
        return f"akar kepercayaan {self.commit[:10]} ({self.sumber})"


@dataclass(frozen=True)
class Perubahan:
    """An unauthorized change of sop/ (finding `perubahan-tidak-sah`)."""

    commit: str
    pesan: str


@dataclass(frozen=True)
class Kepercayaan:
    """Which sop/ is authorized at each commit (DESIGN §5 "Trust"): the trust root, the commit whose sop/
    counts at every commit, and the unauthorized changes found."""

    akar: Akar
    berlaku: dict[str, str]  # commit -> the commit whose sop/ is the authorized one at it
    tidak_sah: tuple[Perubahan, ...]


def find_root(git: Git, head: str, akar: str | None) -> Akar:
    """The trust root for verifying `head` (DESIGN §5): `akar` when given, else the root recorded in
    the newest archive manifest at `head`, else the first commit on the first-parent line from
    `head` that added sop/personil.yaml. Raises UsageError for an `akar` that is not a
    commit in the history of `head`."""
    if akar:
        code, out, _ = git.call("rev-parse", "--verify", "--quiet", f"{akar}^{{commit}}")
        commit = out.strip()
        if code != 0 or not commit:
            raise UsageError(f"akar kepercayaan '{akar}' bukan commit di repositori ini")
        if git.call("merge-base", "--is-ancestor", commit, head)[0] != 0:
            raise UsageError(f"akar kepercayaan {commit[:10]} bukan bagian dari riwayat {head[:10]}")
        return Akar(commit, "dipilih dengan --akar")
    recorded = _manifest_root(git, head)
    if recorded:
        return recorded
    out = git.text("log", "--first-parent", "--reverse", "--diff-filter=A", "--format=%H", head,
                   "--", "sop/personil.yaml")
    first = out.split("\n", 1)[0].strip()
    if not first:
        raise Refused("sop/personil.yaml tidak ada di riwayat: tidak ada akar kepercayaan")
    return Akar(first, "commit pertama yang menambahkan sop/personil.yaml")


def _manifest_root(git: Git, head: str) -> Akar | None:
    source = GitSource(git, head, ("arsip",))
    years = sorted((name for name, is_dir in source.entries("arsip") if is_dir and name.isdigit()),
                   reverse=True)
    for year in years:
        rel = f"arsip/{year}/manifest.json"
        if not source.is_file(rel):
            continue
        try:
            commit = json.loads(source.read(rel)).get("akar")
        except (ValueError, AttributeError):
            continue
        if isinstance(commit, str) and len(commit) in (40, 64) and \
                git.call("merge-base", "--is-ancestor", commit, head)[0] == 0:
            return Akar(commit, f"tercatat di {rel}")
    return None


def revoked_keys(roster: m.Roster) -> dict[str, dt.date]:
    """Fingerprint -> date of every key `dicabut` in `roster`: a revocation voids every
    signature by that key, whatever its date and whichever roster judged it."""
    return {k.sidik_jari: k.dicabut for p in roster for k in p.kunci if k.dicabut}


def signature_state(sig: Signature | None, email: str, person: m.Personil | None, day: dt.date,
                    revoked: dict[str, dt.date] | None = None) -> tuple[str, str]:
    """SAH, TIDAK_ADA or TIDAK_SAH for a commit by `email` signed with `sig`, judged by `person`
    of the roster in force on `day` (a calendar date in the SOP's zona_waktu), with the reason
    when not SAH. Good only when git says G, the principal is the author, and the key is one
    the roster registers for that person, valid on that day and never `dicabut`."""
    if sig is None or sig.status == "N":
        return TIDAK_ADA, "tidak ditandatangani"
    if sig.status != "G":
        return TIDAK_SAH, f"status git {sig.status}"
    if revoked and sig.key in revoked:
        return TIDAK_SAH, f"kunci {sig.key} dicabut sejak {revoked[sig.key].isoformat()}"
    if sig.signer.lower() != email.lower():
        return TIDAK_SAH, f"ditandatangani dengan kunci milik {sig.signer}"
    if person is None:
        return TIDAK_SAH, f"{email} tidak ada di daftar personil yang berlaku"
    key = next((k for k in person.kunci if k.sidik_jari == sig.key), None)
    if key is None:
        return TIDAK_SAH, (f"kunci {sig.key} tidak terdaftar untuk {person.nama} di daftar "
                           "personil yang berlaku")
    if key.dicabut:
        return TIDAK_SAH, f"kunci {sig.key} dicabut sejak {key.dicabut.isoformat()}"
    if not key.berlaku(day) or not person.active_on(day):
        mulai = (key.mulai or person.berlaku_mulai).isoformat()
        sampai = key.sampai or person.berlaku_sampai
        return TIDAK_SAH, (f"kunci {sig.key} tidak berlaku pada {day.isoformat()} (berlaku {mulai} "
                           f"s.d. {sampai.isoformat() if sampai else '-'})")
    return SAH, ""


def local_day(moment: dt.datetime, sop: m.Sop) -> dt.date:
    """The calendar date of `moment` in the SOP's zona_waktu: validity never depends on the zone
    of the machine that verifies, nor on the offset the committer chose."""
    try:
        return moment.astimezone(ZoneInfo(sop.zona_waktu)).date()
    except (ValueError, KeyError):
        return moment.date()


def authenticate(graph: Graph, akar: Akar, changes: list[PathCommit], trees: dict[str, str | None],
                 steps: set[str], sigs: dict[str, Signature],
                 definitions: Callable[[str], tuple[m.Sop, m.Roster]],
                 revoked: dict[str, dt.date] | None = None) -> Kepercayaan:
    """Walk `graph` parents first and decide, for every commit, whose sop/ is in force.

    `changes` are the commits whose sop/ differs from a parent (git log --full-history -- sop),
    `trees` the sop/ tree id of those commits, their parents and the root, `steps` the ids of
    step commits (any year), `sigs` the signatures of `changes`, `definitions(commit)` the SOP
    and roster of the sop/ at an authorized commit, `revoked` keys revoked later (by the roster
    in force at HEAD) whose signatures count for nothing.
    """
    changed = {c.id: c for c in changes}
    before_root = graph.ancestors(akar.commit)
    state: dict[str, str] = {}
    authentic: dict[str, bool] = {}
    bad: list[Perubahan] = []
    for commit in sorted(graph.order, key=graph.order.__getitem__):
        parents = graph.parents.get(commit, ())
        if commit in before_root:
            state[commit], authentic[commit] = commit, True
            continue
        if commit not in changed:
            pick = next((p for p in parents if authentic.get(p)), parents[0] if parents else None)
            state[commit] = state.get(pick, akar.commit) if pick else akar.commit
            authentic[commit] = authentic.get(pick, False) if pick else False
            continue
        tree = trees.get(commit)
        same = [p for p in parents if trees.get(p) == tree]
        if same:
            pick = next((p for p in same if authentic.get(p)), same[0])
            state[commit], authentic[commit] = state.get(pick, akar.commit), authentic.get(pick, False)
            continue
        base = state.get(parents[0], akar.commit) if parents else akar.commit
        problem = _unauthorized(changed[commit], commit in steps, sigs.get(commit), base, definitions,
                                revoked)
        if problem is None:
            state[commit], authentic[commit] = commit, True
        else:
            bad.append(Perubahan(commit, f"perubahan sop/ tidak sah: {problem}; aturan dan daftar "
                                         f"personil dari commit {base[:10]} tetap berlaku"))
            state[commit], authentic[commit] = base, trees.get(base) == tree
    return Kepercayaan(akar, state, tuple(bad))


def _unauthorized(change: PathCommit, is_step: bool, sig: Signature | None, base: str,
                  definitions: Callable[[str], tuple[m.Sop, m.Roster]],
                  revoked: dict[str, dt.date] | None) -> str | None:
    if is_step:
        return "commit langkah SOP tidak boleh mengubah sop/ (ubah aturan di commit tersendiri)"
    sop, roster = definitions(base)
    if not can_authorize(sop, roster):
        # Setup: the roster in force registers no key for any pengelola (lakip init writes names
        # as TODO), so nobody could ever sign a change by it. Until the office's first roster
        # that can authorize is in place, a change is judged by its own roster (trust on first
        # use, DESIGN §5 as decided in docs/architecture.md): it must be signed by a pengelola
        # it names, with a key it registers. Nothing can be approved before that, since every
        # signed step needs a registered key.
        try:
            sop, roster = definitions(change.id)
        except LakipError as e:
            return f"daftar personil baru tidak dapat dibaca: {e.pesan}"
        if not can_authorize(sop, roster):
            return None
    day = local_day(change.author_date, sop)
    person = roster.find(change.author_email)
    state, reason = signature_state(sig, change.author_email, person, day, revoked)
    if state != SAH:
        return f"{reason} ({change.author_name} <{change.author_email}>)"
    if not any(person.holds(role, day) for role in sop.pengelola):
        return (f"{person.nama} tidak memegang peran pengelola ({', '.join(sop.pengelola)}) pada "
                f"{day.isoformat()}")
    return None


def can_authorize(sop: m.Sop, roster: m.Roster) -> bool:
    """Whether this roster is past setup: some holder of a `pengelola` role (at any time) has a
    registered key. Keys that are `dicabut` or ended count too: revoking the only pengelola key
    must not reopen the setup window for whoever pushes next; only an authorized change that
    deletes every pengelola key entry could."""
    return any(set(p.peran) & set(sop.pengelola) and p.kunci for p in roster)
