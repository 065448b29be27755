"""`lakip tte`: the final LKjIP signed electronically (PAdES) by the signing step's signer, with a
local PKCS#12 or through the pemda's BSrE esign-client; and `lakip tte --periksa FILE.pdf`, the
check of a signed PDF anyone received (DESIGN §6, §7 "TTE"; issue 13).

What is signed is exactly the PDF `lakip build` makes from HEAD when the document is FINAL (one
`Job`, one WeasyPrint rendering: `document.pdf_layout`), so the signed file's first revision is
the approved build, byte for byte. Before writing, the signed file is checked with the same
`periksa` an auditor runs: a certificate of someone else, or one the office's trust anchors do
not reach, is refused and nothing is written.

The passphrase is only ever held in memory: the CLI reads it from the terminal (getpass) or
from standard input; it is never an argument, never logged, never written."""

from __future__ import annotations

import base64
import datetime as dt
import json
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.data import model as m
from generator.data.errors import LakipError, Refused, UsageError
from generator.figures import formats
from generator.git import Git, GitSource
from generator.render import tte as pdf_tte
from generator.render.document import TTE_RUANG
from generator.sop.progress import Progress, open_repo
from generator.workflow.snapshot import Snapshot, gather

BSRE_PATH = "/api/sign/pdf"
BSRE_DOWNLOAD = "/api/sign/download/"
TIMEOUT = 120  # seconds: the esign-client asks BSrE's servers in turn


def nama_berkas(tahun: int) -> str:
    """The signed PDF's file name, beside `lakip-<tahun>.pdf`."""
    return f"lakip-{tahun}-tte.pdf"


@dataclass(frozen=True)
class Penanda:
    """The person whose approval of the signing step stands: who must sign the TTE."""

    nama: str
    email: str
    nip: str | None
    nik: str | None
    jabatan: str


@dataclass(frozen=True)
class Ditandatangani:
    path: Path
    penanda: Penanda
    hasil: pdf_tte.Hasil
    sha256_disetujui: str


def penanda_tangan(progress: Progress, instansi: m.Instansi | None = None) -> Penanda:
    """The signing step's standing signer by the roster in force, with NIP, NIK and jabatan
    (the roster's, else the kepala's of instansi.yaml when it is that person, else the role's
    name; "Plt."/"Plh." first when the roster says so). Raises Refused when the step has no
    standing record."""
    sop = progress.sop
    step = sop.signing_step
    record = progress.status.find_langkah(step.no).catatan if step else None
    if record is None:
        raise Refused("langkah pengesahan belum dicatat: TTE dibuat setelah langkah itu disetujui")
    person = progress.roster.find(record.email)
    held = person.holds(step.pelaksana, record.waktu.date()) if person else None
    kepala = instansi.kepala if instansi else None
    role = next((r.nama for r in sop.peran if r.id == step.pelaksana), step.pelaksana)
    if person and person.jabatan:
        jabatan = person.jabatan
    elif kepala and person and kepala.nip == person.nip and kepala.jabatan:
        jabatan = kepala.jabatan
    else:
        jabatan = role
    if held is not None and held.sebagai:
        jabatan = f"{held.sebagai} {jabatan}"
    return Penanda(record.nama, record.email, person.nip if person else None,
                   person.nik if person else None, jabatan)


def _anchors(git: Git, commit: str, sop: m.Sop) -> tuple:
    """The trust anchors `sop/lakip.yaml: tte.akar` names, read from `commit`'s tree (never the
    working tree, never through a symlink: a git tree's symlink is not a file here). Raises
    Refused when none is configured or one cannot be read."""
    if not sop.tte_akar:
        raise Refused("akar kepercayaan TTE belum diatur: tambahkan di sop/lakip.yaml, misalnya "
                      "'tte: {akar: [sop/tte/root-ca-indonesia-ds-g1.pem, sop/tte/bsre-ca-ds-g1.pem]}' "
                      "(lihat docs/tte.md)")
    roots = sorted({str(PurePosixPath(p).parent) for p in sop.tte_akar} | {"sop"})
    source = GitSource(git, commit, tuple(r for r in roots if r not in (".", "")) or ("sop",))
    found = []
    for rel in sop.tte_akar:
        clean = PurePosixPath(rel)
        if clean.is_absolute() or ".." in clean.parts or not source.is_file(str(clean)):
            raise Refused(f"sop/lakip.yaml: tte.akar: '{rel}' bukan berkas di repositori (commit "
                          f"{commit[:10]}); jalur relatif terhadap akar repositori, tanpa symlink")
        try:
            found += pdf_tte.load_pem_certificates(source.read(str(clean)))
        except ValueError:
            raise Refused(f"sop/lakip.yaml: tte.akar: '{rel}' bukan sertifikat PEM atau DER") from None
    return tuple(found)


