"""Screenshot of the desk (`lakip meja`) for the staff guide: docs/gambar/meja-kerja.png.

Records the sample office up to step 5 in a temporary folder (HOME and the global git configuration
point at temporary paths, so nothing of the user's own git setup is read or written), opens the
desk as the Jafung Perencana, whose step 6 is due, fills in a review note and photographs the page
with Debian's chromium driven by Playwright.

    python scripts/screenshot_meja.py [--out docs/gambar/meja-kerja.png]

Look at the image before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gambar" / "meja-kerja.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lakip-meja-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("", encoding="utf-8")
        os.environ.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / ".gitconfig"), GIT_CONFIG_NOSYSTEM="1")
        sys.path.insert(0, str(ROOT))
        from playwright.sync_api import sync_playwright

        from generator.workflow.demo import WITA, actor_env
        from generator.workflow.meja_http import Meja
        from tests.office import Office

        office = Office.create(Path(tmp) / "kantor")
        office.run_until(5)
        desk = Meja(office.root, 2025, env=actor_env(office.actors["jafung"], f"2026-02-10T09:00:00{WITA}"))
        desk.open()
        threading.Thread(target=desk.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(desk.url)
                page.fill("#judul", "Koreksi draft LAKIP 2025 oleh Jafung Perencana")
                page.fill("#isi", "1. Bab III belum membahas **efisiensi** program Pengembangan IKM.\n"
                                  "2. Lengkapi analisis penyebab capaian rendah jumlah IKM baru.")
                page.screenshot(path=str(args.out), full_page=True)
                browser.close()
        finally:
            desk.shutdown()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
