"""The one Jinja environment of every output: StrictUndefined, autoescape, office overrides.

An office repository may keep its own site_templates/; its files override the defaults that ship
with lakip by name, as an MkDocs theme's custom_dir does.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path
from types import CodeType
from typing import ClassVar

import jinja2
import nh3
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.figures import formats
from generator.template import template_dir

DEFAULTS = template_dir() / "site_templates"

# What Markdown in narasi and review notes may produce; everything else is stripped (nh3).
_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "blockquote",
         "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
         "td", "a", "hr", "span"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def _no_network_path(tag: str, attribute: str, value: str) -> str | None:
    """Drop protocol-relative links (`//host/x`, and `/\\host`, which browsers read the same):
    nh3 counts them as relative, but they leave the site for another host."""
    if attribute == "href" and value.lstrip()[:2].replace("\\", "/") == "//":
        return None
    return value


# Python-Markdown takes quadratic time on unclosed '[' (2,000 take 8 s, 20,000 minutes) and
# recurses once per nesting level (3,000 nested list items: RecursionError). No real narasi comes
# near these limits; text beyond them is shown as plain paragraphs.
_MAX_BRACKETS, _MAX_DEPTH = 300, 30


def _pathological(text: str) -> bool:
    if text.count("[") > _MAX_BRACKETS:
        return True
    for line in text.splitlines():
        depth, rest = 0, line.lstrip()
        while rest[:1] in (">", "-", "*", "+") and rest[:1] != "":
            depth += 1
            if depth > _MAX_DEPTH:
                return True
            rest = rest[1:].lstrip()
    return False


def _plain(text: str) -> Markup:
    """Text as escaped paragraphs, no Markdown: for input Markdown cannot render in time."""
    from markupsafe import escape

    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("".join(f"<p>{escape(b)}</p>\n" for b in blocks))


def markdown_html(text: str, shift: int = 0) -> Markup:
    """Markdown from untrusted content -> sanitized HTML. `shift` demotes headings (## -> ###)."""
    import markdown

    # The toc extension's baselevel demotes headings (capped at h6); its ids are stripped below,
    # and an empty marker keeps a "[TOC]" in the text as text.
    toc = {"baselevel": 1 + shift, "marker": ""}
    if _pathological(text):
        return _plain(text)
    try:
        html = markdown.markdown(text, extensions=["tables", "sane_lists", "toc"],
                                 extension_configs={"toc": toc}, output_format="html")
    except RecursionError:
        return _plain(text)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer", attribute_filter=_no_network_path)
    return Markup(clean)


class _OfficeLoader(jinja2.BaseLoader):
    """The office's site_templates/, read without following any symlink (the repository is data:
    a template that is a link to /etc/passwd or ~/.ssh is absent, and validate reports it)."""

    def __init__(self, root: Path):
        from generator.data.source import FsSource

        self.source = FsSource(root)

    def get_source(self, environment: jinja2.Environment, template: str):
        rel = f"site_templates/{template}"
        if not self.source.is_file(rel):
            raise jinja2.TemplateNotFound(template)
        try:
            text = self.source.read(rel).decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise jinja2.TemplateNotFound(template) from e
        return text, None, lambda: False  # never reused across edits: re-read on each load


class _Sandbox(SandboxedEnvironment):
    """The sandbox, compiling each template once per process.

    Compiling the document templates costs about half a second of every HTML render, paid again
    by each environment (each build, each draft at `lakip meja`, each portal page). Compiled code
    is kept here, in this process's memory only, under everything compiling depends on: the
    template's name and file name, the SHA-256 of its source (an edited template, an office's
    override or another tree's copy compiles anew) and the names of the filters and tests (checked
    while compiling; callers add their own). Every environment comes from `environment()`, so
    the other options are the same. Nothing compiled is ever written to or read from a file: that
    would be loading code from a place someone else may write (tests/test_hardening.py)."""

    _compiled: ClassVar[OrderedDict[tuple, CodeType]] = OrderedDict()
    LIMIT = 512  # entries; an office editing its overrides in a long `lakip serve` adds a few each

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[override]
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        key = (name, filename, defer_init, tuple(sorted(self.filters)), tuple(sorted(self.tests)),
               hashlib.sha256(source.encode("utf-8")).hexdigest())
        code = self._compiled.get(key)
        if code is None:
            code = super().compile(source, name, filename, raw, defer_init)
            self._compiled[key] = code
            while len(self._compiled) > self.LIMIT:
                self._compiled.popitem(last=False)
        return code


def environment(root: Path | None = None, overrides: dict[str, str] | None = None) -> jinja2.Environment:
    """Templates of the office's site_templates/ first, then lakip's defaults, in Jinja's
    SandboxedEnvironment (templates cannot reach Python internals: `cycler.__init__.__globals__`
    raises SecurityError). `overrides` replaces the office's folder with templates read elsewhere
    (a git tree, for `build --ref`)."""
    defaults = jinja2.FileSystemLoader(str(DEFAULTS))
    if overrides is not None:
        loader = jinja2.ChoiceLoader([jinja2.DictLoader(overrides), defaults])
    elif root is not None and (root / "site_templates").is_dir():
        loader = jinja2.ChoiceLoader([_OfficeLoader(root), defaults])
    else:
        loader = defaults
    # Sandboxed: the office's templates come from the repository, which is data (DESIGN §5); no
    # compiled templates on disk, since loading them is loading code (_Sandbox keeps in memory
    # only what this process compiled).
    env = _Sandbox(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg", "md"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({
        "angka": formats.angka, "persen": formats.persen, "rupiah": formats.rupiah,
        "tanggal": formats.tanggal, "nip": formats.nip, "nilai": formats.nilai,
        "nilai_angka": lambda x: formats.nilai(x) if x is not None else "–",
        "markdown": markdown_html,
    })
    env.globals["dict_tahun"] = lambda rows: {y: (r, c) for y, r, c in rows}
    return env


def render(env: jinja2.Environment, template: str, ctx: dict) -> str:
    """`template` rendered with `ctx`. A template the office wrote that breaks (syntax, an unknown
    name, or what the sandbox refuses: `cycler.__init__.__globals__`) is a DataInvalid naming it,
    never a traceback. Raises DataInvalid."""
    from generator.data.errors import DataInvalid

    try:
        return env.get_template(template).render(ctx)
    except jinja2.TemplateSyntaxError as e:
        raise DataInvalid(f"templat {e.name or template} baris {e.lineno} salah tulis: {e.message}") from None
    except jinja2.TemplateError as e:
        raise DataInvalid(f"templat {template} ditolak atau gagal dirender: {e}") from None
