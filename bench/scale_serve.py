"""Servers and load for the scale benchmark: start a server on a free 127.0.0.1 port, drive one URL
with wrk for a fixed time, read the server's peak memory.

Why wrk: a C load generator on 2 cores leaves the server most of the CPU; a Python one would take
half of it. Its --timeout is raised to 60 s so a slow page is measured instead of dropped.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Load:
    name: str
    url: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int                # non-2xx/3xx answers, socket errors and timeouts
    bytes_per_request: int
    alone_ms: float            # one request with nothing else running, before the load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A child process serving HTTP on 127.0.0.1:port; stopped with SIGINT, then SIGKILL."""

    def __init__(self, argv: list[str], port: int, env: dict[str, str], log: Path, ready_path: str) -> None:
        self.port, self.log = port, log
        with open(log, "w") as out:
            self.proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited; see {log}")
            try:
                if httpx.get(self.base + ready_path, timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{argv[0]} did not answer within 120 s; see {log}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def peak_rss_mib(self) -> float:
        """VmHWM: the most resident memory the process has held since it started."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, most: float = 600) -> None:
        """Until the server has used almost no CPU for a second: it has answered what the last
        run left queued (wrk stops sending, not the server working)."""
        deadline, quiet = time.monotonic() + most, 0
        before = self.cpu_seconds()
        while time.monotonic() < deadline and quiet < 2:
            time.sleep(0.5)
            now = self.cpu_seconds()
            quiet = quiet + 1 if now - before < 0.02 else 0
            before = now

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def final_path(base: str, path: str, headers: dict | None = None,
               patience: float = 300) -> tuple[str, int, float]:
    """The path a GET of `path` ends at after redirects (wrk does not follow them), the size of its
    body and how long it took (ms). The server may still be working through the requests the last run queued (wrk stops
    sending, not the server answering; meanwhile a request can wait past the connection pool's
    timeout and get a 500): asked again until it answers, then a failure stops the benchmark
    rather than measuring an error page."""
    deadline = time.monotonic() + patience
    while True:
        try:
            started = time.monotonic()
            r = httpx.get(base + path, headers=headers or {}, follow_redirects=True, timeout=patience)
            took = (time.monotonic() - started) * 1000
            if r.status_code < 500 or time.monotonic() > deadline:
                break
        except httpx.TimeoutException:
            if time.monotonic() > deadline:
                raise
        time.sleep(2)
    r.raise_for_status()
    return r.url.raw_path.decode(), len(r.content), took


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def run_wrk(name: str, server: Server, path: str, seconds: int, connections: int,
            headers: dict | None = None) -> Load:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    base = server.base
    server.wait_idle()
    path, size, alone = final_path(base, path, headers)
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    for k, v in (headers or {}).items():
        argv += ["-H", f"{k}: {v}"]
    out = subprocess.run(argv + [base + path], capture_output=True, text=True, check=True).stdout
    return Load(name, path, *parse_wrk(out), size, alone)


def parse_wrk(out: str) -> tuple[float, float, float, int, int]:
    """(requests/s, p50 ms, p99 ms, requests, errors) from `wrk --latency` output; the latencies are
    NaN when no request finished within the run."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1)) if total else float("nan")
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1)) if total else float("nan")
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout)"
                                             r" (\d+)", out))
    return rps, p50, p99, total, errors
