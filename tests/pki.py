"""A real PKI made in the test (cryptography): a root CA, an intermediate "BSrE" CA and signer
certificates in PKCS#12 files; and a local esign-client (HTTP on 127.0.0.1, a random port) that
speaks the BSrE esign-client's request and response shape and signs with pyHanko."""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import io
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

FRASA = "Rahasia-Kepala-2026!"  # the passphrase of every PKCS#12 file made here


def _name(cn: str, o: str, email_address: str | None = None, nik: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, o),
             x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if email_address:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email_address))
    if nik:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nik))
    return x509.Name(attrs)


def _cert(subject: x509.Name, key, issuer: x509.Name, issuer_key, ca: bool, start: dt.datetime,
          end: dt.datetime, email_address: str | None = None, crl: str | None = None) -> x509.Certificate:
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                        critical=False))
    if ca:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                            critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                            critical=True)
        if email_address:
            b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email_address)]),
                                critical=False)
        if crl:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl)], None, None, None)]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


@dataclass
class Pki:
    """Root "Root CA Uji" -> intermediate "BSrE CA Uji" (O = Badan Siber dan Sandi Negara, so its
    certificates count as BSrE's) -> signers. `other_root` is a CA nobody trusts."""

    folder: Path
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root_name = _name("Root CA Uji", "Uji Sertifikasi")
        self.root = _cert(self.root_name, self.root_key, self.root_name, self.root_key, True,
                          self.now - dt.timedelta(days=400), self.now + dt.timedelta(days=3650))
        self.inter_key = ec.generate_private_key(ec.SECP256R1())
        self.inter_name = _name("BSrE CA Uji", "Badan Siber dan Sandi Negara")
        self.inter = _cert(self.inter_name, self.inter_key, self.root_name, self.root_key, True,
                           self.now - dt.timedelta(days=400), self.now + dt.timedelta(days=3650))
        self.other_key = ec.generate_private_key(ec.SECP256R1())
        self.other_name = _name("CA Lain", "Bukan Siapa-siapa")
        self.other = _cert(self.other_name, self.other_key, self.other_name, self.other_key, True,
                           self.now - dt.timedelta(days=400), self.now + dt.timedelta(days=3650))
        self.certs: dict[str, x509.Certificate] = {}

    def crl(self, revoked: list[str]) -> bytes:
        """A CRL of the intermediate CA (DER) revoking the signers named (by their file name)."""
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.inter_name)
                   .last_update(self.now - dt.timedelta(days=1)).next_update(self.now + dt.timedelta(days=7)))
        for name in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(self.certs[name].serial_number)
                .revocation_date(self.now - dt.timedelta(days=2)).build())
        return builder.sign(self.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def signer(self, name: str, nama: str, email_address: str, nik: str | None = None, *,
               expired: bool = False, untrusted: bool = False, bsre: bool = True,
               crl: str | None = None) -> Path:
        """A PKCS#12 file (passphrase FRASA) with the signer's key, certificate and its CA; with
        `crl`, the certificate names that URL as its CRL distribution point."""
        key = ec.generate_private_key(ec.SECP256R1())
        if untrusted:
            issuer, issuer_key, chain = self.other_name, self.other_key, [self.other]
        elif bsre:
            issuer, issuer_key, chain = self.inter_name, self.inter_key, [self.inter]
        else:
            issuer, issuer_key, chain = self.root_name, self.root_key, []
        start, end = ((self.now - dt.timedelta(days=300), self.now - dt.timedelta(days=30)) if expired
                      else (self.now - dt.timedelta(days=30), self.now + dt.timedelta(days=700)))
        cert = _cert(_name(nama, "Pemerintah Kota Samarinda", email_address, nik), key, issuer, issuer_key,
                     False, start, end, email_address, crl)
        self.certs[name] = cert
        path = self.folder / f"{name}.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            name.encode(), key, cert, chain, serialization.BestAvailableEncryption(FRASA.encode())))
        return path


# ---------------------------------------------------------------- a local esign-client


@dataclass
class Esign:
    """A local esign-client: `POST /api/sign/pdf` (multipart: file, nik, passphrase, tampilan,
    image, imageTTD, page, xAxis, yAxis, width, height, reason, location) signs with the PKCS#12
    registered for the NIK, HTTP Basic `akun` required; a wrong NIK or passphrase answers as the
    esign-client does (HTTP 400 with JSON `error` and `status_code`). `diterima` keeps every
    request's fields without the passphrase; `frasa_diterima` the passphrases, to compare."""

    pengguna: dict[str, Path]  # NIK -> PKCS#12 (passphrase FRASA)
    akun: tuple[str, str] = ("esign", "rahasia-server")
    via_id: bool = False  # answer with JSON {"id_dokumen"} and serve the PDF on /api/sign/download/<id>
    diterima: list[dict] = field(default_factory=list)
    frasa_diterima: list[str] = field(default_factory=list)
    dokumen: dict[str, bytes] = field(default_factory=dict)

    def __enter__(self) -> Esign:
        handler = type("Handler", (_Handler,), {"esign": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    esign: Esign

    def log_message(self, *args) -> None:  # quiet
        pass

    def _answer(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: int, message: str) -> None:
        self._answer(status, json.dumps({"status_code": code, "error": message}).encode(), "application/json")

    def _authorized(self) -> bool:
        user, password = self.esign.akun
        wanted = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if self.headers.get("Authorization") != wanted:
            self._error(401, 401, "Unauthorized")
            return False
        return True

    def do_GET(self) -> None:
        if not self._authorized():
            return
        ident = self.path.rsplit("/", 1)[-1]
        if self.path.startswith("/api/sign/download/") and ident in self.esign.dokumen:
            self._answer(200, self.esign.dokumen[ident], "application/pdf")
        else:
            self._error(404, 404, "Dokumen tidak ditemukan")

    def do_POST(self) -> None:
        if self.path != "/api/sign/pdf":
            self._error(404, 404, "Not found")
            return
        if not self._authorized():
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                files[name] = part.get_payload(decode=True)
            else:
                fields[name] = part.get_payload(decode=True).decode("utf-8")
        passphrase = fields.pop("passphrase", "")
        self.esign.frasa_diterima.append(passphrase)
        self.esign.diterima.append({**fields, "berkas": sorted(files)})
        p12 = self.esign.pengguna.get(fields.get("nik", ""))
        if p12 is None:
            self._error(400, 1111, "Dokumen gagal ditandatangani: NIK tidak terdaftar")
            return
        if passphrase != FRASA:
            self._error(400, 2031, "Passphrase anda salah")
            return
        signed = _sign(files["file"], p12, fields, files.get("imageTTD"))
        if self.esign.via_id:
            ident = f"dok{len(self.esign.dokumen) + 1}"
            self.esign.dokumen[ident] = signed
            self._answer(200, json.dumps({"id_dokumen": ident}).encode(), "application/json")
        else:
            self._answer(200, signed, "application/pdf", {"id_dokumen": "dok-langsung"})


def _sign(pdf: bytes, p12: Path, fields: dict[str, str], image: bytes | None) -> bytes:
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields as sigfields
    from pyhanko.sign import signers
    from pyhanko.stamp import TextStampStyle

    signer = signers.SimpleSigner.load_pkcs12_data(p12.read_bytes(), [], passphrase=FRASA.encode())
    x, y = float(fields["xAxis"]), float(fields["yAxis"])
    box = (int(x), int(y), int(x + float(fields["width"])), int(y + float(fields["height"])))
    style = TextStampStyle(stamp_text="", border_width=0,
                           background=PdfImage(Image.open(io.BytesIO(image))) if image else None,
                           background_opacity=1)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                        subfilter=sigfields.SigSeedSubFilter.PADES,
                                        reason=fields.get("reason"), location=fields.get("location"))
    out = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=sigfields.SigFieldSpec(
        "Signature1", on_page=int(fields["page"]) - 1, box=box)).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return out.getvalue()


class CrlServer:
    """Serves one CRL (DER) at /bsre.crl on 127.0.0.1, a random port; `url` before it starts."""

    def __init__(self) -> None:
        self.data = b""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200 if self.path == "/bsre.crl" else 404)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(server.data)))
                self.end_headers()
                self.wfile.write(server.data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bsre.crl"

    def __enter__(self) -> CrlServer:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
