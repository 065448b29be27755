"""YAML text -> plain values plus the line and column of every key and value.

PyYAML alone loses positions, accepts duplicate keys silently, expands aliases (a few lines can
allocate gigabytes) and reads `1:30` as 90 and `no` as False. This module composes the node tree
itself and builds the values with those traps closed, so that every later error can say
`file:line:col`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from generator.data.errors import Issue, Location, galat

Path_ = tuple  # a path into a document: keys (str) and list indexes (int)

_CORE = "tag:yaml.org,2002:"
_TRANSLATIONS = [
    ("could not find expected ':'", "tanda ':' yang diharapkan tidak ditemukan"),
    ("mapping values are not allowed",
     "tanda ':' tidak boleh di sini (teks yang memuat ': ' perlu diberi tanda kutip)"),
    # libyaml and pure PyYAML word the same indentation problems differently: one message for both
    ("did not find expected key", "struktur blok tidak tertutup dengan benar (indentasi tidak rata?)"),
    ("did not find expected '-' indicator", "tanda '-' butir daftar yang diharapkan tidak ditemukan"),
    ("found unexpected end of stream", "berkas berakhir sebelum waktunya (tanda kutip belum ditutup?)"),
    ("expected <block end>, but found", "struktur blok tidak tertutup dengan benar (indentasi tidak rata?)"),
    ("expected ',' or ']'", "daftar [...] tidak tertutup: diharapkan ',' atau ']'"),
    ("expected ',' or '}'", "pemetaan {...} tidak tertutup: diharapkan ',' atau '}'"),
    ("found unknown escape character", "karakter escape tidak dikenal dalam teks berkutip ganda"),
    ("found character", "karakter tidak sah untuk memulai token"),
    ("expected a single document", "berkas berisi lebih dari satu dokumen YAML (ada '---' kedua)"),
    ("but found another document", "berkas berisi lebih dari satu dokumen YAML (ada '---' kedua)"),
    ("found duplicate anchor", "anchor YAML ganda"),
    ("exceeded maximum nesting depth", "struktur YAML terlalu dalam bersarang"),  # libyaml's limit
]
_SYNTAX_HINT = "periksa indentasi, tanda ':' dan tanda kutip di sekitar baris ini"


@dataclass(frozen=True)
class Doc:
    """A parsed YAML document: the value and where each part of it stands in the file."""

    path: str
    value: Any
    spans: dict = field(default_factory=dict)  # path -> (line, col) of the value
    key_spans: dict = field(default_factory=dict)  # path -> (line, col) of the key

    def loc(self, at: Path_ = (), *, key: bool = False) -> Location:
        """Location of the value (or key) at `at`, else of its nearest ancestor that exists."""
        at = tuple(at)
        if key and at in self.key_spans:
            return Location(self.path, *self.key_spans[at])
        while at and at not in self.spans:
            at = at[:-1]
        line, col = self.spans.get(at, (1, 1))
        return Location(self.path, line, col)


class _PyLoader(yaml.SafeLoader):
    """Pure-Python composer that refuses alias events before they are resolved (used only where
    PyYAML was built without libyaml)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


# libyaml composes ten times faster; aliases then come back as shared nodes, which _shared finds.
_Loader = getattr(yaml, "CSafeLoader", _PyLoader)


class _AliasRefused(Exception):
    def __init__(self, anchor: str, mark: yaml.Mark):
        self.anchor = anchor
        self.mark = mark


def _shared(node: yaml.Node, text: str) -> _AliasRefused | None:
    """An alias used in the document (a node reached twice), located by its alias event."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            break
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack += [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    else:
        return None
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return _AliasRefused(event.anchor, event.start_mark)
    return None


def decode(data: bytes, path: str) -> tuple[str | None, list[Issue]]:
    """Strict UTF-8 decoding; the error names the line and column of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        bad = data[e.start : e.start + 1].hex().upper()
        return None, [
            galat(
                Location(path, line, col),
                "bukan-utf8",
                f"berkas bukan teks UTF-8: bait 0x{bad} tidak sah",
                "simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding > UTF-8)",
            )
        ]
    text = text.removeprefix("\ufeff")
    bad = _BAD_CHAR.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return None, [galat(Location(path, line, col), "karakter-tidak-sah",
                            f"berkas berisi karakter {_char_name(bad.group())} yang tidak sah di teks",
                            _BAD_CHAR_HINT)]
    return text, []


