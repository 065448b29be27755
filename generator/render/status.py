"""The status view: one row per SOP step, the same for `lakip status` (cli/views.py, which formats
it as a table) and the website (site.py, which renders it into its pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.data import model as m
from generator.sop.engine import Catatan, Status

MENUNGGU = "menunggu"


@dataclass(frozen=True)
class StepRow:
    """What the office sees of one step. Minutes are working minutes (DESIGN §5); `standar` is
    None when there is no SOP history to judge by (the folder is not a git repository)."""

    langkah: m.Langkah
    judul: str  # the step's short title, else its kegiatan
    pelaksana: str  # the role's name (its id when the SOP does not define it)
    singkatan: str  # the role's short name, else its name
    orang: tuple[str, ...]  # who holds the role on the day the view is made
    status: str
    catatan: Catatan | None  # the standing record of the step in this round
    oleh: str | None  # the recorder's name in the roster (git's copy when not in it)
    menit: int | None  # working minutes taken (recorded) or so far (running)
    standar: int | None
    terlambat: bool
    batas_waktu: dt.datetime | None
    riwayat: tuple[Catatan, ...]  # every record of the step, all rounds

    @property
    def no(self) -> int:
        return self.langkah.no


def roster_name(roster: m.Roster | None, email: str, fallback: str) -> str:
    """The roster's name for `email`, else `fallback` (git drops a name's trailing '.')."""
    person = roster.find(email) if roster is not None else None
    return person.nama if person else fallback


def step_rows(sop: m.Sop, status: Status | None, roster: m.Roster | None, day: dt.date
              ) -> list[StepRow]:
    """One row per step of `sop`, from the engine's `status` (None: every step waiting), with
    the role holders of `day` (the office's local day)."""
    states = {s.langkah.no: s for s in status.langkah} if status else {}
    rows = []
    for step in sop.langkah:
        state = states.get(step.no)
        role = sop.find_peran(step.pelaksana)
        record = state.catatan if state else None
        rows.append(StepRow(
            langkah=step, judul=step.judul or step.kegiatan,
            pelaksana=role.nama if role else step.pelaksana,
            singkatan=(role.singkatan or role.nama) if role else step.pelaksana,
            orang=tuple(p.nama for p in roster.holders(step.pelaksana, day)) if roster is not None else (),
            status=state.status if state else MENUNGGU, catatan=record,
            oleh=roster_name(roster, record.email, record.nama) if record else None,
            menit=record.durasi if record else (state.berjalan_menit if state else None),
            standar=state.standar if state else None, terlambat=bool(state and state.terlambat),
            batas_waktu=state.batas_waktu if state else None,
            riwayat=state.riwayat if state else ()))
    return rows
