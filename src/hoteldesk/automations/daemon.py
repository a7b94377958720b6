"""The old import path of :mod:`hoteldesk.loop` (the pass and the daemon moved up a layer, issue 15).

Kept so the branches of wave 2 and their tests merge; new code imports :mod:`hoteldesk.loop.steps`,
:mod:`hoteldesk.loop.passes` and :mod:`hoteldesk.loop.daemon`. ``STEPS`` are :class:`Step` objects now:
filter them by ``step.name``, add a step to :data:`hoteldesk.loop.steps.PASS`.
"""

from hoteldesk.loop.daemon import Daemon, run_daemon, run_once
from hoteldesk.loop.passes import PassResult, flush, give_back_memory, run_pass, run_step
from hoteldesk.loop.step import Step, StepReport
from hoteldesk.loop.steps import DAEMON_PASS as DAEMON_STEPS
from hoteldesk.loop.steps import PASS as STEPS
from hoteldesk.loop.steps import TIMED_PASS as TIMED_STEPS

__all__ = [
    "DAEMON_STEPS",
    "STEPS",
    "TIMED_STEPS",
    "Daemon",
    "PassResult",
    "Step",
    "StepReport",
    "flush",
    "give_back_memory",
    "run_daemon",
    "run_once",
    "run_pass",
    "run_step",
]
