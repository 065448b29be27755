"""Where the project template is: the files a new office starts from (content/, sop/,
site_templates/, mkdocs.yml). The project repository is the template (DESIGN §2): in a checkout
these are the project's own folders; an installed wheel carries a copy of them under
generator/_template/, made when the wheel is built (setup.py)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# What the wheel copies (setup.py reads this tuple): repository-relative paths.
FILES = ("content", "sop", "site_templates", "mkdocs.yml", ".lakip/situs/.gitignore")


def template_dir() -> Path:
    """The folder holding FILES: the installed package's `_template/`, else the checkout."""
    packaged = Path(str(resources.files("generator") / "_template"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1]
