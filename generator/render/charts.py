"""Geometry of the site's drawings, computed here and drawn by SVG templates (no chart library,
no JavaScript): the SOP flowchart in the SOP-AP style and horizontal bar charts. Pure."""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from generator.data import model as m

# Column widths of the flowchart, in SVG units.
_NO, _KEGIATAN, _LANE, _MUTU, _WAKTU = 34, 230, 104, 150, 62
_HEADER, _LINE, _PAD = 64, 13, 10


@dataclass(frozen=True)
class Lane:
    peran: str
    nama: str
    x: int
    width: int


@dataclass(frozen=True)
class Shape:
    no: int
    kind: str  # mulai | proses | keputusan | selesai
    lane: str
    cx: int
    cy: int
    w: int
    h: int
    status: str  # selesai | berjalan | menunggu
    row_y: int
    row_h: int
    kegiatan: tuple[str, ...]
    kelengkapan: tuple[str, ...]
    waktu: str
    output: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    points: tuple[tuple[int, int], ...]
    label: str
    kind: str  # lanjut | revisi


@dataclass(frozen=True)
class Flowchart:
    width: int
    height: int
    lanes: tuple[Lane, ...]
    shapes: tuple[Shape, ...]
    edges: tuple[Edge, ...]
    columns: tuple[tuple[str, int, int], ...]  # (title, x, width) of the text columns
    lanes_x: int
    channel_x: int


