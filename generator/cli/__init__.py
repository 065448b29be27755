"""The command line: argparse parser, thin command handlers, text/JSON views.

The only package that prints or exits."""

from generator.cli.main import main

__all__ = ["main"]
