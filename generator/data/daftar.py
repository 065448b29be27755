"""`portal.yaml`, the list of offices of the city portal (`lakip portal --daftar`, issue 17): read
with yamlpos, checked against `schemas/portal.yaml` and the cross rules below, every problem an
Indonesian issue naming file, line and column, all at once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.data.errors import Issue, Location, galat, os_reason, sorted_issues
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
                            f"daftar kantor tidak dapat dibaca: {os_reason(e)}")]
    if len(data) > MAX_BYTES:
        return None, [galat(Location(name), "berkas-terlalu-besar",
                            f"daftar kantor lebih dari {MAX_BYTES // 1_000_000} MB")]
    text, issues = decode(data, name)
    if text is None:
        return None, issues
    doc, issues = parse_text(text, name)
    if doc is None:
        return None, issues
    # the cross rules run on whatever part of the file has the right shape, so every problem is
    # reported at once, a duplicate id together with a wrong type elsewhere
    schema_issues = check(doc, "portal")
    daftar, issues = _build(path, doc, shaped=not schema_issues)
    return (None if schema_issues else daftar), sorted_issues(schema_issues + issues)


def _dicts(value: object) -> list[tuple[int, dict]]:
    """(index, item) of the mappings of a list (nothing for a value that is not a list)."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


# A value that GitHub Actions (`${{ }}`) or GitLab CI (`$VAR`, `${VAR}`) would expand where the CI
# files written by `lakip portal --ci` pass it as a matrix value (review 1 item 15).
_CI_EXPANDS = "$"


def branch_problem(name: str) -> str | None:
    """Why `name` is not a branch name git accepts (the rules of `git check-ref-format --branch`:
    no leading '-', no '..', '@{', control characters, space, ~ ^ : ? * [ \\, no component starting
    with '.' or ending with '.lock', no leading, trailing or double '/', no trailing '.', not '@'
    or HEAD), or a '$' (expanded by the CI files); None when it is fine."""
    if name.startswith("-"):
        return "tidak boleh diawali '-'"
    if _CI_EXPANDS in name:
        return "tidak boleh memuat '$' (akan diartikan sebagai variabel oleh GitHub Actions/GitLab CI)"
    bad = sorted({c for c in name if ord(c) < 32 or ord(c) == 127 or c in " ~^:?*[\\"})
    if bad:
        return "memuat karakter yang tidak boleh ada di nama cabang git: " + " ".join(
            repr(c) if c.isprintable() and c != " " else f"U+{ord(c):04X}" for c in bad)
    parts = name.split("/")
    if (".." in name or "@{" in name or name in ("@", "HEAD") or name.endswith(".") or "" in parts
            or any(p.startswith(".") or p.endswith(".lock") for p in parts)):
        return ("bukan nama cabang git yang sah (tanpa '..', '@{', '//', '/' atau '.' di awal/akhir, "
                "bagian yang diawali '.' atau diakhiri '.lock')")
    return None


def _build(path: Path, doc: Doc, shaped: bool = True) -> tuple[Daftar | None, list[Issue]]:
    """The Daftar and the cross-rule issues. With `shaped` False (the schema found errors) only
    the issues are wanted: entries without the expected shape are skipped, not reported twice."""
    value = doc.value if isinstance(doc.value, dict) else {}
    issues: list[Issue] = []
    kantor: list[Kantor] = []
    seen: dict[str, int] = {}
    for i, entry in _dicts(value.get("kantor")):
        for key in ("repo", "cabang"):
            text = entry.get(key)
            if not _text(text):
                continue
            problem = branch_problem(text) if key == "cabang" else (
                "tidak boleh memuat '$' (akan diartikan sebagai variabel oleh GitHub Actions/GitLab CI)"
                if _CI_EXPANDS in text else None)
            if problem:
                expected = ("nama cabang git, misalnya main" if key == "cabang"
                            else "alamat clone atau folder tanpa '$'")
                issues.append(galat(doc.loc(("kantor", i, key)), f"{key}-tidak-sah",
                                    f"'kantor[{i + 1}].{key}': teks \"{text}\" {problem}; "
                                    f"diharapkan {expected}"))
        if not _text(entry.get("nama")) or not _text(entry.get("repo")):
            continue
        written = entry.get("id") if _text(entry.get("id")) else None
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
    for i, entry in _dicts(value.get("iku_kota")):
        if not isinstance(entry.get("sumber"), list):
            continue
        sources = []
        for j, src in _dicts(entry["sumber"]):
            if not isinstance(src.get("kantor"), str):
                continue
            if src["kantor"] not in seen:
                issues.append(galat(doc.loc(("iku_kota", i, "sumber", j, "kantor")), "kantor-tidak-dikenal",
                                    f"'iku_kota[{i + 1}].sumber[{j + 1}].kantor': kantor '{src['kantor']}' "
                                    "tidak ada di daftar kantor",
                                    f"id yang ada: {', '.join(sorted(seen)) or '(belum ada)'}"))
            sources.append(Sumber(src["kantor"], src.get("indikator")))
        if entry.get("aturan") == "kantor" and len(sources) != 1:
            issues.append(galat(doc.loc(("iku_kota", i, "sumber")), "sumber-kantor",
                                f"'iku_kota[{i + 1}].sumber': aturan 'kantor' memakai nilai satu kantor; "
                                f"diharapkan 1 sumber, ditemukan {len(sources)}"))
        target = entry.get("target")
        if not shaped:
            continue
        iku.append(IkuKota(entry["id"], entry["uraian"], entry.get("satuan"),
                           Decimal(target) if target is not None else None,
                           entry.get("polaritas", "positif"), entry["aturan"], tuple(sources)))
    zona = value.get("zona_waktu", "Asia/Makassar")
    if not isinstance(zona, str):
        return None, issues
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(zona)
    except (ValueError, KeyError, OSError):
        issues.append(galat(doc.loc(("zona_waktu",)), "zona-waktu",
                            f"'zona_waktu': zona waktu \"{zona}\" tidak dikenal",
                            "contoh: Asia/Makassar (WITA), Asia/Jakarta (WIB), Asia/Jayapura (WIT)"))
    if issues or not shaped:
        return None, issues
    tenggat = dt.date.fromisoformat(value["tenggat"]) if "tenggat" in value else None
    return Daftar(path, value.get("judul", "Portal LKjIP"), value.get("pemerintah"),
                  value.get("tahun"), tenggat, zona, tuple(kantor), tuple(iku)), []
