"""Caches and safe file writes: the lowest layer, imported by everything and importing nothing of
lakip but its version.

Caches (DESIGN §2, §5 "Untrusted repository"): one JSON file per kind in the user's cache folder
(platformdirs: `~/.cache/lakip` on Linux), never under `.git/` or the work tree, so a repository
handed over as a zip brings no cache with it. Every key is made by the caller from what the
answer depends on (file bytes, object ids, commit id + allowed-signers text, library versions);
a file is signed with an HMAC under a random key kept next to the caches, so a file edited by
anyone without that key is ignored as a whole. A cache can only make lakip faster: an unreadable,
foreign, edited or unwritable cache means "compute again", never an error and never another
answer. JSON only (no pickle: loading a pickle runs code).

Writes (`write_file`, `make_dirs`, `remove_file`): inside a folder that lakip trusts (the output
folder the user named, a folder lakip made), every path component is opened with `O_NOFOLLOW`:
a symlink that lakip did not create is refused, never written, deleted or copied through.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import __version__

_LIMIT = 20000  # entries kept per cache file; the least recently used go first
_KEY_FILE = "kunci"


class UnsafePath(OSError):
    """A path lakip would write, delete or read through is a symlink (or not what it must be).

    `path` is the offending path; `pesan` an Indonesian sentence naming it."""

    def __init__(self, path: Path, pesan: str):
        super().__init__(pesan)
        self.path = path
        self.pesan = pesan


# ---------------------------------------------------------------- safe writes


def _open_dir(base: Path, parts: tuple[str, ...], create: bool) -> int:
    """A descriptor of base/parts..., each component opened with O_NOFOLLOW (created when
    `create`). `base` itself is trusted (named by the user or made by lakip), but must be a real
    folder when it is the last component a caller passes."""
    flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(base, flags)
    try:
        for i, part in enumerate(parts):
            if part in ("", ".", ".."):
                raise UnsafePath(base.joinpath(*parts[:i + 1]), f"jalur tidak sah: {base.joinpath(*parts)}")
            try:
                child = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:  # ELOOP (a symlink) or ENOTDIR (a file)
                here = base.joinpath(*parts[:i + 1])
                raise UnsafePath(here, _refusal(here, "folder")) from None
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


def _refusal(path: Path, wanted: str) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return f"'{path}' tidak dapat dibuka sebagai {wanted}"
    if stat.S_ISLNK(mode):
        return (f"'{path}' adalah symlink yang tidak dibuat oleh lakip: tidak ditulis, dihapus "
                "atau disalin melaluinya (hapus symlink itu)")
    return f"'{path}' bukan {wanted}"


def _split(base: Path, path: Path) -> tuple[str, ...]:
    try:
        rel = path.relative_to(base)
    except ValueError:
        raise UnsafePath(path, f"'{path}' berada di luar '{base}'") from None
    return rel.parts


def check_folder(path: Path) -> None:
    """Refuse `path` when it exists and is not a real folder (a symlink, a file, a device):
    for folders the user names (`--out`), whose last component lakip will write into.

    Raises UnsafePath."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        raise UnsafePath(path, _refusal(path, "folder"))


OWNED_MARK = ".lakip-dibuat"  # in every folder lakip replaces whole (the site, the portal)


def check_replaceable(path: Path, what: str) -> None:
    """Refuse to replace `path` as a whole unless it is absent, an empty folder, or a folder lakip
    made (it holds the `OWNED_MARK` file): `--out` may name a web root or a folder of someone's
    files, which a rebuild must never delete. `what` names the folder in the message ("situs").

    Raises UnsafePath."""
    check_folder(path)
    if not path.exists() or not any(path.iterdir()):
        return
    mark = path / OWNED_MARK
    if not (mark.is_file() and not mark.is_symlink()):
        raise UnsafePath(path, f"folder '{path}' berisi berkas lain dan bukan {what} yang dibuat lakip "
                               f"(tidak ada berkas {OWNED_MARK}); lakip tidak menghapusnya. Pilih folder "
                               "baru atau kosong, atau kosongkan folder itu sendiri")


def mark_owned(path: Path, what: str) -> None:
    """Write the `OWNED_MARK` file into a folder lakip has just made (before it is swapped in)."""
    (path / OWNED_MARK).write_text(f"{what} ini dibuat oleh lakip dan diganti seluruhnya pada setiap "
                                   "build; jangan menyimpan berkas lain di sini.\n", encoding="utf-8")


def swap_in(fresh: Path, target: Path, what: str) -> None:
    """Replace `target` (checked by `check_replaceable`) with the folder `fresh` lakip just built
    beside it, marking it as lakip's own (`mark_owned`): a failed build never gets here, so the
    previous folder stays as it was. rmtree never follows links."""
    import shutil

    mark_owned(fresh, what)
    if target.exists():
        shutil.rmtree(target)
    fresh.rename(target)