def _approved(snapshot: Snapshot) -> tuple[bytes, pdf_tte.Kotak]:
    """The approved build's PDF and where the visible signature goes (the signing block's blank
    space of Bab IV; without it, an office template that lacks the id, above the foot of the last
    page, on the right)."""
    from generator.render.document import pdf_layout
    from generator.workflow.outputs import Job

    with tempfile.TemporaryDirectory(prefix="lakip-tte-") as tmp:
        # the same HTML and the same WeasyPrint call as the pdf builder (document.pdf_pages)
        layout = pdf_layout(Job(snapshot, Path(tmp)).html)
    box = layout.kotak.get(TTE_RUANG)
    if box is None:
        pages = max(layout.pages.values(), default=1)
        return layout.pdf, pdf_tte.Kotak(pages - 1, 300, 60, 540, 124)
    page, x0, y0, x1, y1 = box
    return layout.pdf, pdf_tte.Kotak(page, x0, y0, x1, y1)


def _final(root: Path, tahun: int | None) -> tuple[Snapshot, Progress, Git]:
    git = open_repo(root)
    snapshot = gather(root, tahun, ref="HEAD")  # the approved commit's tree, never the work tree
    snapshot.require_valid()
    progress = snapshot.progress
    if snapshot.state.draf:
        why = "; ".join(snapshot.state.alasan) or "langkah pengesahan belum disetujui"
        raise Refused(f"dokumen {snapshot.tahun} belum FINAL, TTE tidak dibuat: {why} (lakip status)")
    return snapshot, progress, git


def tanda_tangani(root: Path, tahun: int | None, out: Path, *, frasa: bytes, p12: Path | bytes | None = None,
                  bsre: str | None = None, nik: str | None = None,
                  akun: tuple[str, str] | None = None,
                  report: Callable[[str], None] = lambda _: None,
                  now: dt.datetime | None = None) -> Ditandatangani:
    """Sign the final PDF of `tahun` and write it to `out/lakip-<tahun>-tte.pdf`.

    Exactly one of `p12` (a PKCS#12 file or its bytes, `frasa` its passphrase) and `bsre` (the esign-client's
    base URL; `frasa` the signer's BSrE passphrase, `nik` the signer's NIK, else the roster's;
    `akun` the esign-client's HTTP Basic user and password, when it asks for one).
    Raises Refused when the document is not FINAL, no trust anchor is configured, the passphrase
    is wrong, the esign-client refuses, or the signed file fails `periksa` (nothing is written)."""
    from generator.workflow.outputs import _write, prepare_out

    snapshot, progress, git = _final(root, tahun)
    penanda = penanda_tangan(progress, snapshot.repo.instansi)
    akar = _anchors(git, progress.head, progress.sop)
    signer = None
    if p12 is not None:
        try:
            data = p12 if isinstance(p12, bytes) else p12.read_bytes()
        except OSError as e:
            raise UsageError(f"berkas PKCS#12 '{p12}' tidak dapat dibaca: {e.strerror or e}") from None
        signer = pdf_tte.load_p12(data, frasa)  # a wrong passphrase stops here, before any build
        emails, niks = pdf_tte.identitas(signer.signing_cert)
        if penanda.email.lower() not in emails and not (penanda.nik and penanda.nik in niks):
            owner = ", ".join((*emails, *niks)) or "tanpa e-mail atau NIK"
            nama = signer.signing_cert.subject.native.get("common_name", "?")
            raise Refused(f"sertifikat di {p12 if isinstance(p12, Path) else 'PKCS#12'} milik {nama} "
                          f"({owner}), bukan penanda tangan langkah pengesahan {penanda.nama} "
                          f"<{penanda.email}>; tidak ada berkas yang ditulis")
    elif not bsre:
        raise UsageError("pilih salah satu: --p12 BERKAS atau --bsre URL")
    else:
        check_bsre_url(bsre)
    nik = nik or penanda.nik
    if bsre and not nik:
        raise UsageError(f"NIK {penanda.nama} tidak diketahui: isi 'nik' di sop/personil.yaml atau "
                         "berikan --nik")
    prepare_out(out)
    report("membangun PDF final dari HEAD (WeasyPrint)")
    pdf, kotak = _approved(snapshot)
    approved = pdf_tte.sha256(pdf)
    when = (now or dt.datetime.now(dt.UTC)).astimezone(_zone(progress.sop))
    tampilan = pdf_tte.Tampilan(
        penanda.nama, penanda.jabatan, formats.nip(penanda.nip) if penanda.nip else "-",
        formats.tanggal(when), _rujukan(snapshot, approved))
    lokasi = snapshot.repo.instansi.kota or ""
    if signer is not None:
        report("menandatangani (PAdES, PKCS#12)")
        bsre_cert = pdf_tte.is_bsre(signer.signing_cert)
        signed = pdf_tte.sign(pdf, signer, kotak, tampilan, lokasi, footer=bsre_cert)
    else:
        report(f"mengirim ke esign-client {bsre}")
        signed = kirim_bsre(bsre, pdf_tte.with_footer(pdf), nik, frasa, kotak,
                            pdf_tte.stamp_png(tampilan, kotak.x1 - kotak.x0, kotak.y1 - kotak.y0),
                            lokasi, akun)
    harapan = pdf_tte.Harapan(akar, penanda.nama, penanda.email, penanda.nik or nik, approved)
    hasil = pdf_tte.periksa(signed, harapan)
    if not hasil.sah:
        raise Refused("PDF bertanda tangan tidak lolos pemeriksaan, tidak ditulis:\n" +
                      "\n".join(f"  tte-tidak-sah: {a}" for a in hasil.alasan))
    path = _write(out / nama_berkas(snapshot.tahun), signed)
    return Ditandatangani(path, penanda, hasil, approved)


