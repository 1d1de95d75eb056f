"""Serve with gunicorn on 127.0.0.1, load with wrk: requests per second, latency, memory,
start-up time."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Server:
    """A running gunicorn master and what starting it took."""

    process: subprocess.Popen
    port: int
    ready_seconds: float
    log: Path

    @property
    def base(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Load:
    """What wrk measured on one set of URLs."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> int:
    """The status of a GET (0 when the server does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status
    except OSError as error:
        return getattr(error, "code", 0) or 0


def serve(app: str, env: dict[str, str], workers: int = 2, ready_path: str = "/") -> Server:
    """Start gunicorn and wait until it answers `ready_path` with 200."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--no-control-socket", app]  # fmt: skip
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(process, port, 0.0, log)
    while get(server.base + ready_path, timeout=2) != 200:
        if process.poll() is not None or time.perf_counter() - started > 60:
            stop(server)
            raise RuntimeError(f"gunicorn did not start: see {log}")
        time.sleep(0.02)
    server.ready_seconds = time.perf_counter() - started
    return server


def stop(server: Server) -> None:
    """Stop the master and its workers."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def worker_pids(server: Server) -> list[int]:
    """The gunicorn workers of a master."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
    return {"rss": int(values["VmRSS"]) / 1024, "peak": int(values["VmHWM"]) / 1024}


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user + system): its own work, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _lua_script(paths: list[str]) -> Path:
    """A wrk script that asks for the paths in turn, at random."""
    quoted = ",\n".join(f'  "{path}"' for path in paths)
    script = (
        f"local paths = {{\n{quoted}\n}}\n"
        "math.randomseed(42)\n"
        "request = function()\n"
        '  return wrk.format("GET", paths[math.random(#paths)])\n'
        "end\n"
    )
    handle, name = tempfile.mkstemp(prefix="bench-wrk-", suffix=".lua")
    with os.fdopen(handle, "w") as out:
        out.write(script)
    return Path(name)


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Load:
    """Requests/s, median and p99 latency, and failures, from wrk's --latency report."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return Load(
        float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        _milliseconds(latency["50"]),
        _milliseconds(latency["99"]),
        requests,
        errors,
    )


def start_wrk(base: str, paths: list[str], seconds: int, connections: int = 8,
              threads: int = 2) -> tuple[subprocess.Popen, Path]:  # fmt: skip
    """Start wrk on the paths (read its report with `finish_wrk`)."""
    script = _lua_script(paths)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "--timeout", "10s", "-s", str(script), base]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    return process, script


def finish_wrk(started: tuple[subprocess.Popen, Path]) -> Load:
    """Wait for wrk and read its report."""
    process, script = started
    output, _ = process.communicate()
    script.unlink()
    return parse_wrk(output)


def run_wrk(base: str, paths: list[str], seconds: int, connections: int = 8) -> Load:
    """Load one server with wrk for `seconds`."""
    get(base + paths[0])  # warm the path before timing it
    return finish_wrk(start_wrk(base, paths, seconds, connections))
