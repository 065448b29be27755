#!/usr/bin/env bash
# Installs what lakip needs on a Debian machine: the system packages (as root, or through sudo)
# and a virtual environment in .venv holding lakip with its test extras.
# .ci/run calls this too, so a fresh machine and CI are set up the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

# git and ssh-keygen: the SOP lives in signed git commits. WeasyPrint needs pango and
# libharfbuzz-subset0 (without it PDF writing is twice as slow); the report's fonts are Liberation
# (Arial/Times metrics), URW Bookman (Bookman metrics, for offices that choose `huruf: bookman`)
# and DejaVu; CairoSVG needs libcairo2 to turn SVG logos and charts into PNG for the DOCX;
# poppler-utils' pdftotext lets the tests read the PDF; LibreOffice Writer (headless) renders the
# DOCX in the tests as staff would open it; the site's browser tests drive Debian's chromium
# through Playwright (no browser download).
APT_PACKAGES=(git openssh-client libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2
              fonts-liberation2 fonts-urw-base35 fonts-dejavu-core poppler-utils
              libreoffice-writer-nogui chromium)
python3 -m venv --help >/dev/null 2>&1 || APT_PACKAGES+=(python3-venv)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "lakip terpasang di .venv: jalankan .venv/bin/lakip --help"
