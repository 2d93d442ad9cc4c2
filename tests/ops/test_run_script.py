"""Issue 14, part 1: `make run` (scripts/run_demo.sh) serves through gunicorn, starts the task worker when
`manage.py db_worker` exists, and Ctrl-C in the terminal stops both."""

import os
import pty
import signal
import sys
import time
import urllib.request

from tests.ops.conftest import ROOT, free_port

FAKE_PYTHON = """#!/bin/sh
# Stand-in for .venv/bin/python: `manage.py help db_worker` succeeds, `manage.py db_worker` runs until stopped.
if [ "$2" = help ]; then exit 0; fi
if [ "$2" = db_worker ]; then
  echo $$ > "{marker}"
  trap 'echo stopped >> "{marker}"; exit 0' TERM INT
  while true; do sleep 0.1; done
fi
exec {python} "$@"
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_serves_with_gunicorn_and_a_worker_and_ctrl_c_stops_both(migrated_sqlite, tmp_path):
    marker = tmp_path / "worker.pid"
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON.format(marker=marker, python=sys.executable))
    fake.chmod(0o755)
    port = free_port()
    env = {
        **os.environ,
        "DOORBRAAK_ENV": "test",
        "DATABASE_URL": migrated_sqlite,
        "DEBUG": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "RUN_PYTHON": str(fake),
        "LOG_REQUESTS": "0",
    }
    pid, fd = pty.fork()  # a terminal, so Ctrl-C arrives as it does for a person
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe("bash", ["bash", "scripts/run_demo.sh"], env)
    output = b""
    try:
        served = None
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=1) as response:
                    served = response
                    break
            except OSError:
                time.sleep(0.05)
        assert served is not None and served.status == 200
        assert served.headers["X-Request-ID"]  # through the app's middleware under gunicorn
        for _ in range(100):
            if marker.exists():
                break
            time.sleep(0.05)
        worker_pid = int(marker.read_text().split()[0])
        assert _alive(worker_pid)

        os.write(fd, b"\x03")  # Ctrl-C
        deadline = time.time() + 20
        while time.time() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
            try:
                output += os.read(fd, 65536)
            except OSError:
                break
        assert not _alive(worker_pid)
        assert marker.read_text().split()[-1] == "stopped"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_healthz/livez", timeout=1)
            still_serving = True
        except OSError:
            still_serving = False
        assert not still_serving
        assert b"Taakverwerker (db_worker) gestart." in output
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
