"""lakip: LAKIP-as-code for Indonesian regional offices."""

from generator._version import __version__

__all__ = ["__version__"]