def make_dirs(base: Path, path: Path) -> None:
    """Create `path` (inside `base`) and its parents without following any symlink below `base`.

    Raises UnsafePath when a component is a symlink or not a folder."""
    if not base.exists():
        os.makedirs(base, exist_ok=True)
    check_folder(base)
    os.close(_open_dir(base, _split(base, path), create=True))


def write_file(base: Path, path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write `path` (inside the trusted folder `base`) atomically: a new file in the same folder,
    then renamed over the old one. No component below `base` is followed when it is a symlink,
    and a symlink at `path` itself is replaced, never written through.

    Raises UnsafePath (a symlink or a non-folder on the way) or OSError (disk, permissions)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    parts = _split(base, path)
    if not parts:
        raise UnsafePath(path, f"'{path}' adalah folder, bukan berkas")
    if not base.exists():
        os.makedirs(base, exist_ok=True)
    check_folder(base)
    fd = _open_dir(base, parts[:-1], create=True)
    name = parts[-1]
    tmp = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                      mode, dir_fd=fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(out, view):]
        finally:
            os.close(out)
        try:
            existing = os.lstat(name, dir_fd=fd).st_mode
        except FileNotFoundError:
            existing = None
        if existing is not None and stat.S_ISDIR(existing):
            os.unlink(tmp, dir_fd=fd)
            raise UnsafePath(path, f"'{path}' adalah folder, bukan berkas")
        os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=fd)
        raise
    finally:
        os.close(fd)