# Characters that XML 1.0 (DOCX, XLSX, the site) cannot hold: C0 controls other than tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF. They pass YAML as escapes ("\a", "\0", "\uFFFE").
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_CHAR_HINT = "hapus karakter itu; biasanya terbawa saat menyalin dari dokumen lain"
# Every number is below 10^15 (rupiah included) and has at most 12 decimals: the figures' Decimal
# arithmetic (28 digits) then never overflows (PermenPANRB 53/2014 tables show 2 decimals).
NUMBER_LIMIT = 10 ** 15
_DECIMALS = 12


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}" + (" (NUL)" if char == "\0" else "")


def parse_text(text: str, path: str, line_offset: int = 0) -> tuple[Doc | None, list[Issue]]:
    """Parse YAML text. Returns the document, or None with the issues that prevented it."""
    tabs = _tab_issues(text, path, line_offset)
    if tabs:
        return None, tabs
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        refused = _shared(node, text) if node is not None else None
        if refused:
            raise refused
    except _AliasRefused as e:
        return None, [
            galat(
                _mark_loc(path, e.mark, line_offset),
                "alias-yaml",
                f"alias YAML '*{e.anchor}' tidak diizinkan",
                "tulis nilainya langsung; anchor dan alias dapat dipakai untuk membengkakkan memori",
            )
        ]
    except yaml.MarkedYAMLError as e:
        if "undefined alias" in (e.problem or ""):
            return None, [galat(_mark_loc(path, e.problem_mark, line_offset), "alias-yaml",
                                "alias YAML tidak diizinkan (dan anchor-nya pun tidak ada)",
                                "tulis nilainya langsung")]
        mark = e.problem_mark or e.context_mark
        begun = ""
        if e.context_mark and mark and e.context_mark.line != mark.line:
            begun = f" (bagian ini dimulai di baris {e.context_mark.line + 1 + line_offset})"
        return None, [
            galat(
                _mark_loc(path, mark, line_offset),
                "yaml-sintaks",
                f"sintaks YAML salah: {_translate(e)}{begun}",
                _SYNTAX_HINT,
            )
        ]
    except yaml.YAMLError as e:  # errors without a mark (rare): still an Indonesian message
        return None, [galat(Location(path, 1 + line_offset, 1), "yaml-sintaks",
                            f"sintaks YAML salah: {e}", _SYNTAX_HINT)]
    except RecursionError:
        return None, [galat(Location(path, 1 + line_offset, 1), "yaml-terlalu-dalam",
                            "struktur YAML terlalu dalam bersarang")]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            galat(
                Location(path, 1 + line_offset, 1),
                "berkas-kosong",
                "berkas kosong: tidak ada data YAML",
                "isi berkas sesuai contoh di docs/data-reference.md, atau hapus berkasnya",
            )
        ]
    builder = _Builder(path, line_offset)
    try:
        value = builder.build(node, ())
    except RecursionError:
        return None, [galat(Location(path, 1 + line_offset, 1), "yaml-terlalu-dalam",
                            "struktur YAML terlalu dalam bersarang")]
    if builder.issues:
        return None, builder.issues
    return Doc(path, value, builder.spans, builder.key_spans), []


