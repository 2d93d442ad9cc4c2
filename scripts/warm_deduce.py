"""Build deduce's lookup-structure cache once, at install time (`make setup`), so no test or worker pays for it.

deduce (the Dutch de-identification model of learning.stories.second_eyes) rebuilds its cache (about two minutes
of CPU) whenever a source list looks newer than the cache. It compares a file's mtime, read in the process's local
time zone, with the cache's save time written as a naive local time: a cache built in a UTC shell looks stale to a
Django process running in Europe/Amsterdam for the first hour after installation. So the source lists get an old
mtime first, then the cache is built.
"""

import os
import time
from pathlib import Path

import deduce

OLD = time.mktime((2020, 1, 1, 0, 0, 0, 0, 0, -1))
src = Path(deduce.__file__).parent / "data" / "lookup" / "src"
for path in [src, *src.glob("**/*")]:
    os.utime(path, (OLD, OLD))
started = time.monotonic()
deduce.Deduce()
print(f"deduce: lookup cache ready ({time.monotonic() - started:.0f} s)")
