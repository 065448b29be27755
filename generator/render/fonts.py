"""The fonts of the PDF (issue 12): the package's Liberation fonts (`generator/fonts/`, SIL OFL
1.1) loaded by `@font-face` under lakip's own family names, the URL fetcher that serves only
them and `data:` URLs, the font files a render used (for the archive manifest's environment),
and which configured family a machine lacks.

Why own family names ("Lakip Sans", not "Liberation Sans"): WeasyPrint adds an `@font-face`
file to fontconfig beside the system's fonts and does not mask a system font of the same name,
so "Liberation Sans" could still resolve to whichever version the machine has installed. A name
only the package's files carry always resolves to them: the PDF looks, and measures, the same on
every machine."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

SCHEME = "lakip-huruf"

# @font-face family -> (CSS weight, CSS style) -> file in generator/fonts/
PAKET: dict[str, dict[tuple[str, str], str]] = {
    family: {("normal", "normal"): f"{stem}-Regular.ttf", ("bold", "normal"): f"{stem}-Bold.ttf",
             ("normal", "italic"): f"{stem}-Italic.ttf", ("bold", "italic"): f"{stem}-BoldItalic.ttf"}
    for family, stem in (("Lakip Sans", "LiberationSans"), ("Lakip Serif", "LiberationSerif"))}


def font_bytes(name: str) -> bytes:
    """The bytes of one shipped font file (a name of `PAKET`); KeyError for any other name."""
    if name not in {f for faces in PAKET.values() for f in faces.values()}:
        raise KeyError(name)
    return _read(name)


@cache
def _read(name: str) -> bytes:
    return resources.files("generator.fonts").joinpath(name).read_bytes()


@cache
def packaged() -> dict[str, str]:
    """SHA-256 (hex) of every shipped font file -> its file name: how the manifest recognises a
    font of the package among the fonts a render used. Missing files are left out (a broken
    install then shows up as a missing font, never as an error here)."""
    found = {}
    for faces in PAKET.values():
        for name in faces.values():
            try:
                found[hashlib.sha256(_read(name)).hexdigest()] = name
            except OSError:
                continue
    return found


def face_css() -> str:
    """The `@font-face` rules of the shipped families, given to WeasyPrint as a user stylesheet
    (the HTML output does not carry them: a browser uses its own Liberation/Arial)."""
    rules = []
    for family, faces in PAKET.items():
        for (weight, style), name in faces.items():
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                         f'font-style: {style}; src: url("{SCHEME}:{name}"); }}')
    return "\n".join(rules) + "\n"


def fetcher():
    """A WeasyPrint URL fetcher that serves the shipped fonts (`lakip-huruf:NAME`) and `data:`
    URLs, and refuses everything else: a document never reads the file system or the network,
    whatever its content says."""
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class Fetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(f"{SCHEME}:"):
                name = url.removeprefix(f"{SCHEME}:")
                return URLFetcherResponse(url, font_bytes(name), {"Content-Type": "font/ttf"})
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"data"})


def used(document) -> list[dict]:
    """The font files a WeasyPrint document used after `write_pdf`: one entry per family name
    and file, `{"keluarga", "sha256", "paket"}` (`paket`: the shipped file's name, else None for
    a font of the machine), sorted. The hash is of the whole original file (harfbuzz keeps the
    face the subset was cut from). The family is kept apart from the file: the same Liberation
    file reached as "Lakip Sans" and as the machine's "Liberation Sans" (asked for by an SVG
    image of the content) is two entries, and a machine without the latter records one."""
    from weasyprint.text.fonts import get_hb_object_data

    shipped = packaged()
    found: dict[tuple[str, str], dict] = {}
    for font in document.fonts.values():
        try:
            digest = hashlib.sha256(get_hb_object_data(font.hb_face)).hexdigest()
        except Exception:
            digest = str(font.hash)
        family = str(font.family)
        found.setdefault((family, digest), {"keluarga": family, "sha256": digest,
                                            "paket": shipped.get(digest) if family in PAKET else None})
    return [found[key] for key in sorted(found)]


def missing(families: tuple[str, ...]) -> list[str]:
    """The families of `families` that neither the package ships nor fontconfig lists on this
    machine, in order. Fontconfig is asked through its library (no program runs); a machine
    whose fontconfig cannot be loaded counts nothing as missing."""
    absent = []
    for family in families:
        if family in PAKET:
            if not all(_exists(name) for name in PAKET[family].values()):
                absent.append(family)
        elif _fontconfig_count(family) == 0:
            absent.append(family)
    return absent


class _FontSet(ctypes.Structure):
    _fields_ = (("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p))


@cache
def _fontconfig():
    name = ctypes.util.find_library("fontconfig")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.FcPatternCreate.restype = ctypes.c_void_p
    lib.FcPatternAddString.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p)
    lib.FcPatternDestroy.argtypes = (ctypes.c_void_p,)
    lib.FcObjectSetCreate.restype = ctypes.c_void_p
    lib.FcObjectSetAdd.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
    lib.FcObjectSetDestroy.argtypes = (ctypes.c_void_p,)
    lib.FcFontList.restype = ctypes.POINTER(_FontSet)
    lib.FcFontList.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
    lib.FcFontSetDestroy.argtypes = (ctypes.POINTER(_FontSet),)
    return lib


@cache
def register_default() -> bool:
    """Make the shipped families known to fontconfig's default configuration of this process
    under their lakip names (as WeasyPrint does for its own configuration), so CairoSVG, which
    draws the charts of the DOCX through cairo, finds "Lakip Sans" too. Once per process; False
    when fontconfig or the files on disk are not available (the charts then use a system font)."""
    lib = _fontconfig()
    if lib is None:
        return False
    lib.FcConfigParseAndLoadFromMemory.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
    lib.FcConfigAppFontAddFile.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
    folder = resources.files("generator.fonts")
    rules, files = [], []
    for family, faces in PAKET.items():
        for name in faces.values():
            path = Path(str(folder.joinpath(name)))
            if not path.is_file():
                return False
            files.append(path)
            rules.append(f'<match target="scan"><test name="file" compare="eq"><string>{escape(str(path))}'
                         f'</string></test><edit name="family" mode="prepend"><string>{family}</string>'
                         '</edit></match>')
    xml = ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
           f'<fontconfig>{"".join(rules)}</fontconfig>')
    lib.FcConfigGetCurrent.restype = ctypes.c_void_p
    config = lib.FcConfigGetCurrent()  # initialises fontconfig; NULL is not accepted by the parser
    if not config or not lib.FcConfigParseAndLoadFromMemory(config, xml.encode("utf-8"), 0):
        return False
    return all(lib.FcConfigAppFontAddFile(config, str(p).encode()) for p in files)


def _fontconfig_count(family: str) -> int | None:
    """How many fonts of `family` fontconfig lists (its default configuration, which honours
    FONTCONFIG_FILE); None when fontconfig cannot be asked."""
    lib = _fontconfig()
    if lib is None:
        return None
    pattern = lib.FcPatternCreate()
    objects = lib.FcObjectSetCreate()
    try:
        lib.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        lib.FcObjectSetAdd(objects, b"family")
        listed = lib.FcFontList(None, pattern, objects)
        if not listed:
            return 0
        count = listed.contents.nfont
        lib.FcFontSetDestroy(listed)
        return count
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)


def _exists(name: str) -> bool:
    try:
        _read(name)
    except OSError:
        return False
    return True