def flowchart(sop: m.Sop, status: dict[int, str] | None = None) -> Flowchart:
    """Lay the SOP out as SOP-AP does: a row per step, a lane per pelaksana, process boxes,
    decision diamonds; `status` (step -> selesai/berjalan/menunggu) colours the shapes."""
    status = status or {}
    used = [r for r in sop.peran if any(s.pelaksana == r.id for s in sop.langkah)]
    lanes_x = _NO + _KEGIATAN
    lanes = tuple(Lane(r.id, r.singkatan or r.nama, lanes_x + i * _LANE, _LANE) for i, r in enumerate(used))
    channel_x = lanes_x + len(lanes) * _LANE + 14
    mutu_x = channel_x + 14
    columns = (("No", 0, _NO), ("Kegiatan", _NO, _KEGIATAN), ("Kelengkapan", mutu_x, _MUTU),
               ("Waktu", mutu_x + _MUTU, _WAKTU), ("Output", mutu_x + _MUTU + _WAKTU, _MUTU))
    lane_of = {lane.peran: lane for lane in lanes}
    shapes = []
    y = _HEADER
    last = sop.langkah[-1].no
    for step in sop.langkah:
        kegiatan = tuple(textwrap.wrap(step.kegiatan, 34)) or ("",)
        kelengkapan = tuple(textwrap.wrap(step.kelengkapan, 24)) or ("",)
        output = tuple(textwrap.wrap(step.output, 24)) or ("",)
        lines = max(len(kegiatan), len(kelengkapan), len(output))
        row_h = max(58, lines * _LINE + 2 * _PAD)
        kind = ("keputusan" if step.keputusan else "mulai" if step.no == sop.langkah[0].no
                else "selesai" if step.no == last else "proses")
        lane = lane_of[step.pelaksana]
        w, h = (62, 40) if kind == "keputusan" else (72, 28)
        shapes.append(Shape(step.no, kind, lane.peran, lane.x + lane.width // 2, y + row_h // 2, w, h,
                            status.get(step.no, "menunggu"), y, row_h, kegiatan, kelengkapan,
                            step.waktu, output))
        y += row_h
    edges = []
    by_no = {s.no: s for s in shapes}
    for a, b in itertools.pairwise(shapes):
        step = sop.find_langkah(a.no)
        label = next((k for k, target in step.keputusan.items() if target == b.no), "")
        edges.append(Edge(_down(a, b), label, "lanjut"))
    for shape in shapes:
        step = sop.find_langkah(shape.no)
        for decision, target in step.keputusan.items():
            if target <= shape.no and target in by_no:
                back = by_no[target]
                start = (shape.cx + shape.w // 2, shape.cy)
                end = (back.cx + back.w // 2, back.cy)
                edges.append(Edge((start, (channel_x, start[1]), (channel_x, end[1]), end), decision,
                                  "revisi"))
    width = mutu_x + 2 * _MUTU + _WAKTU
    return Flowchart(width, y + 4, lanes, tuple(shapes), tuple(edges), columns, lanes_x, channel_x)


def _down(a: Shape, b: Shape) -> tuple[tuple[int, int], ...]:
    start = (a.cx, a.cy + a.h // 2)
    end = (b.cx, b.cy - b.h // 2)
    if a.cx == b.cx:
        return (start, end)
    middle = a.row_y + a.row_h
    return (start, (a.cx, middle), (b.cx, middle), end)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    text: str  # the value as printed
    y: int
    width: float  # bar length in SVG units
    tone: str  # css class


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: tuple[Bar, ...]
    reference_x: float | None  # the 100 % line
    ticks: tuple[tuple[float, str], ...]


def bar_chart(rows: list[tuple[str, Decimal | None, str, str]], maximum: Decimal = Decimal(150),
              reference: Decimal | None = Decimal(100)) -> BarChart:
    """Horizontal bars for (label, value, printed value, tone); values above `maximum` are drawn
    at `maximum` (the printed value stays the real one)."""
    label_width, plot_width, row = 150, 300, 26
    bars = []
    for i, (label, value, text, tone) in enumerate(rows):
        shown = min(max(value, Decimal(0)), maximum) if value is not None else Decimal(0)
        bars.append(Bar(label, value, text, 20 + i * row, float(shown / maximum) * plot_width, tone))
    ticks = tuple((float(Decimal(t) / maximum) * plot_width, f"{t}%") for t in range(0, int(maximum) + 1, 50))
    ref = float(reference / maximum) * plot_width if reference is not None else None
    return BarChart(label_width + plot_width + 70, 40 + len(rows) * row, label_width, plot_width,
                    tuple(bars), ref, ticks)


@dataclass(frozen=True)
class PairBar:
    label: str
    target: Decimal | None
    realisasi: Decimal | str | None
    target_text: str
    realisasi_text: str
    y: int
    target_width: float
    realisasi_width: float


@dataclass(frozen=True)
class PairChart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bars: tuple[PairBar, ...]


def pair_chart(rows: list[tuple[str, Decimal | None, Decimal | str | None, str, str]]) -> PairChart:
    """Target and realisasi side by side for (label, target, realisasi, printed target, printed
    realisasi). Indikator have different units, so each pair is scaled to its own larger value:
    the chart compares realisasi with its target, never one indikator with another. A realisasi
    that is not a number (a ratio) or not reported is drawn as no bar, its text still printed."""
    label_width, plot_width, row = 70, 330, 44
    bars = []
    for i, (label, target, realisasi, t_text, r_text) in enumerate(rows):
        numbers = [abs(v) for v in (target, realisasi) if isinstance(v, Decimal | int)]
        top = max(numbers, default=Decimal(0))

        def length(v, top=top) -> float:
            return float(abs(v) / top) * plot_width if isinstance(v, Decimal | int) and top else 0.0

        bars.append(PairBar(label, target, realisasi, t_text, r_text, 24 + i * row,
                            length(target), length(realisasi)))
    return PairChart(label_width + plot_width + 110, 34 + len(rows) * row, label_width, plot_width,
                     tuple(bars))


@dataclass(frozen=True)
class Grafik:
    """The report's charts, defined once for the site and every document format (DESIGN §7)."""

    capaian_sasaran: BarChart
    capaian_indikator: BarChart
    indikator: dict[str, PairChart]  # sasaran id -> target vs realisasi of its indikator
    serapan: BarChart


def laporan(figures) -> Grafik:
    """`figures` is a figures.capaian.Figures; every printed value comes from formats, so a bar's
    label is exactly the number in the table beside it."""
    from generator.figures.capaian import kategori_kelas as kelas
    from generator.figures.formats import nilai, persen

    skala = figures.skala
    return Grafik(
        capaian_sasaran=bar_chart([(f"Sasaran {n}", s.capaian, persen(s.capaian), kelas(s.kategori, skala))
                                   for n, s in enumerate(figures.sasaran, start=1)]),
        capaian_indikator=bar_chart([(i.id, i.capaian, persen(i.capaian), kelas(i.kategori, skala))
                                     for i in figures.indikator]),
        indikator={s.id: pair_chart([(i.id, i.target, i.realisasi, nilai(i.target, i.satuan),
                                      nilai(i.realisasi, i.satuan)) for i in s.indikator])
                   for s in figures.sasaran},
        serapan=bar_chart([(p.kode, p.serapan, persen(p.serapan), "serapan") for p in figures.program],
                          maximum=Decimal(100), reference=None),
    )
