"""Summaries the report's prose is written from: the Ikhtisar Eksekutif and the narrative of
Realisasi Anggaran. Pure: figures in, plain data out; the templates word the sentences."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.figures.capaian import CapaianIndikator, CapaianSasaran, Figures, Program

TERCAPAI = Decimal(100)  # a target is met when capaian reaches 100 % (both polarities, DESIGN §4)
# Serapan below this is named in the narrative: the common threshold of the pemda's monev of
# budget absorption (realisasi anggaran triwulan IV di bawah 80 % dinilai rendah).
SERAPAN_RENDAH = Decimal(80)


@dataclass(frozen=True)
class Ikhtisar:
    """What the Ikhtisar Eksekutif states: the sasaran that met (capaian >= 100 %) and missed their target
    or could not be computed, how many indikator met theirs, and the best and worst indikator by
    capaian."""

    tercapai: tuple[CapaianSasaran, ...]  # sasaran whose capaian >= 100
    belum: tuple[CapaianSasaran, ...]  # sasaran below 100
    tidak_dihitung: tuple[CapaianSasaran, ...]
    indikator_tercapai: int
    indikator_dihitung: int
    terbaik: CapaianIndikator | None
    terendah: CapaianIndikator | None


@dataclass(frozen=True)
class RingkasanAnggaran:
    """What the budget narrative states: the programs with the highest and lowest serapan (percent), those
    below `batas` (SERAPAN_RENDAH percent), and the number of kegiatan and sub kegiatan."""

    tertinggi: Program | None  # highest serapan
    terendah: Program | None
    rendah: tuple[Program, ...]  # serapan below SERAPAN_RENDAH
    batas: Decimal
    kegiatan: int  # number of kegiatan
    sub_kegiatan: int


def ikhtisar(f: Figures) -> Ikhtisar:
    """Which sasaran met their target, how many indikator did, the best and the worst indikator
    (by capaian; ties keep Renstra order)."""
    known = [s for s in f.sasaran if s.capaian is not None]
    counted = [i for i in f.indikator if i.capaian is not None]
    return Ikhtisar(
        tercapai=tuple(s for s in known if s.capaian >= TERCAPAI),
        belum=tuple(s for s in known if s.capaian < TERCAPAI),
        tidak_dihitung=tuple(s for s in f.sasaran if s.capaian is None),
        indikator_tercapai=sum(i.capaian >= TERCAPAI for i in counted),
        indikator_dihitung=len(counted),
        terbaik=max(counted, key=lambda i: i.capaian, default=None),
        terendah=min(counted, key=lambda i: i.capaian, default=None),
    )


def anggaran(f: Figures, batas: Decimal = SERAPAN_RENDAH) -> RingkasanAnggaran:
    """Highest and lowest serapan among programs, and those below `batas` percent."""
    known = [p for p in f.program if p.serapan is not None]
    return RingkasanAnggaran(
        tertinggi=max(known, key=lambda p: p.serapan, default=None),
        terendah=min(known, key=lambda p: p.serapan, default=None),
        rendah=tuple(p for p in known if p.serapan < batas),
        batas=batas,
        kegiatan=sum(len(p.kegiatan) for p in f.program),
        sub_kegiatan=sum(len(p.sub_kegiatan) for p in f.program),
    )
