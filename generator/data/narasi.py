"""Narasi Markdown: the images it embeds and the constructs the report cannot show. Pure, apart
from reading the images through the Source that load.py hands in.

Images (`![Struktur Organisasi](../bukti/struktur-organisasi.png)`) are paths relative to the
narasi file, checked like bukti (must exist, must stay inside the repository), limited to PNG,
JPEG and SVG of at most `BATAS_BYTE`; an SVG is parsed and cleaned here (no DOCTYPE or entities, no
script, foreignObject, event attributes or references outside the file), so every output embeds
exactly these bytes as a data: URL and nothing is fetched at render time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from generator.data.source import normalize

BATAS_BYTE = 2 * 1024 * 1024  # 2 MiB per image: a scanned organisation chart fits, a photo album does not
JENIS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
GAMBAR = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_DILARANG = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "animate", "set"}


@dataclass(frozen=True)
class Gambar:
    """An image a narasi embeds: `src` as written in the Markdown and its position, the repository path it
    resolves to (None when it leaves the repository) and its MIME type."""

    src: str  # as written in the Markdown
    alt: str
    line: int  # 1-based line in the file
    col: int
    path: str | None  # repository path, when it resolves inside the repository
    jenis: str | None  # MIME type
    data: bytes | None  # the (for SVG: cleaned) bytes; None when there is a problem
    masalah: str | None = None  # Indonesian: why the image cannot be used
    petunjuk: str | None = None


def images(source, narasi_path: str, body: str, body_line: int) -> tuple[Gambar, ...]:
    """Every image of a narasi body, read and checked."""
    folder = narasi_path.rsplit("/", 1)[0]
    found = []
    for n, line in enumerate(body.splitlines()):
        for match in GAMBAR.finditer(line):
            src, alt = match.group("src"), match.group("alt").strip()
            at = (body_line + n, match.start("src") + 1)
            found.append(_read(source, folder, src, alt, at))
    return tuple(found)


def _read(source, folder: str, src: str, alt: str, at: tuple[int, int]) -> Gambar:
    def bad(masalah: str, petunjuk: str | None = None, path: str | None = None) -> Gambar:
        return Gambar(src, alt, *at, path, None, None, masalah, petunjuk)

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src):
        return bad(f"gambar '{src}' bukan berkas di repositori; dokumen tidak mengambil apa pun dari "
                   "internet", "simpan gambarnya di folder bukti/ tahun ini dan tulis jalurnya relatif, "
                   "misalnya ../bukti/struktur-organisasi.png")
    path = normalize(f"{folder}/{src}") if not src.startswith("/") else None
    if path is None or getattr(source, "escapes", lambda _: False)(path):
        return bad(f"gambar '{src}' berada di luar repositori",
                   "simpan gambar di folder bukti/ tahun ini, jalurnya relatif terhadap berkas narasi")
    kind = next((t for ext, t in JENIS.items() if path.lower().endswith(ext)), None)
    if kind is None:
        return bad(f"gambar '{src}' bukan PNG, JPEG atau SVG", "simpan ulang sebagai .png, .jpg atau .svg",
                   path)
    if not source.is_file(path):
        return bad(f"berkas gambar '{src}' tidak ada ({path})",
                   "jalur ditulis relatif terhadap folder narasi/, misalnya ../bukti/nama.png", path)
    data = source.read(path)
    if len(data) > BATAS_BYTE:
        return bad(f"gambar '{src}' berukuran {len(data) // 1024} KiB, melebihi batas "
                   f"{BATAS_BYTE // 1024} KiB", "perkecil resolusi atau kompres gambarnya", path)
    if kind == "image/svg+xml":
        clean, why = clean_svg(data)
        if clean is None:
            return bad(f"SVG '{src}' tidak dapat dipakai: {why}", "ekspor ulang sebagai SVG biasa atau PNG",
                       path)
        data = clean
    elif not _signature_ok(kind, data):
        return bad(f"isi berkas '{src}' bukan {kind.split('/')[1].upper()}",
                   "periksa berkasnya; ekstensi harus sesuai isinya", path)
    return Gambar(src, alt, *at, path, kind, data)


def _signature_ok(kind: str, data: bytes) -> bool:
    if kind == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    return data.startswith(b"\xff\xd8\xff")


def clean_svg(data: bytes) -> tuple[bytes | None, str | None]:
    """(cleaned SVG, None) or (None, why). Refuses DOCTYPE/entities (entity expansion) and what is
    not XML; drops scripts, foreign content, event attributes and references leaving the file."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return None, "berisi DOCTYPE atau ENTITY"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return None, f"bukan XML yang sah ({e})"
    if root.tag not in (f"{{{_SVG_NS}}}svg", "svg"):
        return None, "elemen akarnya bukan <svg>"
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in _DILARANG:
                parent.remove(child)
    for el in root.iter():
        for name in list(el.attrib):
            if _unsafe(name, el.attrib[name].strip()):
                del el.attrib[name]
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ET.tostring(root, encoding="utf-8"), None


def _unsafe(name: str, value: str) -> bool:
    """Event handlers, and references or styles that leave the file."""
    local = name.rsplit("}", 1)[-1]
    if local.lower().startswith("on"):
        return True
    if name == _XLINK or local == "href":
        return not (value.startswith("#") or value.startswith("data:image/"))
    lowered = value.lower()
    return local == "style" and "url(" in lowered and "url(#" not in lowered


# ---------------------------------------------------------------- Markdown the report cannot show

_TIDAK_DIDUKUNG = (
    (re.compile(r"^#\s"), "judul tingkat 1 (#) tidak ditampilkan: tingkat itu dipakai judul bab",
     "pakai ## untuk subjudul"),
    (re.compile(r"<(?!https?://)[a-zA-Z!/][^>]*>"), "HTML mentah di narasi tidak ditampilkan",
     "tulis dengan Markdown (**tebal**, *miring*, daftar, tabel)"),
    (re.compile(r"\[\^[^\]]+\]"), "catatan kaki Markdown ([^1]) tidak didukung dan hilang dari dokumen",
     "tulis keterangannya di dalam kalimat atau di akhir bagian"),
)


def unsupported(body: str, body_line: int) -> list[tuple[int, int, str, str]]:
    """(line, col, message, hint) for each construct the report would silently drop. Code blocks
    are skipped: what is inside them is shown as written."""
    found = []
    fenced = False
    for n, line in enumerate(body.splitlines()):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        text = re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), line)  # inline code is shown as is
        for pattern, message, hint in _TIDAK_DIDUKUNG:
            match = pattern.search(text)
            if match:
                found.append((body_line + n, match.start() + 1, message, hint))
    return found
