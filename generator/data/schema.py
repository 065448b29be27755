"""Check a parsed document against its JSON Schema and say what is wrong in Indonesian.

The schemas live in generator/data/schemas/ as YAML so that editors (yaml-language-server) can use
them too; jsonschema finds every violation, this module turns each into an Issue at the exact
line and column, with a hint where one helps.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from generator.data.errors import Issue, galat
from generator.data.numbers import is_angka, parse_angka
from generator.data.yamlpos import Doc, parse_text

KINDS = ("instansi", "renstra", "perjanjian-kinerja", "bidang", "narasi", "reviu", "pengiriman",
         "reviu-apip", "lke", "sop", "personil")

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def looks_numeric(text: str) -> bool:
    """A text that is a number in Indonesian or plain spelling ("57,2", "1.234,5", "58")."""
    text = text.strip()
    return bool(_PLAIN_NUMBER.match(text)) or is_angka(text)

# What a pattern means, for the message: (what it is, an example).
_PATTERNS = {
    "^[a-z][a-z0-9-]{0,39}$": ("id huruf kecil, angka dan '-' (maks. 40 karakter, diawali huruf)",
                               "koperasi"),
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$": ("id huruf, angka, '.', '_' atau '-' (maks. 40 karakter)",
                                         "IKU-1"),
    "^([1-9]\\.[0-9]{2}|X\\.XX)\\.[0-9]{2}$": (
        "kode program U.BB.PP menurut Permendagri 90/2019 (urusan X.XX untuk program penunjang)",
        "2.17.03"),
    "^([1-9]\\.[0-9]{2}|X\\.XX)\\.[0-9]{2}\\.[0-9]\\.[0-9]{2}$": (
        "kode kegiatan U.BB.PP.K.KK menurut Permendagri 90/2019", "2.17.03.2.01"),
    "^([1-9]\\.[0-9]{2}|X\\.XX)\\.[0-9]{2}\\.[0-9]\\.[0-9]{2}\\.[0-9]{4}$": (
        "kode sub kegiatan U.BB.PP.K.KK.SSSS menurut Permendagri 90/2019", "2.17.03.2.01.0001"),
    "^[0-9]{18}$": ("NIP 18 angka, ditulis dalam tanda kutip tanpa spasi", '"197001012000031001"'),
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": ("alamat email", "nama@instansi.go.id"),
    "^(I|II|III|IV)/[a-e]$": ("golongan ruang", "IV/c"),
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": ("jam HH:MM dalam tanda kutip", '"08:00"'),
    "^[0-9]+ ([Mm]enit|[Jj]am|[Hh]ari)$": ("lama waktu: angka lalu Menit, Jam atau Hari", "2 Hari"),
    "^[0-9]{4}$": ("tahun empat angka", "2025"),
    "^[0-9]{4}-[0-9]{4}$": ("periode Renstra TAHUN-TAHUN", "2025-2029"),
    "^[A-Z]{2}$": ("kode negara dua huruf", "ID"),
    "^[0-9a-f]{7,64}$": ("id commit git (7-64 angka heksadesimal huruf kecil)", "3f2a9c1d0b"),
}
_CODE_PATTERNS = {p for p, (what, _) in _PATTERNS.items() if what.startswith("kode ")}


@cache
def load_schema(kind: str) -> dict:
    """The JSON Schema of a file kind (KINDS) from generator/data/schemas/<kind>.yaml, read once per
    process. Raises FileNotFoundError for an unknown kind."""
    # Read with our own YAML 1.2-style loader: PyYAML would turn the key `no` into False.
    text = resources.files("generator.data").joinpath("schemas", f"{kind}.yaml").read_text("utf-8")
    doc, issues = parse_text(text, f"generator/data/schemas/{kind}.yaml")
    assert doc is not None, issues
    return doc.value


@cache
def _validator(kind: str):
    import jsonschema  # 30 ms to import: only commands that check files pay for it

    return jsonschema.Draft202012Validator(load_schema(kind),
                                          format_checker=jsonschema.FormatChecker())


def check(doc: Doc, kind: str) -> list[Issue]:
    """Every schema violation of `doc`, as issues at their line and column."""
    issues: list[Issue] = []
    for error in _validator(kind).iter_errors(doc.value):
        issues.extend(_translate(error, doc))
    if kind == "bidang":
        issues += _number_texts(doc)
    return issues


def _number_texts(doc: Doc) -> list[Issue]:
    """A realisasi `nilai` may be text (a ratio such as "1:32"), so the schema accepts "57,2":
    catch numbers written as text here, with the file's other schema errors, not after them."""
    issues = []
    realisasi = doc.value.get("realisasi") if isinstance(doc.value, dict) else None
    for indikator, entry in (realisasi.items() if isinstance(realisasi, dict) else ()):
        value = entry.get("nilai") if isinstance(entry, dict) else None
        if isinstance(value, str) and looks_numeric(value):
            at = ("realisasi", indikator, "nilai")
            issues.append(_type_issue(doc.loc(at), field_name(at), value, ["number"]))
    return issues


def field_name(at: tuple) -> str:
    """`sub_kegiatan[2].pagu` for ('sub_kegiatan', 1, 'pagu'): list items counted from 1."""
    out = ""
    for part in at:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "dokumen"


