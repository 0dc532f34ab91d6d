"""The bench's CPU and memory count every process a stack's process started."""

from __future__ import annotations

import subprocess
import sys
import time

from bench import system

# A parent that starts a child in a session of its own (as PostgreSQL's postmaster
# starts each backend) and prints its pid; the child burns CPU, then sleeps.
PARENT = """
import subprocess, sys
child = subprocess.Popen(
    [sys.executable, "-c", "import time\\nend = time.process_time() + 0.3\\n"
     "while time.process_time() < end: pass\\ntime.sleep(60)"],
    start_new_session=True,
)
print(child.pid, flush=True)
child.wait()
"""


def test_a_child_in_its_own_session_counts_for_its_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        time.sleep(0.5)

        started = system.members({"parent": parent.pid})["parent"]
        assert sorted(started) == sorted([parent.pid, child])
        assert system.cpu_seconds({"parent": parent.pid})["parent"] >= 0.3
        assert system.memory({"parent": parent.pid})["parent"] > 10
    finally:
        subprocess.run(["kill", str(child)], check=False)
        parent.wait(timeout=10)
