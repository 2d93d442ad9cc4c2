"""Old path of learning.insights.analytics, kept for callers outside the app (tests/tasks, tests/security, bench/):
the same module object, not a copy, so monkeypatching either path patches the one the app uses."""

import sys

from .insights import analytics as _module

sys.modules[__name__] = _module
