"""git: the only package that runs git. Reading history and objects, signatures, tags; every call
goes through `Git` (runner.py)."""

from generator.git.log import ChangeEntry, RawCommit, changes, step_commits
from generator.git.objects import GitSource, object_ids, read_blobs
from generator.git.runner import Git
from generator.git.signatures import Signature, allowed_signers, signatures, signers_file
from generator.git.tags import Tag, tags

__all__ = ["ChangeEntry", "Git", "GitSource", "RawCommit", "Signature", "Tag", "allowed_signers",
           "changes", "object_ids", "read_blobs", "signatures", "signers_file", "step_commits", "tags"]
