"""Celery worker processes for benchmarks: start, wait until ready, measure, stop."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.corpus import PROJECT_DIR

# "Task sources.extract[<id>] succeeded in 0.1234s: 'queued'"
_TASK_LINE = re.compile(r"Task (?P<name>[\w.]+)\[[^\]]+\] succeeded in (?P<seconds>[\d.e-]+)s")


def vm_hwm_kb(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of a live process, in kB; None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a live process has used, in seconds; None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": field 3 onwards
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Child processes of `pid`, recursively (from /proc/<pid>/task/*/children)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids = [int(item) for item in children.read_text().split()]
        except OSError:
            continue
        for child in pids:
            found.append(child)
            found.extend(descendants(child))
    return found


class CeleryWorkers:
    """N `celery worker --pool solo` processes (one process each, so N processes = N cores)."""

    def __init__(self, count: int, queues: str, env: dict[str, str], log_dir: Path):
        self.count, self.queues, self.env, self.log_dir = count, queues, env, log_dir
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def command(self, number: int) -> list[str]:
        worker = "celery -A config worker --pool solo --loglevel INFO"
        quiet = "--without-gossip --without-mingle --without-heartbeat"
        return [
            sys.executable, "-m", *worker.split(), "-Q", self.queues, *quiet.split(),
            "-n", f"bench{number}@%h",
        ]  # fmt: skip

    def start(self) -> "CeleryWorkers":
        for number in range(1, self.count + 1):
            log = self.log_dir / f"worker{number}.log"
            with open(log, "wb") as output:
                process = subprocess.Popen(
                    self.command(number),
                    cwd=PROJECT_DIR,
                    env=self.env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            self.processes.append(process)
            self.logs.append(log)
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until every worker logged "ready."; raise RuntimeError with its log if not."""
        deadline = time.monotonic() + timeout
        waiting = set(range(self.count))
        while waiting:
            for index in list(waiting):
                if " ready." in self.logs[index].read_text(errors="replace"):
                    waiting.discard(index)
                elif self.processes[index].poll() is not None:
                    raise RuntimeError(f"worker {index + 1} exited:\n{self.log_tail(index)}")
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"workers not ready after {timeout:.0f} s:\n{self.log_tail(0)}")
            time.sleep(0.05)

    def peak_rss_kb(self) -> dict[int, int]:
        """{pid: VmHWM kB} of each worker and its children, read while they are alive."""
        peaks = {}
        for process in self.processes:
            for pid in [process.pid, *descendants(process.pid)]:
                value = vm_hwm_kb(pid)
                if value is not None:
                    peaks[pid] = value
        return peaks

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the workers and their children (those still alive)."""
        pids = [
            pid for process in self.processes for pid in [process.pid, *descendants(process.pid)]
        ]
        return sum(filter(None, (cpu_seconds(pid) for pid in pids)))

    def exited(self) -> dict[int, str]:
        """{worker number: why} for the workers that are no longer running."""
        gone = {}
        for index, process in enumerate(self.processes):
            if process.poll() is not None:
                lines = self.logs[index].read_text(errors="replace").splitlines()
                errors = [line for line in lines if " CRITICAL " in line or " ERROR " in line]
                why = errors[-1] if errors else (lines[-1] if lines else "no output")
                gone[index + 1] = f"exit code {process.returncode}: {why.strip()[:300]}"
        return gone

    def task_seconds(self) -> dict[str, dict[str, float]]:
        """Per task name: how many succeeded and the seconds they ran (from the worker logs)."""
        totals: dict[str, dict[str, float]] = defaultdict(lambda: {"count": 0, "seconds": 0.0})
        for log in self.logs:
            for match in _TASK_LINE.finditer(log.read_text(errors="replace")):
                totals[match["name"]]["count"] += 1
                totals[match["name"]]["seconds"] += float(match["seconds"])
        return dict(totals)

    def log_tail(self, index: int, lines: int = 30) -> str:
        text = self.logs[index].read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL whatever is still running after `timeout`."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def __enter__(self) -> "CeleryWorkers":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
