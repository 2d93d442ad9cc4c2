"""Old path of learning.insights.council_reports, kept for callers outside the app (tests/tasks, tests/security):
the same module object, not a copy, so monkeypatching either path patches the one the app uses."""

import sys

from .insights import council_reports as _module

sys.modules[__name__] = _module
