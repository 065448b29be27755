"""The lakip version: the one place it is written. pyproject.toml reads it at build time
(`[tool.setuptools.dynamic]`), so the installed metadata and `lakip --version` cannot disagree,
and no command pays for `importlib.metadata` at start-up."""

__version__ = "0.1.0"
