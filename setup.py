"""The wheel carries the project template (DESIGN §2: the project repository is the template):
build_py copies content/, sop/, site_templates/ and mkdocs.yml into generator/_template/, where
generator.template finds them once installed. Everything else is in pyproject.toml."""

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _template_files() -> tuple[str, ...]:
    """generator.template.FILES, read without importing the package (its dependencies may not
    be installed while the wheel is built)."""
    tree = ast.parse((HERE / "generator" / "template.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "FILES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError("generator/template.py has no FILES")


class BuildPyWithTemplate(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "generator" / "_template"
        if target.exists():
            shutil.rmtree(target)
        for rel in _template_files():
            source = HERE / rel
            if source.is_dir():
                shutil.copytree(source, target / rel, symlinks=False,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.is_file():
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / rel)


setup(cmdclass={"build_py": BuildPyWithTemplate})
