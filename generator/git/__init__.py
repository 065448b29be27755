"""git: the only package that runs git. Reading history and objects, signatures, tags; every call
goes through `Git` (runner.py)."""

from generator.git.ident import Identity, identity
from generator.git.log import ChangeEntry, RawCommit, changes, step_commits
from generator.git.objects import GitSource, object_ids, read_blobs
from generator.git.runner import Git
from generator.git.signatures import Signature, allowed_signers, signatures, signers_file
from generator.git.tags import Tag, tags

__all__ = ["ChangeEntry", "Git", "GitSource", "Identity", "RawCommit", "Signature", "Tag",
           "allowed_signers", "changes", "identity", "object_ids", "read_blobs", "signatures",
           "signers_file", "step_commits", "tags"]