def _zone(sop: m.Sop):
    from zoneinfo import ZoneInfo

    return ZoneInfo(sop.zona_waktu)


def _rujukan(snapshot: Snapshot, approved: str) -> str:
    """The QR code's text: which document this is and how to check it (the approved build's
    SHA-256 and the command), readable by any QR scanner without a network."""
    nama = snapshot.repo.instansi.nama
    return (f"LKjIP {snapshot.tahun} {nama}\nSHA-256 dokumen disetujui: {approved}\n"
            f"Periksa: lakip tte --periksa BERKAS.pdf --tahun {snapshot.tahun}")


# ---------------------------------------------------------------- BSrE esign-client


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = f"lakip-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     .encode() + value.encode("utf-8") + b"\r\n")
    for name, (filename, kind, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def kirim_bsre(url: str, pdf: bytes, nik: str, frasa: bytes, kotak: pdf_tte.Kotak, png: bytes,
               lokasi: str, akun: tuple[str, str] | None = None, timeout: float = TIMEOUT) -> bytes:
    """POST the PDF to the esign-client (`/api/sign/pdf`, API v1: multipart with `file`, `nik`,
    `passphrase`, `tampilan=visible`, `image=true`, `imageTTD`, `page` (from 1), `xAxis`/`yAxis`
    (lower-left corner) and `width`/`height` in PDF points, `reason`, `location`) and return the
    signed PDF: the response body, or, when the answer is JSON with `id_dokumen`, the file from
    `/api/sign/download/<id>`. Raises Refused with the esign-client's own message (never the
    request, which holds the passphrase)."""
    check_bsre_url(url)
    base = url.rstrip("/")
    fields = {"nik": nik, "passphrase": frasa.decode("utf-8"), "tampilan": "visible", "image": "true",
              "page": str(kotak.halaman + 1), "xAxis": f"{kotak.x0:.0f}", "yAxis": f"{kotak.y0:.0f}",
              "width": f"{kotak.x1 - kotak.x0:.0f}", "height": f"{kotak.y1 - kotak.y0:.0f}",
              "reason": "Pengesahan Laporan Kinerja Instansi Pemerintah", "location": lokasi}
    body, kind = _multipart(fields, {"file": ("lakip.pdf", "application/pdf", pdf),
                                     "imageTTD": ("ttd.png", "image/png", png)})
    headers = {"Content-Type": kind, "Accept": "application/pdf, application/json"}
    if akun:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{akun[0]}:{akun[1]}".encode()).decode()
    status, _, data = _http(urllib.request.Request(base + BSRE_PATH, data=body, headers=headers,
                                                        method="POST"), timeout)
    if status == 200 and data.startswith(b"%PDF"):
        return data
    answer = _json(data)
    if status == 200 and isinstance(answer, dict) and answer.get("id_dokumen"):
        ident = str(answer["id_dokumen"])
        request = urllib.request.Request(base + BSRE_DOWNLOAD + urllib.request.quote(ident, safe=""),
                                         headers={k: v for k, v in headers.items() if k != "Content-Type"})
        status, _, data = _http(request, timeout)
        if status == 200 and data.startswith(b"%PDF"):
            return data
        answer = _json(data)
    answer = answer if isinstance(answer, dict) else {}
    message = answer.get("error") or answer.get("message") or answer.get("pesan")
    code = answer.get("status_code")
    raise Refused(f"esign-client menolak (HTTP {status}{f', kode {code}' if code else ''}): "
                  f"{message or 'jawaban bukan PDF'}; tidak ada berkas yang ditulis")


def check_bsre_url(url: str) -> None:
    """An esign-client address: http(s), without an account in it (`user:sandi@host` would be
    echoed in progress and error lines and kept in shell history; the account comes from
    LAKIP_BSRE_PENGGUNA and LAKIP_BSRE_SANDI). Raises UsageError naming the address without
    anything before an `@`."""
    scheme, separator, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    account = "@" in netloc
    shown = f"{scheme}{separator}{netloc.rpartition('@')[2]}{slash}{path}"
    if account:
        raise UsageError(f"--bsre tidak boleh memuat akun (nama pengguna atau sandi sebelum '@'): "
                         f"'{shown}'; berikan akun esign-client lewat variabel lingkungan "
                         "LAKIP_BSRE_PENGGUNA dan LAKIP_BSRE_SANDI")
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--bsre harus alamat http:// atau https://, ditemukan '{shown}'")


def _http(request: urllib.request.Request, timeout: float) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: checked
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers or {}), e.read() or b""
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise Refused(f"esign-client {request.full_url.rsplit('/api/', 1)[0]} tidak dapat dihubungi: "
                      f"{reason}") from None


