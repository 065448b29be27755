"""lakip: LAKIP-as-code for Indonesian regional offices."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lakip")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
