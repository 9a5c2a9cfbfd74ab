"""Servers and load for the scale benchmark: start a server on a free 127.0.0.1 port, drive one URL
with wrk for a fixed time, read the server's peak memory.

Why wrk: a C load generator on 2 cores leaves the server most of the CPU; a Python one would take
half of it. Its --timeout is raised to 60 s so a slow page is measured instead of dropped.
"""
from __future__ import annotations

import math
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
    loadavg: float = math.nan  # the machine's 1-minute load average when the run ended


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

    def processes(self) -> list[int]:
        """The server's process and every process under it (uvicorn --workers N: a supervisor
        and N workers)."""
        pids, i = [self.proc.pid], 0
        while i < len(pids):
            for task in Path(f"/proc/{pids[i]}/task").glob("*/children"):
                try:
                    pids += [int(p) for p in task.read_text().split()]
                except OSError:
                    pass
            i += 1
        return pids

    def peak_rss_mib(self) -> float:
        """VmHWM: the most resident memory a process has held since it started, summed over the
        server's processes (several workers: an upper bound, their peaks need not coincide)."""
        total = 0
        for pid in self.processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        return total / 1024

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.processes():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

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


def wrk_argv(base: str, path: str, seconds: int, connections: int, headers: dict | None = None,
             script: Path | None = None) -> list[str]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    argv = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "60s"]
    for k, v in (headers or {}).items():
        argv += ["-H", f"{k}: {v}"]
    if script is not None:
        argv += ["-s", str(script)]
    return argv + [base + path]


def run_wrk(name: str, server: Server, path: str, seconds: int, connections: int,
            headers: dict | None = None, refusal_is_zero: bool = False) -> Load:
    """`refusal_is_zero`: a 4xx before the load (Datasette answers 400 when a query runs past its
    time limit, as its filtered table does at 1M claims) is measured as 0 req/s with one error,
    not a failure of the benchmark."""
    base = server.base
    server.wait_idle()
    try:
        path, size, alone = final_path(base, path, headers)
    except httpx.HTTPStatusError as exc:
        if not refusal_is_zero or exc.response.status_code >= 500:
            raise
        return Load(name, path, 0.0, math.nan, math.nan, 0, 1, 0, math.nan)
    out = subprocess.run(wrk_argv(base, path, seconds, connections, headers), capture_output=True,
                         text=True, check=True).stdout
    return Load(name, path, *parse_wrk(out), size, alone, os.getloadavg()[0])


# Each request tags a random claim of ids lo..hi through the API (adding a tag the claim has is a
# no-op 200): an audited write (the tag row and an event) that every worker process runs at once.
# Each wrk thread seeds its own random ids and uses tags of its own, so two requests rarely tag one
# claim with one tag at the same moment (that is a 409, "just tagged by someone else"). The answers
# over 399 are counted by status class and printed at the end.
_TAG_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
  n, s4, s5 = 0, 0, 0
end
function request()
  n = n + 1
  local id = math.random(%(lo)d, %(hi)d)
  local body = string.format('{"tag": "bench-%%d-%%d"}', tid, n %% 50)
  return wrk.format("POST", "/api/v1/claims/" .. id .. "/tags",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(token)s"}, body)
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1 end
end
function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("s4"); b = b + t:get("s5") end
  io.write(string.format("answers 4xx %%d 5xx %%d\\n", a, b))
end
"""


def run_reads_and_writes(name: str, server: Server, read_path: str, claim_ids: tuple[int, int],
                         token: str, seconds: int, connections: int, writers: int,
                         scratch: Path) -> tuple[Load, Load]:
    """`connections` readers of read_path and `writers` connections writing tags, in the same
    seconds; both wrk runs' figures."""
    base = server.base
    server.wait_idle()
    read_path, size, alone = final_path(base, read_path)
    script = scratch / "bench-tag-writes.lua"
    script.write_text(_TAG_SCRIPT % {"lo": claim_ids[0], "hi": claim_ids[1], "token": token})
    reads = subprocess.Popen(wrk_argv(base, read_path, seconds, connections), stdout=subprocess.PIPE,
                             text=True)
    writes = subprocess.run(wrk_argv(base, "/api/v1/claims", seconds, writers, script=script),
                            capture_output=True, text=True, check=True).stdout
    read_out = reads.communicate()[0]
    s4, s5 = re.search(r"answers 4xx (\d+) 5xx (\d+)", writes).groups()
    return (Load(f"{name} (while writing)", read_path, *parse_wrk(read_out), size, alone),
            Load(f"API tag writes ({s4} 4xx, {s5} 5xx)", "POST /api/v1/claims/{id}/tags",
                 *parse_wrk(writes), 0, float("nan")))


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
