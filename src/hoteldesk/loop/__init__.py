"""The loop at the centre (architecture.md): one pass as data, run once or by the daemon.

- :mod:`hoteldesk.loop.step` — the :class:`Step` protocol and its typed :class:`StepReport`.
- :mod:`hoteldesk.loop.steps` — THE ordered list of steps; read it first.
- :mod:`hoteldesk.loop.passes` — run a list of steps: preflight, each step trapped, the day's backup.
- :mod:`hoteldesk.loop.daemon` — ``hoteldesk run``: the same pass after saves, closes and timers.

This package is the wiring layer: it imports the mailroom, the documents and the automations; none of
them imports it (checked by ``lint-imports``, see pyproject.toml).
"""