def _json(data: bytes):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


# ---------------------------------------------------------------- checking a received PDF


@dataclass(frozen=True)
class Pemeriksaan:
    tahun: int
    penanda: Penanda
    hasil: pdf_tte.Hasil
    sumber_hash: str  # where the approved build's hash came from


def periksa_berkas(root: Path, path: Path, tahun: int | None = None,
                   daring: bool = True) -> Pemeriksaan:
    """Check a signed PDF against the repository: trust anchors and the signing step's signer of
    HEAD, and the approved build (the archive manifest's hash when the year is archived, else
    a build of HEAD when it is FINAL). Raises UsageError when the file cannot be read, Refused
    when the repository cannot say what is approved."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"berkas '{path}' tidak dapat dibaca: {e.strerror or e}") from None
    git = open_repo(root)
    snapshot = gather(root, tahun, ref="HEAD")
    progress = snapshot.progress
    penanda = penanda_tangan(progress, snapshot.repo.instansi)
    akar = _anchors(git, progress.head, progress.sop)
    approved, source = _approved_hash(root, git, snapshot)
    hasil = pdf_tte.periksa(data, pdf_tte.Harapan(akar, penanda.nama, penanda.email, penanda.nik,
                                                   approved, daring))
    if hasil.waktu:
        hasil.waktu = hasil.waktu.astimezone(_zone(progress.sop))
    if approved is None:
        hasil.alasan.append(f"tidak ada build yang disetujui untuk dibandingkan: {source}")
        hasil.catatan[:] = [c for c in hasil.catatan if not c.startswith("kecocokan")]
    return Pemeriksaan(snapshot.tahun, penanda, hasil, source)


def _approved_hash(root: Path, git: Git, snapshot: Snapshot) -> tuple[str | None, str]:
    digest, tag = _archived_hash(root, git, snapshot.tahun)
    if digest is not None:
        return digest, f"manifest arsip {tag}"
    if snapshot.state.draf:
        return None, f"dokumen {snapshot.tahun} belum FINAL di HEAD"
    try:
        snapshot.require_valid()
        pdf, _ = _approved(snapshot)
    except LakipError as e:
        return None, e.pesan
    return pdf_tte.sha256(pdf), "build HEAD (FINAL)"


# ---------------------------------------------------------------- the archive (step 11)


def untuk_arsip(root: Path, progress: Progress, path: Path, approved: str) -> tuple[bytes, dict]:
    """The signed PDF `path` checked for storing at step 11 against the PDF the archive has just
    built (SHA-256 `approved`), the trust anchors and the signing step's signer in force at HEAD.
    Returns its bytes and the manifest's `tte` record. Raises Refused with every reason when it
    does not pass (the archive is then not made)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"PDF TTE '{path}' tidak dapat dibaca: {e.strerror or e}") from None
    git = open_repo(root)
    penanda = penanda_tangan(progress)
    akar = _anchors(git, progress.head, progress.sop)
    hasil = pdf_tte.periksa(data, pdf_tte.Harapan(akar, penanda.nama, penanda.email, penanda.nik, approved))
    if not hasil.sah:
        raise Refused(f"PDF TTE '{path}' tidak dapat diarsipkan:\n" +
                      "\n".join(f"  tte-tidak-sah: {a}" for a in hasil.alasan))
    return data, catatan_manifest(hasil, nama_berkas(progress.status.tahun), pdf_tte.sha256(data))


