"""scripts/run.py, what `make run` runs: Procfile processes stopped cleanly on Ctrl-C.

The processes here are small Python programs; .ci/smoke-make-run runs the real `make run`
(runserver and a Celery worker) the same way, on a pseudo-terminal.
"""

import fcntl
import os
import signal
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run.py"

# Stops on SIGTERM after a moment (as a warm shutdown does), saying which signal it got.
POLITE = """
import signal, sys, time
def stop(signum, frame):
    print("got", signal.Signals(signum).name, flush=True)
    time.sleep(0.3)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
print("ready", flush=True)
while True:
    time.sleep(0.1)
"""
STUBBORN = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
while True:
    time.sleep(0.1)
"""


def procfile(tmp_path: Path, **programs: str) -> Path:
    lines = []
    for name, source in programs.items():
        program = tmp_path / f"{name}.py"
        program.write_text(textwrap.dedent(source))
        lines.append(f"{name}: exec {sys.executable} {program}")
    path = tmp_path / "Procfile"
    path.write_text("# a comment\n\n" + "\n".join(lines) + "\n")
    return path


def start(path: Path, *, grace: float = 5.0, **popen) -> subprocess.Popen:
    command = [sys.executable, str(SCRIPT), "--procfile", str(path), "--grace", str(grace)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen
    )


def wait_for_lines(path: Path, count: int, proc: subprocess.Popen) -> None:
    """Each program writes a 'started' file once it runs: wait for `count` of them."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if len(list(path.parent.glob("*.started"))) >= count:
            return
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    pytest.fail("the programs did not start")


def marking(source: str, name: str, tmp_path: Path) -> str:
    marker = tmp_path / f"{name}.started"
    return f"open({str(marker)!r}, 'w').close()\n" + textwrap.dedent(source)


def test_a_stop_sends_sigterm_to_each_process_and_exits_0(tmp_path):
    path = procfile(
        tmp_path, web=marking(POLITE, "web", tmp_path), worker=marking(POLITE, "worker", tmp_path)
    )
    proc = start(path, start_new_session=True)
    wait_for_lines(path, 2, proc)

    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)

    assert proc.returncode == 0, out
    assert "web    | got SIGTERM" in out and "worker | got SIGTERM" in out
    assert "worker stopped (exit status 0)" in out
    assert "killing" not in out


def test_a_process_that_will_not_stop_is_killed_after_the_grace_period(tmp_path):
    path = procfile(
        tmp_path, web=marking(POLITE, "web", tmp_path), stuck=marking(STUBBORN, "stuck", tmp_path)
    )
    proc = start(path, grace=1.0, start_new_session=True)
    wait_for_lines(path, 2, proc)
    started = time.monotonic()

    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)

    assert proc.returncode == 1, out
    assert "stuck did not stop in time: killing it" in out
    assert time.monotonic() - started < 10


def test_a_process_ending_by_itself_stops_the_others(tmp_path):
    path = procfile(
        tmp_path,
        web=marking(POLITE, "web", tmp_path),
        broken="import sys\nprint('cannot start', flush=True)\nsys.exit(3)\n",
    )
    proc = start(path, start_new_session=True)
    out, _ = proc.communicate(timeout=20)

    assert proc.returncode == 1, out
    assert "broken ended by itself: stopping the others" in out
    assert "broken stopped (exit status 3)" in out


def test_ctrl_c_on_a_terminal_reaches_the_script_only_and_the_terminal_is_given_back(tmp_path):
    """As under make: the parent in the terminal's foreground group must not get the SIGINT
    (GNU make would end with Error 130), and gets the terminal back at the end."""
    path = procfile(tmp_path, web=marking(POLITE, "web", tmp_path))
    terminal, terminal_side = os.openpty()
    # A parent standing in for make: a session leader on the pseudo-terminal, in its
    # foreground group, that reports whether it saw SIGINT and who holds the terminal.
    parent = textwrap.dedent(
        f"""
        import os, signal, subprocess, sys
        seen = []
        signal.signal(signal.SIGINT, lambda *a: seen.append("SIGINT"))
        child = subprocess.run(
            [sys.executable, {str(SCRIPT)!r}, "--procfile", {str(path)!r}, "--grace", "5"]
        )
        foreground = os.tcgetpgrp(0) == os.getpgrp()
        print("parent:", child.returncode, seen, "foreground" if foreground else "lost", flush=True)
        """
    )

    def controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-c", parent],
        stdin=terminal_side,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    os.close(terminal_side)
    try:
        wait_for_lines(path, 1, proc)
        os.write(terminal, b"\x03")
        out, _ = proc.communicate(timeout=20)
    finally:
        os.close(terminal)

    assert proc.returncode == 0, out
    assert "web    | got SIGTERM" in out
    assert "parent: 0 [] foreground" in out
