"""git: the only package that runs git. Reading history and objects, signatures, tags; every call
goes through `Git` (runner.py)."""

from generator.git.log import ChangeEntry, RawCommit, changes, step_commits
from generator.git.objects import GitSource, object_ids, read_blobs
from generator.git.runner import Git, atomic_write, read_cache, write_cache
from generator.git.signatures import Signature, allowed_signers, signatures, write_signers
from generator.git.tags import Tag, tags

__all__ = ["ChangeEntry", "Git", "GitSource", "RawCommit", "Signature", "Tag", "allowed_signers",
           "atomic_write", "changes", "object_ids", "read_blobs", "read_cache", "signatures",
           "step_commits", "tags", "write_cache", "write_signers"]
