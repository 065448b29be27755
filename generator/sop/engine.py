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

from generator.data import model as m
from generator.git import RawCommit, Signature
from generator.sop.worktime import Kalender, parse_waktu

SELESAI, BERJALAN, MENUNGGU = "selesai", "berjalan", "menunggu"
SAH, TIDAK_ADA, TIDAK_SAH = "sah", "tidak-ada", "tidak-sah"
KEPUTUSAN_TANPA_PILIHAN = "selesai"
TRAILER_WAJIB = ("SOP", "SOP-Tahun", "SOP-Langkah", "SOP-Keputusan", "SOP-Peran", "SOP-Konten",
                 "Signed-off-by")
_KONTEN = re.compile(r"^sha256:[0-9a-f]{64}$")
_PERSON = re.compile(r"^(?P<nama>.*?)\s*<(?P<email>[^<>\s]+)>$")


@dataclass(frozen=True)
class Temuan:
    kode: str
    commit: str
    langkah: int | None
    pesan: str

    def as_json(self) -> dict:
        return {"kode": self.kode, "commit": self.commit, "langkah": self.langkah, "pesan": self.pesan}


@dataclass(frozen=True)
class Trailers:
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
    nama: str
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
        return self.durasi is not None and self.durasi > self.standar


@dataclass(frozen=True)
class StatusLangkah:
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
        if self.catatan:
            return self.catatan.terlambat
        return self.berjalan_menit is not None and self.berjalan_menit > self.standar


@dataclass(frozen=True)
class Status:
    sop: str
    tahun: int
    langkah: tuple[StatusLangkah, ...]
    berjalan: int | None  # the step that is due now, None when the SOP is complete
    temuan: tuple[Temuan, ...]
    putaran: int
    final: bool  # the signing step's approval stands and the content has not changed since
    riwayat: tuple[Catatan, ...]

    def find_langkah(self, no: int) -> StatusLangkah:
        return next(s for s in self.langkah if s.langkah.no == no)


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


def evaluate(sop: m.Sop, roster: tuple[m.Personil, ...], tahun: int, commits: list[RawCommit],
             signatures: dict[str, Signature], konten_at: dict[str, str], konten_head: str | None,
             kalender: Kalender, now: dt.datetime) -> Status:
    """Replay the year's step commits (oldest first) against the SOP.

    `konten_at` maps each commit to the fingerprint of the content it was made on, `konten_head`
    is the fingerprint at the verified HEAD; `now` dates the running step's elapsed time.
    """
    people = {p.email.lower(): p for p in roster}
    per_day = kalender.menit_per_hari
    standar = {s.no: parse_waktu(s.waktu, per_day) for s in sop.langkah}
    order = [s.no for s in sop.langkah]
    expected: int | None = order[0]
    previous: dt.datetime | None = None
    putaran = 1
    standing: dict[int, Catatan] = {}
    riwayat: list[Catatan] = []
    temuan: list[Temuan] = []

    for commit in commits:
        trailers, problem = parse_trailers(commit, sop)
        values = dict(commit.trailers)
        if trailers is None:
            if values.get("SOP", sop.id) == sop.id and values.get("SOP-Tahun", str(tahun)) == str(tahun):
                temuan.append(Temuan("trailer-rusak", commit.id, _int(values.get("SOP-Langkah")),
                                     f"trailer SOP rusak: {problem}"))
            continue
        if trailers.sop != sop.id or trailers.tahun != tahun:
            continue
        step = sop.find_langkah(trailers.langkah)
        found = _audit(commit, trailers, step, people, signatures.get(commit.id),
                       konten_at.get(commit.id))
        temuan += found
        if trailers.langkah != expected:
            due = f"langkah {expected}" if expected else "tidak ada (SOP sudah selesai)"
            temuan.append(Temuan("urutan-salah", commit.id, step.no,
                                 f"langkah {step.no} dicatat padahal yang berjalan {due}"))
            continue
        durasi = kalender.menit_kerja(previous, commit.author_date) if previous else None
        catatan = Catatan(step.no, commit.id, commit.author_name, commit.author_email,
                          commit.author_date, trailers.keputusan, trailers.konten,
                          _signature_state(commit, signatures.get(commit.id)), putaran, durasi,
                          standar[step.no], commit.subject)
        standing[step.no] = catatan
        riwayat.append(catatan)
        previous = commit.author_date
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
    changed = {t.commit for t in temuan if t.kode == "konten-berubah"}
    final = any(sop.find_langkah(c.no).pengesahan == "tanda-tangan"
                and _forward(sop.find_langkah(c.no), c.keputusan)
                and c.commit not in changed for c in standing.values())

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
                  tuple(riwayat))


def _audit(commit: RawCommit, trailers: Trailers, step: m.Langkah, people: dict[str, m.Personil],
           signature: Signature | None, konten: str | None) -> list[Temuan]:
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
    person = people.get(author)
    day = commit.author_date.date()
    if person is None:
        add("personil-tidak-dikenal", f"{commit.author_name} <{commit.author_email}> tidak ada di "
                                      "sop/personil.yaml")
    elif step.pelaksana not in person.peran:
        add("peran-salah", f"{person.nama} tidak memegang peran '{step.pelaksana}' yang "
                           f"melaksanakan langkah {no}")
    elif not person.active_on(day):
        sampai = person.berlaku_sampai.isoformat() if person.berlaku_sampai else "-"
        add("di-luar-masa-berlaku", f"peran '{step.pelaksana}' {person.nama} tidak berlaku pada "
                                    f"{day.isoformat()} (berlaku {person.berlaku_mulai.isoformat()} "
                                    f"s.d. {sampai})")
    state = _signature_state(commit, signature)
    if step.tanda_tangan and state == TIDAK_ADA:
        add("tanpa-tanda-tangan", f"langkah {no} wajib ditandatangani (SSH), commit ini tidak")
    elif state == TIDAK_SAH:
        detail = f"status git {signature.status}" if signature else "tidak dapat diperiksa"
        if signature and signature.status == "G":
            detail = f"ditandatangani dengan kunci milik {signature.signer}"
        add("tanda-tangan-tidak-sah", f"tanda tangan langkah {no} tidak sah untuk "
                                      f"{commit.author_email}: {detail}")
    if konten is not None and konten != trailers.konten:
        add("sidik-jari-salah", f"SOP-Konten {trailers.konten[:19]}… tidak sama dengan konten "
                                f"commit ini ({konten[:19]}…)")
    return found


def _signature_state(commit: RawCommit, signature: Signature | None) -> str:
    if signature is None or signature.status == "N":
        return TIDAK_ADA
    if signature.status == "G" and signature.signer.lower() == commit.author_email.lower():
        return SAH
    return TIDAK_SAH


def _forward(step: m.Langkah, keputusan: str) -> bool:
    target = step.keputusan.get(keputusan)
    return target is not None and target > step.no


def _after(order: list[int], no: int) -> int | None:
    i = order.index(no)
    return order[i + 1] if i + 1 < len(order) else None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
