"""Real services for the scale-out and fault tests: gunicorn and Redis in subprocesses.

Each server binds 127.0.0.1 on a free port, writes its log to a file the test can read, and
is stopped by the fixture that started it.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MANAGE = [sys.executable, str(PROJECT / "manage.py")]

# How long a started server may take to answer its first request.
START_SECONDS = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args, env):
    """Run `manage.py` with `env` added to this process's environment; fail loudly."""
    result = subprocess.run(
        [*MANAGE, *args], env={**os.environ, **env}, cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def database_url(settings_dict):
    """A DATABASE_URL for the suite's own test database (an SQLite file, or PostgreSQL)."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


def wait_until_answering(url, process=None, seconds=START_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class LoggedProcess:
    """A process of the site's (`command`, run from the project with `env`) whose output goes to
    `log_path`; stopped with SIGTERM, as honcho or systemd stops it, and killed after
    `stop_seconds`."""

    stop_seconds = 30

    def __init__(self, command, env, log_path):
        self.command = command
        self.env = {**os.environ, **env}
        self.log_path = Path(log_path)
        self.process = None

    def start(self):
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=PROJECT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.stop_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()

    def log_text(self):
        return self.log_path.read_text(errors="replace")


class Gunicorn(LoggedProcess):
    """The site under gunicorn, started as `make run` starts it, with `env` for settings."""

    def __init__(self, env, log_path, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The command line of `make run`, with its gunicorn config file when the project has one.
        config = PROJECT / "cpec_tracker" / "gunicorn.conf.py"
        command = [
            str(BIN / "gunicorn"),
            *(["--config", str(config)] if config.exists() else []),
            "cpec_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        super().__init__(command, env, log_path)

    def start(self):
        super().start()
        try:
            wait_until_answering(f"{self.url}/healthz", self.process)
        except BaseException:
            self.stop()
            raise
        return self


class Redis:
    """Debian's redis-server on a free port, with nothing written to disk."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = Path(folder)
        self.pidfile = self.folder / f"redis-{self.port}.pid"

    @staticmethod
    def available():
        return shutil.which("redis-server") is not None

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.folder / f"redis-{self.port}.log"),
                "--dir",
                str(self.folder),
            ],
            check=True,
        )
        deadline = time.monotonic() + START_SECONDS
        while not self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.1)
        return self

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        deadline = time.monotonic() + START_SECONDS
        while self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not stop")
            time.sleep(0.1)


class Worker(LoggedProcess):
    """`manage.py db_worker` (the Procfile's `worker:` line) with `env` for settings, under a
    worker id of its own, so that its runs can be told apart in the task results."""

    # A worker stopped with SIGTERM finishes its job first.
    stop_seconds = 60

    def __init__(self, env, log_path, worker_id, interval=0.2):
        self.worker_id = worker_id
        command = [
            *MANAGE,
            "db_worker",
            "--interval",
            str(interval),
            "--no-startup-delay",
            "--worker-id",
            worker_id,
        ]
        super().__init__(command, env, log_path)

    def wait_until_polling(self, seconds=START_SECONDS):
        """Until the worker says it started (its first look at the queue follows at once)."""
        deadline = time.monotonic() + seconds
        while f"Starting worker worker_id={self.worker_id}" not in self.log_text():
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.worker_id} exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"worker {self.worker_id} did not start within {seconds} s")
            time.sleep(0.1)
        return self
