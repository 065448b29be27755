"""Rencana aksi per triwulan (monev): quarterly realisasi against the PK's cumulative targets. Pure.

The PK's `rencana_aksi` gives, per indikator, the target to be reached by the end of each quarter
(cumulative, PermenPANRB 53/2014 "rencana aksi"); the bidang reports `realisasi_triwulan`. The
capaian of a quarter uses the indikator's own formula (DESIGN §4), so a negatif indikator is judged
as in the annual table. A quarter that has ended and has no realisasi is late once the reporting
window after the quarter (`BATAS_HARI`, lakip's default) has passed; quarters that have not ended
are "belum berakhir", so a report made during the year shows the year so far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.data import model as m
from generator.figures.capaian import Figures, hitung_capaian

TRIWULAN = ("tw1", "tw2", "tw3", "tw4")
NAMA = {"tw1": "Triwulan I", "tw2": "Triwulan II", "tw3": "Triwulan III", "tw4": "Triwulan IV"}
SINGKAT = {"tw1": "TW I", "tw2": "TW II", "tw3": "TW III", "tw4": "TW IV"}  # narrow table columns
_AKHIR = {"tw1": (3, 31), "tw2": (6, 30), "tw3": (9, 30), "tw4": (12, 31)}
# Calendar days after a quarter's end within which its realisasi is due. Neither PermenPANRB
# 53/2014 nor Permendagri 86/2017 fixes one number for every office; 14 days is lakip's default.
BATAS_HARI = 14

DILAPORKAN, TERLAMBAT, MENUNGGU, BELUM_BERAKHIR = "dilaporkan", "terlambat", "menunggu", "belum-berakhir"


def akhir(tahun: int, tw: str) -> dt.date:
    """Last day of quarter `tw` ("tw1".."tw4") of `tahun`."""
    month, day = _AKHIR[tw]
    return dt.date(tahun, month, day)


@dataclass(frozen=True)
class Triwulan:
    """One quarter of a rencana aksi: cumulative target and realisasi at the quarter's end (the indikator's
    satuan), capaian in percent by the indikator's own formula, the reporting status and the date
    the realisasi is due."""

    triwulan: str  # tw1..tw4
    target: Decimal | None  # cumulative target at the quarter's end (PK rencana_aksi)
    realisasi: Decimal | None
    capaian: Decimal | None
    keterangan: str | None  # why capaian is None
    status: str  # dilaporkan | terlambat | menunggu (within the window) | belum-berakhir
    batas: dt.date  # date by which the realisasi is due

    @property
    def nama(self) -> str:
        """"Triwulan I" .. "Triwulan IV"."""
        return NAMA[self.triwulan]

    @property
    def singkat(self) -> str:
        """"TW I" .. "TW IV"."""
        return SINGKAT[self.triwulan]


@dataclass(frozen=True)
class RencanaAksi:
    """The quarterly rencana aksi of one indikator: the annual target and always four quarters."""

    id: str
    uraian: str
    satuan: str
    polaritas: str
    bidang: str
    target_tahunan: Decimal | None
    triwulan: tuple[Triwulan, ...]  # always four, tw1..tw4

    @property
    def terlambat(self) -> tuple[str, ...]:
        """The quarters ("tw1"..) whose realisasi is overdue."""
        return tuple(t.triwulan for t in self.triwulan if t.status == TERLAMBAT)


def rencana_aksi(pk: m.PerjanjianKinerja, figures: Figures, hari_ini: dt.date,
                 batas_hari: int = BATAS_HARI) -> tuple[RencanaAksi, ...]:
    """One row per indikator that has a rencana aksi in the PK or quarterly realisasi in its
    bidang file, in Renstra order. `hari_ini` decides which quarters have ended and which are late
    (the document passes its own date, the site the current day)."""
    targets = {row.id: values for row, values in pk.rencana_aksi}
    rows = []
    for ind in figures.indikator:
        reported = dict(ind.realisasi_triwulan)
        if ind.id not in targets and not reported:
            continue
        quarters = []
        for tw in TRIWULAN:
            target = targets.get(ind.id, {}).get(tw)
            real = reported.get(tw)
            capaian, why = (None, None)
            if real is not None:
                capaian, why = hitung_capaian(real, target, ind.polaritas, ind.rumus_capaian)
            batas = akhir(figures.tahun, tw) + dt.timedelta(days=batas_hari)
            if real is not None:
                status = DILAPORKAN
            elif hari_ini <= akhir(figures.tahun, tw):
                status = BELUM_BERAKHIR
            elif hari_ini > batas:
                status = TERLAMBAT
            else:
                status = MENUNGGU
            quarters.append(Triwulan(tw, target, real, capaian, why, status, batas))
        rows.append(RencanaAksi(ind.id, ind.uraian, ind.satuan, ind.polaritas, ind.bidang, ind.target,
                                tuple(quarters)))
    return tuple(rows)


def rencana_aksi_json(rows: tuple[RencanaAksi, ...]) -> list[dict]:
    """The rencana aksi as JSON-ready dicts (numbers as JSON numbers, None as null)."""
    from generator.figures.capaian import json_number

    return [{"id": r.id, "uraian": r.uraian, "satuan": r.satuan, "polaritas": r.polaritas,
             "bidang": r.bidang, "target_tahunan": json_number(r.target_tahunan),
             "triwulan": [{"triwulan": t.triwulan, "target": json_number(t.target),
                           "realisasi": json_number(t.realisasi), "capaian": json_number(t.capaian),
                           "keterangan": t.keterangan, "status": t.status,
                           "batas": t.batas.isoformat()} for t in r.triwulan]}
            for r in rows]