def describe(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "kosong (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | Decimal | float):
        return f"angka {value}"
    if isinstance(value, str):
        return f'teks "{value}"'
    if isinstance(value, list):
        return "daftar"
    if isinstance(value, dict):
        return "pemetaan"
    return type(value).__name__


_TYPE_WORDS = {"string": "teks", "integer": "bilangan bulat", "number": "angka",
               "boolean": "boolean (true/false)", "null": "kosong (null)", "array": "daftar",
               "object": "pemetaan (kunci: nilai)"}


def _translate(error, doc: Doc) -> list[Issue]:
    at = tuple(error.absolute_path)
    name = field_name(at)
    value = error.instance
    kind = error.validator
    is_key = "propertyNames" in error.absolute_schema_path
    if is_key:
        at = (*at, value)
        return [_pattern_issue(doc.loc(at, key=True), f"kunci '{value}' di '{name}'", value,
                               error.validator_value)]
    loc = doc.loc(at)

    if kind in ("oneOf", "anyOf"):
        # One of several shapes (a role id or a dated role, a key or a list of keys): report what
        # is wrong within the shape the value has, else that its type fits none of them.
        fitting = [e for e in error.context if e.validator != "type"
                   and not any(c.validator == "type" and list(c.relative_schema_path)[:1]
                               == list(e.relative_schema_path)[:1] and not c.path
                               for c in error.context)]
        if fitting:
            deepest = max(len(e.absolute_path) for e in fitting)
            return [i for e in fitting if len(e.absolute_path) == deepest
                    for i in _translate(e, doc)][:1]
        types = []
        for branch in error.validator_value:
            shape = branch.get("type") or ("string" if "$ref" in branch else None)
            for t in shape if isinstance(shape, list) else [shape]:
                if t and t not in types:
                    types.append(t)
        return [_type_issue(loc, name, value, types)]
    if kind == "type":
        return [_type_issue(loc, name, value, error.validator_value)]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in value]
        return [galat(loc, "kunci-wajib", f"kunci wajib '{k}' tidak ada di '{name}'",
                      "tambahkan kunci ini; lihat docs/data-reference.md") for k in missing]
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        return [_unknown_key(doc.loc((*at, k), key=True), k, name, known)
                for k in value if k not in known]
    if kind == "pattern":
        return [_pattern_issue(loc, f"'{name}'", value, error.validator_value)]
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"maksudnya '{close[0]}'?" if close else None
        return [galat(loc, "nilai-tidak-dikenal",
                      f"'{name}': nilai {describe(value)} tidak dikenal; "
                      f"diharapkan salah satu dari: {', '.join(options)}", hint)]
    if kind == "minimum":
        if error.validator_value == 0:
            return [galat(loc, "nilai-negatif",
                          f"'{name}' tidak boleh negatif: ditemukan {value}")]
        return [galat(loc, "nilai-di-luar-rentang",
                      f"'{name}': diharapkan paling kecil {error.validator_value}, ditemukan {value}")]
    if kind == "maximum":
        return [galat(loc, "nilai-di-luar-rentang",
                      f"'{name}': diharapkan paling besar {error.validator_value}, ditemukan {value}")]
    if kind == "format":
        return [galat(loc, "tanggal-tidak-sah",
                      f"'{name}': tanggal {describe(value)} tidak sah; diharapkan TTTT-BB-HH",
                      "contoh: 2025-02-03")]
    if kind == "minItems":
        return [galat(loc, "daftar-kurang",
                      f"'{name}': diharapkan paling sedikit {error.validator_value} butir, "
                      f"ditemukan {len(value)}")]
    if kind == "minProperties":
        return [galat(loc, "pemetaan-kurang",
                      f"'{name}': diharapkan paling sedikit {error.validator_value} kunci, "
                      f"ditemukan {len(value)}")]
    if kind == "minLength":
        return [galat(loc, "teks-kosong", f"'{name}': teks tidak boleh kosong")]
    return [galat(loc, "skema", f"'{name}': {error.message}")]


def _type_issue(loc, name: str, value: Any, expected: str | list) -> Issue:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    words = " atau ".join(_TYPE_WORDS.get(w, w) for w in wanted)
    numeric = {"number", "integer"} & set(wanted)
    if numeric and isinstance(value, str):
        text = value.strip()
        if ("," in text or "." in text) and is_angka(text):  # "1.234" is Indonesian, as in Excel
            right = format(parse_angka(text), "f")
            return galat(loc, "angka-format-indonesia",
                         f"'{name}': angka ditulis sebagai teks berformat Indonesia \"{value}\"; "
                         f"diharapkan {words}",
                         f"tulis {right} tanpa tanda kutip: titik sebagai pemisah desimal, "
                         "tanpa pemisah ribuan")
        if _PLAIN_NUMBER.match(text):
            return galat(loc, "angka-sebagai-teks",
                         f"'{name}': angka ditulis sebagai teks \"{value}\"; diharapkan {words}",
                         f"hapus tanda kutip: {text}")
    if "integer" in wanted and "number" not in wanted and isinstance(value, Decimal):
        return galat(loc, "tipe-salah",
                     f"'{name}': diharapkan bilangan bulat, ditemukan angka pecahan {value}",
                     "rupiah ditulis sebagai bilangan bulat tanpa pemisah ribuan, misalnya 1250000000")
    return galat(loc, "tipe-salah", f"'{name}': diharapkan {words}, ditemukan {describe(value)}")


def _pattern_issue(loc, what: str, value: Any, pattern: str) -> Issue:
    meaning, example = _PATTERNS.get(pattern, (f"pola {pattern}", None))
    kode = "kode-program-salah" if pattern in _CODE_PATTERNS else "format-salah"
    hint = f"contoh: {example}" if example else None
    return galat(loc, kode, f"{what}: {describe(value)} tidak sesuai format; diharapkan {meaning}",
                 hint)


def _unknown_key(loc, key: str, name: str, known: list[str]) -> Issue:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"maksudnya '{close[0]}'?" if close else f"kunci yang dikenal: {', '.join(known)}"
    return galat(loc, "kunci-tidak-dikenal", f"kunci tidak dikenal '{key}' di '{name}'", hint)
