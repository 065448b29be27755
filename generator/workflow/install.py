"""How an office's CI (and an office computer) installs lakip: the requirements.txt `lakip init`
writes and the shell line CI runs.

lakip is not published on PyPI and the name "lakip" there is not the project's. A requirement
`lakip` or `lakip==X` would install whatever anyone registers under that name, in every CI job that
holds the repository's write token (dependency confusion). So the requirements file names a source
the office controls, pinned to one commit, as placeholders the office fills; CI refuses to install
while a placeholder is left, instead of letting pip look the name up anywhere.
"""

from __future__ import annotations

# Every placeholder starts with this; CI checks for it before running pip.
PLACEHOLDER = "GANTI-"

REQUIREMENTS = f"""\
# Sumber lakip untuk CI dan komputer kantor. Isi {PLACEHOLDER}... di baris terakhir sebelum CI pertama.
# JANGAN ganti dengan `lakip` atau `lakip==versi`: nama "lakip" di PyPI bukan milik proyek lakip;
# siapa pun dapat mendaftarkannya, dan paket itu akan berjalan di setiap CI yang memegang token
# tulis repositori ini (dependency confusion).
# Pakai salinan kode lakip di forge yang dikelola kantor, dipatok pada satu commit (40 karakter
# heksadesimal, bukan nama cabang), atau ganti baris terakhir dengan berkas wheel yang disimpan
# kantor beserta hash-nya, mis. `./vendor/lakip-0.1.0-py3-none-any.whl --hash=sha256:...`.
lakip @ git+https://{PLACEHOLDER}ALAMAT-FORGE/{PLACEHOLDER}ORGANISASI/lakip@{PLACEHOLDER}COMMIT-40-HEKSA
"""

# One shell line: refuse a requirements.txt still holding a placeholder, then install from it.
INSTALL = (f"if grep -q '^[^#]*{PLACEHOLDER}' requirements.txt; then echo \"requirements.txt belum diisi: "
           f"ganti {PLACEHOLDER}... dengan sumber lakip milik kantor (lihat komentar di berkas itu)\" >&2; "
           "exit 1; fi; pip install -r requirements.txt")
