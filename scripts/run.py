#!/usr/bin/env python3
"""Run the Procfile's processes for `make run`, and stop them cleanly on Ctrl-C.

What honcho did, plus a clean stop (docs/operations.md, "make run"):

- Each process runs in a session of its own, and on Ctrl-C (or SIGTERM, SIGHUP) gets
  SIGTERM to its main process only: a Celery worker then makes a warm shutdown (its pool
  children and embedded beat are stopped by the worker itself, not killed beside it) and
  runserver exits. Only a process still running after the grace period (`--grace`, 30 s)
  is killed, with its whole group; a second Ctrl-C kills at once.
- Ctrl-C reaches make too when make runs in the terminal's foreground process group, and
  GNU make then always ends by killing itself with SIGINT ("make: *** ... Error 130", exit
  status 130), whatever its recipe does. So when it runs in the foreground of a terminal,
  this script moves into a process group of its own and makes that group the terminal's
  foreground: Ctrl-C reaches only this script, make sees it exit 0 after a clean stop and
  exits 0 too. The terminal is handed back to make's group before this script exits.

Exit status: 0 when a stop was asked for and every process stopped by itself within the
grace period; 1 when a process had to be killed, or ended on its own (the others are then
stopped, as honcho did). Standard library only.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
POLL_SECONDS = 0.1


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    reader: threading.Thread | None = None
    killed: bool = False
    ended_at: float | None = field(default=None)

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Output:
    """Lines of every process, each prefixed with the time and the process name."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.lock = threading.Lock()

    def line(self, name: str, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        with self.lock:
            sys.stdout.write(f"{stamp} {name:<{self.width}} | {text.rstrip()}\n")
            sys.stdout.flush()

    def pump(self, name: str, stream) -> None:
        for raw in iter(stream.readline, b""):
            self.line(name, raw.decode(errors="replace"))
        stream.close()


def read_procfile(path: Path) -> list[Process]:
    processes = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            raise SystemExit(f"{path}:{number}: expected 'name: command', got {line!r}")
        processes.append(Process(name.strip(), command.strip()))
    if not processes:
        raise SystemExit(f"{path} names no process")
    return processes


class Terminal:
    """Takes the terminal's foreground for this process's own group, and gives it back."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.previous: int | None = None

    def take(self) -> None:
        try:
            fd = os.open("/dev/tty", os.O_RDWR)  # the controlling terminal, if there is one
        except OSError:
            return
        try:
            foreground = os.tcgetpgrp(fd) == os.getpgrp()
        except OSError:
            foreground = False
        if not foreground:  # started in the background: leave the terminal alone
            os.close(fd)
            return
        previous = os.getpgrp()
        # Changing the foreground from a process that is not in it would stop this one.
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        os.setpgid(0, 0)
        os.tcsetpgrp(fd, os.getpgrp())
        self.fd, self.previous = fd, previous

    def give_back(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.tcsetpgrp(self.fd, self.previous)
        os.close(self.fd)
        self.fd = None


class Runner:
    def __init__(self, processes: list[Process], grace: float) -> None:
        self.processes = processes
        self.grace = grace
        self.output = Output(max(6, *(len(p.name) for p in processes)))
        self.signals: list[int] = []

    def say(self, text: str) -> None:
        self.output.line("system", text)

    def on_signal(self, signum: int, _frame) -> None:
        self.signals.append(signum)

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for process in self.processes:
            process.popen = subprocess.Popen(
                ["/bin/sh", "-c", process.command],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a terminal's signals go to this script only
            )
            process.reader = threading.Thread(
                target=self.output.pump, args=(process.name, process.popen.stdout), daemon=True
            )
            process.reader.start()
            self.say(f"{process.name} started (pid {process.popen.pid})")

    def wait_for_stop_or_exit(self) -> bool:
        """True when a stop was asked for; False when a process ended on its own."""
        while not self.signals:
            if any(not process.running for process in self.processes):
                return False
            time.sleep(POLL_SECONDS)
        return True

    def stop(self) -> None:
        names = ", ".join(p.name for p in self.processes if p.running)
        if names:
            self.say(f"stopping {names} (up to {self.grace:g} s; Ctrl-C again kills at once)")
        asked = len(self.signals)
        for process in self.processes:
            if process.running:
                with contextlib.suppress(ProcessLookupError):
                    process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while any(process.running for process in self.processes):
            if time.monotonic() > deadline or len(self.signals) > asked:
                self.kill_remaining()
                break
            time.sleep(POLL_SECONDS)
        for process in self.processes:
            process.popen.wait()
            # Whatever the process left behind in its group goes with it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.popen.pid, signal.SIGKILL)
            if process.reader is not None:
                process.reader.join(timeout=2)

    def kill_remaining(self) -> None:
        for process in self.processes:
            if process.running:
                self.say(f"{process.name} did not stop in time: killing it")
                process.killed = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGKILL)

    def report(self, asked_to_stop: bool) -> int:
        clean = asked_to_stop
        for process in self.processes:
            code = process.popen.returncode
            self.say(f"{process.name} stopped (exit status {code})")
            if process.killed or code != 0:
                clean = False
        return 0 if clean else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", type=Path, default=Path("Procfile"))
    parser.add_argument(
        "--grace", type=float, default=30.0, help="seconds a process has to stop (30)"
    )
    args = parser.parse_args()
    runner = Runner(read_procfile(args.procfile), args.grace)
    for signum in STOP_SIGNALS:
        signal.signal(signum, runner.on_signal)
    # Ctrl-Z would stop this script while make waits for it, with the terminal held.
    signal.signal(signal.SIGTSTP, signal.SIG_IGN)
    terminal = Terminal()
    terminal.take()
    try:
        runner.start()
        asked = runner.wait_for_stop_or_exit()
        if not asked:
            ended = next(p for p in runner.processes if not p.running)
            runner.say(f"{ended.name} ended by itself: stopping the others")
        runner.stop()
        return runner.report(asked)
    finally:
        terminal.give_back()


if __name__ == "__main__":
    sys.exit(main())
