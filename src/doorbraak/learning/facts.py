"""Old path of learning.insights.facts, kept for callers outside the app (tests/tasks, the e2e refresh test,
bench/): the same module object, not a copy, so monkeypatching either path patches the one the refresh uses."""

import sys

from .insights import facts as _module

sys.modules[__name__] = _module