def split_front_matter(text: str, path: str) -> tuple[str | None, int, str, int, list[Issue]]:
    """Split a Markdown file into (front matter YAML, its line offset, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None, 0, text, 1, [
            galat(
                Location(path, 1, 1),
                "front-matter-tidak-ada",
                "front matter tidak ada: baris pertama harus '---'",
                "awali berkas dengan blok '---', kunci-kuncinya, lalu '---'",
            )
        ]
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i]), 1, "".join(lines[i + 1 :]), i + 2, []
    return None, 0, text, 1, [
        galat(
            Location(path, 1, 1),
            "front-matter-tidak-ditutup",
            "front matter tidak ditutup: baris '---' penutup tidak ditemukan",
            "tambahkan baris '---' setelah kunci-kunci front matter",
        )
    ]


def _tab_issues(text: str, path: str, line_offset: int) -> list[Issue]:
    issues = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        col = line.find("\t", 0, indent)
        if col >= 0:
            issues.append(
                galat(
                    Location(path, number + line_offset, col + 1),
                    "tab",
                    "karakter tab dipakai untuk indentasi",
                    "YAML hanya menerima spasi untuk indentasi; ganti tab dengan spasi",
                )
            )
    return issues


def _mark_loc(path: str, mark: yaml.Mark | None, line_offset: int) -> Location:
    if mark is None:
        return Location(path, 1 + line_offset, 1)
    return Location(path, mark.line + 1 + line_offset, mark.column + 1)


def _translate(e: yaml.MarkedYAMLError) -> str:
    problem = e.problem or ""
    for english, indonesian in _TRANSLATIONS:
        if english in problem:
            return indonesian
    return problem or str(e)


_YAML12_BOOL = re.compile(r"^(true|false)$", re.IGNORECASE)


class _Builder:
    def __init__(self, path: str, line_offset: int):
        self.path = path
        self.line_offset = line_offset
        self.spans: dict = {}
        self.key_spans: dict = {}
        self.issues: list[Issue] = []

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def build(self, node: yaml.Node, at: Path_) -> Any:
        self.spans[at] = self._pos(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _CORE + "map":
                return self._bad_tag(node)
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _CORE + "seq":
                return self._bad_tag(node)
            return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, at: Path_) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.issues.append(galat(Location(self.path, *self._pos(key_node)), "kunci-bukan-teks",
                                         "kunci pemetaan harus berupa teks sederhana"))
                continue
            key = self._text(key_node)
            if key == "<<":
                self.issues.append(galat(Location(self.path, *self._pos(key_node)), "alias-yaml",
                                         "kunci gabungan YAML '<<' tidak diizinkan",
                                         "tulis kunci-kuncinya langsung"))
                continue
            if key in result:
                first_line = self.key_spans[(*at, key)][0]
                self.issues.append(
                    galat(
                        Location(self.path, *self._pos(key_node)),
                        "kunci-ganda",
                        f"kunci ganda '{key}': sudah ditulis di baris {first_line}",
                        "hapus salah satunya; YAML hanya memakai satu nilai dan yang lain hilang diam-diam",
                    )
                )
                continue
            self.key_spans[(*at, key)] = self._pos(key_node)
            result[key] = self.build(value_node, (*at, key))
        return result

    def _text(self, node: yaml.ScalarNode) -> str:
        text = node.value
        bad = _BAD_CHAR.search(text)
        if bad:
            self.issues.append(galat(Location(self.path, *self._pos(node)), "karakter-tidak-sah",
                                     f"teks berisi karakter {_char_name(bad.group())} yang tidak sah",
                                     _BAD_CHAR_HINT))
        return text

    def _number(self, node: yaml.ScalarNode, number: Any) -> Any:
        if isinstance(number, Decimal) and not number.is_finite():
            self.issues.append(galat(Location(self.path, *self._pos(node)), "angka-tidak-sah",
                                     f"angka '{node.value}' tidak sah: tak hingga dan NaN tidak diizinkan"))
            return None
        if abs(number) >= NUMBER_LIMIT:
            self.issues.append(galat(Location(self.path, *self._pos(node)), "angka-di-luar-batas",
                                     f"angka '{node.value}' di luar batas: harus kurang dari "
                                     "1.000.000.000.000.000 (10^15)",
                                     "periksa jumlah angka nol; rupiah ditulis tanpa titik"))
            return None
        if isinstance(number, Decimal) and number.as_tuple().exponent < -_DECIMALS:
            self.issues.append(galat(Location(self.path, *self._pos(node)), "angka-di-luar-batas",
                                     f"angka '{node.value}' terlalu banyak angka desimal (paling banyak "
                                     f"{_DECIMALS})"))
            return None
        return number

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _CORE + "str":
            return self._text(node)
        if tag == _CORE + "null":
            return None
        if tag == _CORE + "bool":
            # YAML 1.1 reads yes/no/on/off as booleans; only true/false count here (YAML 1.2).
            return text.lower() == "true" if _YAML12_BOOL.match(text) else text
        if tag == _CORE + "timestamp":
            return text  # dates stay ISO text; the schema checks their format
        if tag in (_CORE + "int", _CORE + "float"):
            if ":" in text:  # YAML 1.1 sexagesimal: "1:32" would silently become 92
                return text
            if tag == _CORE + "int":
                return self._number(node, yaml.SafeLoader.construct_yaml_int(_DUMMY, node))
            try:
                number = Decimal(text.replace("_", ""))
            except InvalidOperation:
                number = Decimal("NaN")
            return self._number(node, number)
        return self._bad_tag(node)

    def _bad_tag(self, node: yaml.Node) -> None:
        self.issues.append(
            galat(
                Location(self.path, *self._pos(node)),
                "tag-yaml",
                f"tag YAML '{node.tag}' tidak didukung",
                "hapus tag '!...' dan tulis nilainya sebagai teks, angka, daftar atau pemetaan biasa",
            )
        )
        return None


_DUMMY = yaml.SafeLoader("")  # borrowed for its int constructor (0x.., 0o.., 1_000)
