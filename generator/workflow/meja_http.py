"""The desk's web page (`lakip meja`): a small HTTP server on 127.0.0.1 for one person.

Who may use it: whoever opens the one-time address printed at start (a random token in the URL,
exchanged on first use for a cookie that names this port; the token then stops working). Every
form carries a CSRF token; a POST from another origin, a request whose Host header is not this
server's address (DNS rebinding) or without the cookie is refused with 403. Pages are rendered by
lakip's own templates (never the repository's) with autoescape, and served with a Content
Security Policy that allows no script at all; the draft HTML, built from the repository's data,
is served under a policy that allows only inline styles and data: images.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from generator.data.errors import LakipError, UsageError
from generator.workflow import meja

BATAS_FORM = 256 * 1024  # bytes of one POST body: a review note, not an upload
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")
# `sandbox`: the draft (the repository's content) runs in an origin of its own, so even a script
# that got past the sanitizer and the policy could not read the desk's CSRF token.
_CSP_DRAF = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


class Meja:
    """One desk server for the repository at `root` (year `tahun`, default the newest). `env`
    is handed to git like `lakip step`'s (tests set the identity and clock there). `open()`
    binds a random port on 127.0.0.1; `url` is the one-time address to open."""

    def __init__(self, root: Path, tahun: int | None = None, env: dict | None = None,
                 log: Callable[[str], None] = lambda _: None):
        from generator.render.templates import environment
        from generator.sop.progress import progress

        self.root = root
        self.env = env
        self.log = log
        # The year (default the newest), and the refusals of the page's own state (no repository,
        # no commit, a broken SOP or roster) before the address is printed; the rest of a page's
        # state (signing, notes, files, upstream) is gathered by each page.
        self.tahun = progress(root, tahun).status.tahun
        self.templates = environment()  # lakip's own templates only: the repository's never run here
        self._token: str | None = secrets.token_urlsafe(32)
        self.session = secrets.token_urlsafe(32)
        self.csrf = secrets.token_urlsafe(32)
        self.lock = threading.Lock()  # one git write at a time
        self.pesan: list[tuple[str, str]] = []  # (jenis: ok|tolak, text) shown once on the next page
        self.isian: dict[str, str] = {}  # a refused form's fields, offered again
        self.draf_pdf: dict[str, bytes] = {}  # the last draft PDF, by its HTML (meja.draft_pdf)
        self.server: ThreadingHTTPServer | None = None
        self.token_url = self._token

    def open(self, port: int = 0) -> str:
        """Bind 127.0.0.1:`port` (0: a free port); returns the one-time address."""
        handler = type("Handler", (_Handler,), {"meja": self})
        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as e:
            raise UsageError(f"port {port} di 127.0.0.1 tidak dapat dipakai: {e.strerror or e}") from None
        self.server.daemon_threads = True
        return self.url

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token_url}"

    @property
    def hosts(self) -> tuple[str, ...]:
        return (f"127.0.0.1:{self.port}", f"localhost:{self.port}")

    @property
    def cookie(self) -> str:
        return f"meja_{self.port}"  # cookies are per host, not per port: one name per desk

    def serve_forever(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def use_token(self, token: str) -> bool:
        """True once: for the right token on its first use."""
        with self.lock:
            if self._token is None or not hmac.compare_digest(token.encode(), self._token.encode()):
                return False
            self._token = None
            return True

    # ------------------------------------------------------------------ pages

    def page(self) -> str:
        try:
            state = meja.keadaan(self.root, self.tahun, self.env)
            error = None
        except LakipError as e:
            state, error = None, meja.pesan(e)
        messages, self.pesan = self.pesan, []
        isian, self.isian = self.isian, {}
        return self.templates.get_template("meja/meja.html").render(
            k=state, galat=error, pesan=messages, isian=isian, csrf=self.csrf, tahun=self.tahun,
            root=str(self.root), sekarang=dt.datetime.now(dt.UTC))

    def decide(self, form: dict[str, str]) -> None:
        fields = {k: form.get(k, "") for k in ("catatan", "judul", "isi")}
        try:
            no = int(form.get("langkah", ""))
        except ValueError:
            self.pesan.append(("tolak", "formulir tidak menyebut langkah; muat ulang halaman"))
            return
        keputusan = form.get("keputusan", "")
        with self.lock:
            try:
                done = meja.putuskan(self.root, no, keputusan, self.tahun, env=self.env, **fields)
            except LakipError as e:
                self.pesan.append(("tolak", meja.pesan(e)))
                self.isian = fields
                self.log(f"langkah {no} ({keputusan}) ditolak")
                return
        c = done.recorded
        text = f"Langkah {no} ({keputusan}) dicatat: commit {c.commit[:10]} «{c.subject}»"
        if done.catatan_path:
            text += f"; catatan reviu {done.catatan_path} ikut di commit itu"
        if done.tag:
            text += f"; arsip dibuat dengan tag {done.tag}"
        self.pesan.append(("ok", text))
        self.pesan += [("ok", f"catatan: {n}") for n in c.notes]
        self.log(text)

    def send(self) -> None:
        from generator.git import Git
        from generator.git.push import push

        with self.lock:
            try:
                pushed = push(Git(self.root), self.env)
            except LakipError as e:
                self.pesan.append(("tolak", meja.pesan(e)))
                return
        self.pesan.append(("ok", f"Terkirim ke {pushed}."))
        self.log(f"dikirim ke {pushed}")


class _Handler(BaseHTTPRequestHandler):
    meja: Meja
    server_version = "lakip-meja"
    sys_version = ""
    timeout = 60

    def log_message(self, format: str, *args) -> None:
        pass  # the desk prints what it records, not every request

    # ------------------------------------------------------------------ answers

    def _answer(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
                headers: dict[str, str] | None = None, csp: str = _CSP) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")  # else browsers send Origin: null
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Frame-Options", "DENY")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, text: str) -> None:
        body = self.meja.templates.get_template("meja/tolak.html").render(pesan=text)
        self._answer(status, body.encode("utf-8"))

    def _redirect(self, where: str = "/", headers: dict[str, str] | None = None) -> None:
        self._answer(HTTPStatus.SEE_OTHER, b"", headers={"Location": where, **(headers or {})})

    def _host_ok(self) -> bool:
        if self.headers.get("Host", "") not in self.meja.hosts:
            self._refuse(HTTPStatus.FORBIDDEN, "Alamat (Host) tidak dikenal: meja kerja hanya menjawab "
                                               f"http://127.0.0.1:{self.meja.port}/")
            return False
        return True

    def _session_ok(self) -> bool:
        try:
            jar = SimpleCookie(self.headers.get("Cookie", ""))
        except CookieError:
            jar = SimpleCookie()
        got = jar.get(self.meja.cookie)
        if got is None or not hmac.compare_digest(got.value.encode(), self.meja.session.encode()):
            self._refuse(HTTPStatus.FORBIDDEN, "Sesi tidak dikenal. Buka alamat lengkap (dengan token) "
                                               "yang dicetak lakip meja, atau jalankan lakip meja lagi.")
            return False
        return True

    # ------------------------------------------------------------------ methods

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    do_HEAD = do_GET

    def _guarded(self, method: Callable[[], None]) -> None:
        """A bug of lakip answers 500 with one Indonesian line, never a traceback or a hung page."""
        try:
            method()
        except Exception as e:
            self.meja.log(f"galat internal ({type(e).__name__}: {e})")
            self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR,
                         f"Galat internal lakip ({type(e).__name__}: {e}). Laporkan kepada pengelola lakip.")

    def _get(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/" and "token" in query:
            if self.command == "HEAD":  # a link preview or a HEAD probe must not spend the one-time token
                self._answer(HTTPStatus.OK, b"")
            elif self.meja.use_token(query["token"][0]):
                cookie = (f"{self.meja.cookie}={self.meja.session}; Path=/; HttpOnly; SameSite=Strict")
                self._redirect("/", {"Set-Cookie": cookie})
            else:
                self._refuse(HTTPStatus.FORBIDDEN, "Token salah atau sudah dipakai. Jalankan lakip meja "
                                                   "lagi dan buka alamat baru yang dicetaknya.")
            return
        if not self._session_ok():
            return
        if url.path == "/":
            self._answer(HTTPStatus.OK, self.meja.page().encode("utf-8"))
        elif url.path == f"/draf-lakip-{self.meja.tahun}.html":
            self._document(pdf=False)
        elif url.path == f"/draf-lakip-{self.meja.tahun}.pdf":
            self._document(pdf=True)
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "Halaman tidak ada.")

    def _document(self, pdf: bool) -> None:
        try:
            with self.meja.lock:
                body = (meja.draft_pdf(self.meja.root, self.meja.tahun, self.meja.draf_pdf) if pdf
                        else meja.draft_html(self.meja.root, self.meja.tahun).encode("utf-8"))
        except LakipError as e:
            self._refuse(HTTPStatus.CONFLICT, "Draft belum dapat dibuat: " + meja.pesan(e))
            return
        if pdf:
            name = f"draf-lakip-{self.meja.tahun}.pdf"
            self._answer(HTTPStatus.OK, body, "application/pdf",
                         {"Content-Disposition": f'attachment; filename="{name}"'}, csp=_CSP_DRAF)
        else:
            self._answer(HTTPStatus.OK, body, csp=_CSP_DRAF)

    def _post(self) -> None:
        if not self._host_ok() or not self._session_ok():
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in self.meja.hosts}:
            self._refuse(HTTPStatus.FORBIDDEN, "Formulir dari situs lain ditolak.")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= BATAS_FORM:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Isian formulir terlalu besar.")
            return
        raw = self.rfile.read(length).decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        if not hmac.compare_digest(form.get("csrf", "").encode(), self.meja.csrf.encode()):
            self._refuse(HTTPStatus.FORBIDDEN, "Token formulir (CSRF) salah: muat ulang halaman meja "
                                               "kerja lalu ulangi.")
            return
        path = urlsplit(self.path).path
        if path == "/putuskan":
            self.meja.decide(form)
        elif path == "/kirim":
            self.meja.send()
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "Halaman tidak ada.")
            return
        self._redirect("/")
