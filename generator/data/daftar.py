"""`portal.yaml`, the list of offices of the city portal (`lakip portal --daftar`, issue 17): read
with yamlpos, checked against `schemas/portal.yaml` and the cross rules below, every problem an
Indonesian issue naming file, line and column, all at once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.data.errors import Issue, Location, galat, sorted_issues
from generator.data.schema import check
from generator.data.yamlpos import Doc, decode, parse_text

ATURAN = ("jumlah", "rata-rata", "kantor")
MAX_BYTES = 2_000_000  # a list of offices is a few kilobytes; a huge file is a mistake


@dataclass(frozen=True)
class Kantor:
    """One office of the portal: `id` (the page name and the export's file name, from `nama`
    unless written), `repo` a path (relative to portal.yaml's folder) or a clone URL, `cabang`
    the branch to read (default the repository's HEAD), `akar` the trust root commit."""

    id: str
    nama: str
    repo: str
    cabang: str | None
    akar: str | None
    loc: Location


@dataclass(frozen=True)
class Sumber:
    kantor: str
    indikator: str


@dataclass(frozen=True)
class IkuKota:
    """A city IKU (from the RPJMD) computed from office indikator by `aturan`: `jumlah` (sum),
    `rata-rata` (mean) or `kantor` (the one office's value)."""

    id: str
    uraian: str
    satuan: str | None
    target: Decimal | None
    polaritas: str
    aturan: str
    sumber: tuple[Sumber, ...]


@dataclass(frozen=True)
class Daftar:
    path: Path
    judul: str
    pemerintah: str | None
    tahun: int | None
    tenggat: dt.date | None  # None: 31 March after the year (ESR upload, PermenPANRB 53/2014)
    zona_waktu: str
    kantor: tuple[Kantor, ...]
    iku_kota: tuple[IkuKota, ...]

    @property
    def base(self) -> Path:
        """The folder relative repository paths are read from (portal.yaml's, absolute)."""
        return self.path.parent.absolute()


def slug(nama: str) -> str:
    """An office id from its name: "Dinas Koperasi, UKM" -> "dinas-koperasi-ukm" (40 chars max)."""
    text = re.sub(r"[^a-z0-9]+", "-", nama.lower()).strip("-")[:40].strip("-")
    return text if text[:1].isalpha() else ""


def is_url(repo: str) -> bool:
    """A clone URL (scheme://... or scp-like user@host:path), not a local path."""
    return "://" in repo or bool(re.match(r"^[\w.-]+@[\w.-]+:", repo))


def load_daftar(path: Path, shown: str | None = None) -> tuple[Daftar | None, list[Issue]]:
    """portal.yaml at `path` -> (Daftar, issues); the Daftar is None when any issue is an error.
    `shown` is how the file is named in messages (default: the path as given)."""
    name = shown or str(path)
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as e:
        return None, [galat(Location(name), "berkas-tidak-terbaca",
                            f"daftar kantor tidak dapat dibaca: {e.strerror or e}")]
    if len(data) > MAX_BYTES:
        return None, [galat(Location(name), "berkas-terlalu-besar",
                            f"daftar kantor lebih dari {MAX_BYTES // 1_000_000} MB")]
    text, issues = decode(data, name)
    if text is None:
        return None, issues
    doc, issues = parse_text(text, name)
    if doc is None:
        return None, issues
    issues = check(doc, "portal")
    if issues:
        return None, sorted_issues(issues)
    daftar, issues = _build(path, doc)
    return daftar, sorted_issues(issues)


def _build(path: Path, doc: Doc) -> tuple[Daftar | None, list[Issue]]:
    value = doc.value
    issues: list[Issue] = []
    kantor: list[Kantor] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(value["kantor"]):
        written = entry.get("id")
        office_id = written or slug(entry["nama"])
        at = ("kantor", i, "id") if written else ("kantor", i, "nama")
        if not office_id:
            issues.append(galat(doc.loc(at), "id-kantor",
                                f"'kantor[{i + 1}]': id tidak dapat dibentuk dari nama "
                                f"\"{entry['nama']}\"", "tulis id sendiri, misalnya id: dinas-koperasi"))
            continue
        if office_id in seen:
            issues.append(galat(doc.loc(at), "id-kantor-ganda",
                                f"'kantor[{i + 1}]': id '{office_id}' sudah dipakai "
                                f"kantor[{seen[office_id] + 1}]",
                                "setiap kantor perlu id sendiri (tulis id: ... bila namanya mirip)"))
            continue
        seen[office_id] = i
        kantor.append(Kantor(office_id, entry["nama"], entry["repo"], entry.get("cabang"),
                             entry.get("akar"), doc.loc(("kantor", i))))
    iku: list[IkuKota] = []
    for i, entry in enumerate(value.get("iku_kota", [])):
        sources = []
        for j, src in enumerate(entry["sumber"]):
            if src["kantor"] not in seen:
                issues.append(galat(doc.loc(("iku_kota", i, "sumber", j, "kantor")), "kantor-tidak-dikenal",
                                    f"'iku_kota[{i + 1}].sumber[{j + 1}].kantor': kantor '{src['kantor']}' "
                                    "tidak ada di daftar kantor",
                                    f"id yang ada: {', '.join(sorted(seen)) or '(belum ada)'}"))
            sources.append(Sumber(src["kantor"], src["indikator"]))
        if entry["aturan"] == "kantor" and len(sources) != 1:
            issues.append(galat(doc.loc(("iku_kota", i, "sumber")), "sumber-kantor",
                                f"'iku_kota[{i + 1}].sumber': aturan 'kantor' memakai nilai satu kantor; "
                                f"diharapkan 1 sumber, ditemukan {len(sources)}"))
        target = entry.get("target")
        iku.append(IkuKota(entry["id"], entry["uraian"], entry.get("satuan"),
                           Decimal(target) if target is not None else None,
                           entry.get("polaritas", "positif"), entry["aturan"], tuple(sources)))
    zona = value.get("zona_waktu", "Asia/Makassar")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(zona)
    except (ValueError, KeyError, OSError):
        issues.append(galat(doc.loc(("zona_waktu",)), "zona-waktu",
                            f"'zona_waktu': zona waktu \"{zona}\" tidak dikenal",
                            "contoh: Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT)"))
    if issues:
        return None, issues
    tenggat = dt.date.fromisoformat(value["tenggat"]) if "tenggat" in value else None
    return Daftar(path, value.get("judul", "Portal LKjIP"), value.get("pemerintah"),
                  value.get("tahun"), tenggat, zona, tuple(kantor), tuple(iku)), []
