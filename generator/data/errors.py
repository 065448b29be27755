"""Where a problem is and what it is: the one shape every stage reports problems in."""

from __future__ import annotations

from dataclasses import dataclass

GALAT = "galat"
PERINGATAN = "peringatan"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: path relative to the repository root, 1-based line and column.

    Line and column are 0 when the problem concerns the whole file.
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


_ESCAPES = {**{c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7f, 0xa0)) if c != 0x09},
            0x0a: "\\n", 0x0d: "\\r",
            **{c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202a, 0x202f), *range(0x2066, 0x206a))}}


def one_line(text: str) -> str:
    """`text` on one line: control characters (C0 but tab, DEL, C1), Unicode line separators and
    bidi controls written as escapes (`\\n`, `\\x1b`, `\\u202e`)."""
    return text.translate(_ESCAPES)


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where (`loc`), how bad (`tingkat`: galat blocks builds and steps,
    peringatan does not), a stable `kode` for scripts, the Indonesian message and an optional hint."""

    loc: Location
    tingkat: str  # GALAT or PERINGATAN
    kode: str  # stable code for scripts, e.g. "kunci-tidak-dikenal"
    pesan: str
    petunjuk: str | None = None

    @property
    def is_error(self) -> bool:
        """True for a galat (an error), False for a peringatan."""
        return self.tingkat == GALAT

    def format(self) -> str:
        """"path:line:col: galat: pesan (petunjuk: ...)": the line `lakip validate` prints, always
        one line: control and bidi characters that came from the data are shown escaped, so a
        value cannot start a forged line (or a CI workflow command) in a log."""
        hint = f" (petunjuk: {self.petunjuk})" if self.petunjuk else ""
        return one_line(f"{self.loc}: {self.tingkat}: {self.pesan}{hint}")

    def sort_key(self) -> tuple:
        """Order of the report: by file, line, column, then level and message."""
        return (self.loc.path, self.loc.line, self.loc.col, self.tingkat, self.pesan)

    def as_json(self) -> dict:
        """The issue as `lakip validate --json` prints it: berkas, baris, kolom, tingkat, kode, pesan (hint
        appended)."""
        return {
            "berkas": self.loc.path,
            "baris": self.loc.line,
            "kolom": self.loc.col,
            "tingkat": self.tingkat,
            "kode": self.kode,
            "pesan": self.pesan if not self.petunjuk else f"{self.pesan} (petunjuk: {self.petunjuk})",
        }


def galat(loc: Location, kode: str, pesan: str, petunjuk: str | None = None) -> Issue:
    """An error Issue at `loc` (DESIGN §6: name file, line, field, expected and found)."""
    return Issue(loc, GALAT, kode, pesan, petunjuk)


def peringatan(loc: Location, kode: str, pesan: str, petunjuk: str | None = None) -> Issue:
    """A warning Issue at `loc`: reported, never blocking."""
    return Issue(loc, PERINGATAN, kode, pesan, petunjuk)


def sorted_issues(issues: list[Issue]) -> list[Issue]:
    """The issues without duplicates, in report order (Issue.sort_key)."""
    return sorted(set(issues), key=Issue.sort_key)


class LakipError(Exception):
    """A problem that stops a command; its message is Indonesian and meant for the user.

    Raise one of the subclasses; the CLI maps each type to its exit code in one place
    (`generator.cli.main.EXIT_CODES`, DESIGN §6)."""

    def __init__(self, pesan: str):
        super().__init__(pesan)
        self.pesan = pesan


class UsageError(LakipError):
    """The command was asked for something that does not exist or cannot be meant: a missing
    folder, an unknown year, step, ref or format (exit 2)."""


class Refused(LakipError):
    """The repository's state does not allow the command now: a step not due, an archive already
    made, a form older than its YAML, git failing (exit 1)."""


class DataInvalid(LakipError):
    """The repository's data has errors the command cannot work around (exit 1). `issues` are the
    errors found (sorted), when the caller has them as `Issue`s."""

    def __init__(self, pesan: str, issues: tuple[Issue, ...] = ()):
        super().__init__(pesan)
        self.issues = issues


class InternalError(LakipError):
    """A bug of lakip, not of the user or the data (exit 3)."""


_OS_REASONS = {
    "ENOENT": "berkas atau folder tidak ada", "EACCES": "izin ditolak", "EPERM": "izin ditolak",
    "EISDIR": "yang ditunjuk adalah folder, bukan berkas", "ENOTDIR": "bagian jalurnya bukan folder",
    "ENOSPC": "ruang disk penuh", "EROFS": "sistem berkas hanya-baca", "ELOOP": "terlalu banyak symlink",
    "ENAMETOOLONG": "nama terlalu panjang", "EEXIST": "sudah ada", "EIO": "galat masukan/keluaran disk",
}


def os_reason(e: OSError) -> str:
    """An OSError in Indonesian ("berkas atau folder tidak ada" for ENOENT), never the English
    strerror; an errno without a translation is named by its code (e.g. "galat sistem EBUSY")."""
    import errno

    code = errno.errorcode.get(e.errno or 0)
    if code is None:
        return "galat sistem"
    return _OS_REASONS.get(code, f"galat sistem {code}")
