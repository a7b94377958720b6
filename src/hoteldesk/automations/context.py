"""The old import path of :mod:`hoteldesk.context` (moved below the layers that use it, issue 15)."""

from hoteldesk.context import Context, open_context

__all__ = ["Context", "open_context"]
