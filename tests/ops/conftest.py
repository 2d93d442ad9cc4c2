"""Real processes for the ops tests: a Redis server and gunicorn instances on free 127.0.0.1 ports."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A Redis of our own (Debian's redis-server on a free port, so tests never touch a shared one);
    the one on 6379 when no redis-server binary is here; skip when neither."""
    binary = shutil.which("redis-server")
    if binary is None:
        if _answers(6379):
            yield "redis://127.0.0.1:6379/15"
            return
        pytest.skip("needs Redis: no redis-server binary (apt-get install redis-server) and none on 6379")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if _answers(port):
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def redis_url(redis_server):
    """An empty Redis database for each test (the rate counters of one test do not leak into the next)."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return redis_server


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite file that the gunicorn processes share (the tests' own database is in memory)."""
    path = tmp_path_factory.mktemp("db") / "ops.sqlite3"
    env = {**os.environ, "DOORBRAAK_ENV": "test", "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return f"sqlite:///{path}"


@pytest.fixture
def gunicorn_server(migrated_sqlite):
    """gunicorn_server(**env) starts one gunicorn (gunicorn.conf.py) and returns its base URL."""
    procs = []

    def start(**extra_env) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DOORBRAAK_ENV": "test",
            "DATABASE_URL": migrated_sqlite,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "0",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_REQUESTS": "0",
        }
        env.pop("REDIS_URL", None)
        env.update({k: str(v) for k, v in extra_env.items()})
        proc = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/_healthz/livez", timeout=1) as r:
                    if r.status == 200:
                        return url
            except OSError:
                time.sleep(0.05)
            if proc.poll() is not None:
                break
        pytest.fail(f"gunicorn on {url} did not start")

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(15)
