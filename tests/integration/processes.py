"""Real processes for service tests: the HTTP service, redis-server, Celery workers."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx

from tests.conftest import KEYS_FILE, PROFILES, ROOT
from tests.integration.converter_processes import of_pool, wait_for

API_KEY = "service-test-key-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "GENERATOR_API_KEYS": API_KEY,
        "GENERATOR_PROFILES_DIR": str(PROFILES),
        "GENERATOR_DATA_DIR": str(data_dir),
        "GENERATOR_FACILITY_KEYS_FILE": str(KEYS_FILE),
        "GENERATOR_WORKERS": "2",
        **extra,
    }


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``python -m generator ARGS`` in a session of its own, output to ``log``."""
    with log.open("ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", *args], cwd=ROOT, env=env,
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the service exited while starting"
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the service did not become ready")


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``python -m generator serve`` on a free port, ready: its address and process;
    stopped, with its converters, when the block ends."""
    port = free_port()
    process = start(["serve", "--port", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        yield base, process
    finally:
        stop(process)


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and its session; its LibreOffice processes must end by themselves
    (their agents see the pipe from the dead process close)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    wait_for(lambda: not of_pool(process.pid), f"converter processes outlived {process.pid}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    kill(process)


def redis_server(
    port: int, folder: Path, *, password: str | None = None, tls: Path | None = None
) -> subprocess.Popen[bytes]:
    """A throwaway redis-server on loopback, nothing saved to disk; with ``password``, it
    refuses clients without it; with ``tls`` (a folder from ``tls_files``), it speaks only
    TLS on ``port``."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    args = [binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    if password is not None:
        args += ["--requirepass", password]
    if tls is None:
        args += ["--port", str(port)]
    else:
        args += ["--port", "0", "--tls-port", str(port), "--tls-auth-clients", "no",
                 "--tls-cert-file", str(tls / "server.pem"),
                 "--tls-key-file", str(tls / "server.key"),
                 "--tls-ca-cert-file", str(tls / "ca.pem")]  # fmt: skip
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    raise AssertionError("redis-server did not start")


def tls_files(folder: Path) -> Path:
    """A throwaway CA (ca.pem) and a certificate it signed for 127.0.0.1 (server.pem,
    server.key), made with openssl in ``folder``."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
            "-keyout", "ca.key", "-out", "ca.pem")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", "server.key", "-out", "server.csr")  # fmt: skip
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.cnf",
            "-out", "server.pem")  # fmt: skip
    return folder