def catatan_manifest(hasil: pdf_tte.Hasil, berkas: str, digest: str) -> dict:
    """What the manifest records of a stored TTE: the file, its hash, who signed and when."""
    return {"berkas": berkas, "sha256": digest, "oleh": {"nama": hasil.nama, "email": list(hasil.email)},
            "waktu": hasil.waktu.isoformat() if hasil.waktu else None, "penerbit": hasil.penerbit,
            "bsre": hasil.bsre}


def periksa_arsip(root: Path, commit: str, progress: Progress, data: bytes, approved: str | None
                  ) -> pdf_tte.Hasil:
    """`lakip verify --arsip` on a stored TTE: anchors and signer as the archived commit says,
    the first revision against the manifest's hash of the report's PDF (`approved`). Offline:
    revocation is not checked (a note says so)."""
    git = open_repo(root)
    penanda = penanda_tangan(progress)
    try:
        akar = _anchors(git, commit, progress.sop)
    except Refused as e:
        hasil = pdf_tte.Hasil()
        hasil.alasan.append(e.pesan)
        return hasil
    return pdf_tte.periksa(data, pdf_tte.Harapan(akar, penanda.nama, penanda.email, penanda.nik, approved))


def temuan_arsip(root: Path, tag_name: str, commit: str, manifest: dict) -> list:
    """`tte-tidak-sah` findings (sop.engine.Temuan) of the TTE an archive stores, if it stores
    one (`tambahan` entry of `jenis` "tte"): the stored bytes read from the tag's commit, checked
    against the anchors and the signing step's signer at that commit and the manifest's hash of
    the report's PDF. The stored file's own hash is the archive's check (`arsip-diubah`)."""
    from generator.sop.arsip import TAG_PREFIX
    from generator.sop.engine import Temuan
    from generator.sop.progress import progress

    names = [name for name, entry in (manifest.get("tambahan") or {}).items()
             if isinstance(entry, dict) and entry.get("jenis") == "tte"]
    if not names:
        return []
    tahun = int(tag_name.removeprefix(TAG_PREFIX))
    git = open_repo(root)
    state = progress(root, tahun, rev=commit)
    signing = state.sop.signing_step.no if state.sop.signing_step else None
    approved = (manifest.get("dokumen") or {}).get(f"lakip-{tahun}.pdf")
    found = []
    for name in names:
        data = git.run("cat-file", "blob", f"{commit}:arsip/{tahun}/{name}", check=False)
        if not data:
            continue  # a missing stored file is the archive's own finding
        try:
            hasil = periksa_arsip(root, commit, state, data, approved if isinstance(approved, str) else None)
        except LakipError as e:
            found.append(Temuan("tte-tidak-sah", commit, signing, f"{tag_name}: {name}: {e.pesan}"))
            continue
        found += [Temuan("tte-tidak-sah", commit, signing, f"{tag_name}: {name}: {reason}")
                  for reason in hasil.alasan]
    return found


