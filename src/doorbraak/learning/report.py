"""Old path of learning.insights.report, kept for callers outside the app (tests/tasks, tests/security, bench/):
the same module object, not a copy, so monkeypatching either path patches the one the app uses."""

import sys

from .insights import report as _module

sys.modules[__name__] = _module