def read_file(base: Path, path: Path) -> bytes:
    """The bytes of `path` inside `base`, refusing symlinks on the way and at the end.

    Raises UnsafePath or FileNotFoundError."""
    parts = _split(base, path)
    fd = _open_dir(base, parts[:-1], create=False)
    try:
        try:
            # O_NONBLOCK: a FIFO must not hang the read (it is then refused as not a file)
            f = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                        dir_fd=fd)
        except OSError as e:
            if isinstance(e, FileNotFoundError):
                raise
            raise UnsafePath(path, _refusal(path, "berkas")) from None
        with os.fdopen(f, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnsafePath(path, _refusal(path, "berkas"))
            return handle.read()
    finally:
        os.close(fd)


def remove_file(base: Path, path: Path) -> bool:
    """Delete the file (or symlink itself) at `path` inside `base`; folders on the way are not
    followed through symlinks. Returns False when there was nothing to delete.

    Raises UnsafePath when a folder on the way is a symlink."""
    parts = _split(base, path)
    try:
        fd = _open_dir(base, parts[:-1], create=False)
    except FileNotFoundError:
        return False
    try:
        mode = os.lstat(parts[-1], dir_fd=fd).st_mode
        if stat.S_ISDIR(mode):
            return False
        os.unlink(parts[-1], dir_fd=fd)
        return True
    except FileNotFoundError:
        return False
    finally:
        os.close(fd)


def walk_files(base: Path) -> Iterator[str]:
    """Relative POSIX paths of the regular files under `base`, never entering symlinked folders
    (symlinks themselves are not listed)."""
    for folder, dirs, files in os.walk(base, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in files:
            if stat.S_ISREG(os.lstat(here / name).st_mode):
                yield (here / name).relative_to(base).as_posix()


# ---------------------------------------------------------------- caches


def cache_folder() -> Path:
    """The user's cache folder for lakip (platformdirs; `$XDG_CACHE_HOME/lakip` on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path("lakip", appauthor=False)


def key_folder() -> Path:
    """Where the key that signs this user's cache files lives (platformdirs' user state folder,
    `$XDG_STATE_HOME/lakip` on Linux): never inside the cache folder, so whoever can write the
    cache (a CI cache restored from another branch, a copied folder) cannot sign what it plants."""
    from platformdirs import user_state_path

    return user_state_path("lakip", appauthor=False)


def _mac_key(cache: Path) -> bytes | None:
    """The random key that signs the files of the cache folder `cache`; made on first use (mode
    0600) in `key_folder()`, one per cache folder."""
    folder = key_folder()
    path = folder / f"{_KEY_FILE}-{hashlib.sha256(str(cache.resolve()).encode()).hexdigest()[:16]}"
    try:
        data = read_file(folder, path)
        if len(data) == 32:
            return data
    except (OSError, UnsafePath):
        pass
    try:
        write_file(folder, path, secrets.token_bytes(32), mode=0o600)
        data = read_file(folder, path)
        return data if len(data) == 32 else None
    except OSError:
        return None  # cannot keep caches here: run without them


class Store:
    """One cache: a JSON object of key -> value in `<cache folder>/<name>.json`, loaded on first
    use and saved with `save()`. Values must be JSON values. `folder=None` keeps it in memory."""

    def __init__(self, name: str, folder: Path | None):
        self.name = name
        self.folder = folder
        self._entries: dict[str, Any] | None = None
        self._key: bytes | None = None
        self.changed = False

    def _mac(self, body: bytes) -> str:
        assert self._key is not None
        return hmac.new(self._key, self.name.encode() + b"\0" + body, hashlib.sha256).hexdigest()

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def _load(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        self._key = _mac_key(self.folder)
        if self._key is None:
            self.folder = None
            return {}
        try:
            raw = read_file(self.folder, self.folder / f"{self.name}.json")
            mac, _, body = raw.partition(b"\n")
            if not hmac.compare_digest(mac.decode("ascii"), self._mac(body)):
                return {}
            data = json.loads(body)
            if not isinstance(data, dict) or data.get("lakip") != __version__ or not isinstance(
                    data.get("isi"), dict):
                return {}
            return data["isi"]
        except (OSError, ValueError, UnicodeDecodeError):
            return {}

    def get(self, key: str) -> Any | None:
        value = self.entries.pop(key, None)
        if value is not None:
            self.entries[key] = value  # most recently used last
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:
        """Write the cache back (atomically); a folder that cannot be written is no error.
        Inside `deferred()` the write waits for its end."""
        if _DEFERRED[0]:
            return
        if self.folder is None or not self.changed or self._key is None:
            self.changed = False
            return
        entries = self.entries
        while len(entries) > _LIMIT:
            entries.pop(next(iter(entries)))
        body = json.dumps({"lakip": __version__, "isi": entries}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        with contextlib.suppress(OSError):
            write_file(self.folder, self.folder / f"{self.name}.json",
                       self._mac(body).encode("ascii") + b"\n" + body, mode=0o600)
        self.changed = False


_OPEN: dict[tuple[Path | None, str], Store] = {}
_DEFERRED = [0]  # depth of `deferred()` blocks


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Within the block `Store.save()` writes nothing; at its end every store changed in it is
    written once. For a loop over many repositories in one process (the city portal): a cache
    file is rewritten whole on each save, so saving after every file read of every office grows
    with the square of the number of offices."""
    _DEFERRED[0] += 1
    try:
        yield
    finally:
        _DEFERRED[0] -= 1
        if not _DEFERRED[0]:
            for opened in list(_OPEN.values()):
                opened.save()


def store(name: str) -> Store:
    """The cache `name` of this user, opened once per process (and per cache folder, so tests
    that change XDG_CACHE_HOME get their own). `LAKIP_TANPA_CACHE=1` turns every cache off."""
    folder = _usable_cache_folder()
    key = (folder, name)
    if key not in _OPEN:
        _OPEN[key] = Store(name, folder)
    return _OPEN[key]


def digest(*parts: str | bytes) -> str:
    """A cache key from the things an answer depends on (SHA-256, hex)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


# ---------------------------------------------------------------- stored outputs

_BLOB_FOLDER = "keluaran"
_BLOB_LIMIT = 64  # output files kept; the least recently used go first (a large office's PDF is ~1 MB)


class Blobs:
    """Output files by key (content-addressed outputs): `<cache folder>/keluaran/<key>`, each
    file the HMAC of key and bytes (64 hex digits and a newline) followed by the bytes, so a
    file changed by anyone without this user's cache key, or stored under another key, is never
    served. `folder=None` keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder / _BLOB_FOLDER if folder is not None else None
        self._key = _mac_key(folder) if folder is not None else None

    def _mac(self, key: str, data: bytes) -> bytes:
        assert self._key is not None
        return hmac.new(self._key, b"keluaran\0" + key.encode("ascii") + b"\0" + data,
                        hashlib.sha256).hexdigest().encode("ascii")

    def _path(self, key: str) -> Path | None:
        if self.folder is None or self._key is None or not key.isalnum():
            return None
        return self.folder / key

    def get(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None (absent, unreadable, or not signed by us)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            raw = read_file(self.folder, path)
        except (OSError, UnsafePath):
            return None
        mac, data = raw[:64], raw[65:]
        if raw[64:65] != b"\n" or not hmac.compare_digest(mac, self._mac(key, data)):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`; a folder that cannot be written is no error."""
        path = self._path(key)
        if path is None:
            return
        with contextlib.suppress(OSError):
            write_file(self.folder, path, self._mac(key, data) + b"\n" + data, mode=0o600)
            self._trim()

    def _trim(self) -> None:
        assert self.folder is not None
        entries = []
        for name in os.listdir(self.folder):
            with contextlib.suppress(OSError):
                st = os.lstat(self.folder / name)
                if stat.S_ISREG(st.st_mode) and not name.startswith("."):
                    entries.append((st.st_mtime_ns, name))
        for _, name in sorted(entries)[:max(0, len(entries) - _BLOB_LIMIT)]:
            with contextlib.suppress(OSError, UnsafePath):
                remove_file(self.folder, self.folder / name)


def blobs() -> Blobs:
    """This user's stored outputs (`LAKIP_TANPA_CACHE=1`: none)."""
    return Blobs(_usable_cache_folder())


def _usable_cache_folder() -> Path | None:
    """The cache folder, made and resolved; None with `LAKIP_TANPA_CACHE=1` or when it cannot be
    made (a user who cannot write it runs without caches)."""
    if os.environ.get("LAKIP_TANPA_CACHE"):
        return None
    folder = cache_folder()
    try:
        os.makedirs(folder, exist_ok=True)
        return folder.resolve()
    except OSError:
        return None