# ---------------------------------------------------------------- test certificates (lakip demo)


def sertifikat_uji(nama: str, email: str) -> tuple[bytes, bytes, bytes]:
    """A throw-away PKI for `lakip demo --tte`: a root "Akar Uji lakip (BUKAN BSrE)", an
    intermediate CA and a signer certificate for `nama`/`email` (valid from a year ago for two
    years). Returns (root PEM, PKCS#12 bytes, its random passphrase); nothing is written. Not
    BSrE's, so a document signed with it carries no BSrE footer."""
    import secrets

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(cn: str, extra: list | None = None) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lakip (sertifikat uji)"),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn), *(extra or [])])

    def cert(subject, key, issuer, issuer_key, ca: bool, san: str | None = None):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - dt.timedelta(days=365)).not_valid_after(now + dt.timedelta(days=730))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                            critical=False)
             .add_extension(x509.KeyUsage(not ca, not ca, False, False, False, ca, ca, False, False),
                            critical=True))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(san)]), critical=False)
        return b.sign(issuer_key, hashes.SHA256())

    root_key, ca_key, key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name, ca_name = name("Akar Uji lakip (BUKAN BSrE)"), name("CA Uji lakip")
    root = cert(root_name, root_key, root_name, root_key, True)
    ca = cert(ca_name, ca_key, root_name, root_key, True)
    signer = cert(name(nama, [x509.NameAttribute(NameOID.EMAIL_ADDRESS, email)]), key, ca_name, ca_key,
                  False, email)
    frasa = secrets.token_urlsafe(24).encode()
    p12 = pkcs12.serialize_key_and_certificates(b"tte-uji", key, signer, [ca],
                                                serialization.BestAvailableEncryption(frasa))
    return root.public_bytes(serialization.Encoding.PEM), p12, frasa


# ---------------------------------------------------------------- the website


def status_situs(snapshot: Snapshot, signed: Path, built: Path | None) -> dict:
    """The Dokumen page's TTE line for the final document: `{"sah", "nama", "email", "waktu",
    "alasan"}`, checked like `--periksa` (offline) against the archive manifest's hash of the
    report when the year is archived, else the PDF `lakip build` just wrote beside it (`built`,
    the approved build while the document is FINAL). Never raises: a problem is a reason."""
    from generator.store import UnsafePath, read_file

    result: dict = {"sah": False, "nama": None, "email": None, "waktu": None, "alasan": []}
    try:
        progress = snapshot.progress
        git = open_repo(snapshot.root)
        penanda = penanda_tangan(progress, snapshot.repo.instansi)
        akar = _anchors(git, progress.head, progress.sop)
        approved, _ = _archived_hash(snapshot.root, git, snapshot.tahun)
        if approved is None and built is not None:
            approved = pdf_tte.sha256(read_file(built.parent, built))
        hasil = pdf_tte.periksa(read_file(signed.parent, signed),
                                pdf_tte.Harapan(akar, penanda.nama, penanda.email, penanda.nik, approved))
    except (LakipError, OSError, UnsafePath) as e:
        result["alasan"] = [getattr(e, "pesan", None) or str(e)]
        return result
    if approved is None:
        hasil.alasan.append("build yang disetujui tidak tersedia untuk dibandingkan")
    result.update(sah=hasil.sah, nama=hasil.nama, email=", ".join(hasil.email), alasan=hasil.alasan,
                  waktu=hasil.waktu.astimezone(_zone(progress.sop)) if hasil.waktu else None)
    return result


def _archived_hash(root: Path, git: Git, tahun: int) -> tuple[str | None, str | None]:
    """The manifest's SHA-256 of the report's PDF when `tahun` is archived under a tag that
    passes the checks needing no rebuild (sop/arsip.trusted_tags)."""
    from generator.git import tags
    from generator.sop.arsip import TAG_PREFIX, trusted_tags

    name = f"{TAG_PREFIX}{tahun}"
    for tag, manifest in trusted_tags(root, git, [t for t in tags(git) if t.name == name]):
        digest = manifest.get("dokumen", {}).get(f"lakip-{tahun}.pdf")
        if isinstance(digest, str):
            return digest, tag.name
    return None, None
