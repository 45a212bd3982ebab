"""The two things a new user runs: `newsbot demo` and the console bot (`newsbot run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO


def newsbot_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbot", *args]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


@pytest.mark.slow
def test_demo_prints_a_digest_with_a_conflict(tmp_path: Path) -> None:
    out = subprocess.run(
        newsbot_cmd("demo"),
        capture_output=True,
        text=True,
        timeout=300,
        env=subprocess_env(),
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    digest = out.stdout
    assert digest.startswith("newsbot digest:")
    assert "Litauischer Geheimdienst: 15.000 Nordkoreaner in Russland" in digest
    lines = digest.splitlines()
    at = next(i for i, line in enumerate(lines) if "Litauischer Geheimdienst" in line)
    # the conflict names what it contradicts: value, claimant, date and item
    assert "CONFLICT 15,000" in lines[at + 1]
    assert "10,000 soldiers (Pentagon, 2024-10-28, demo-en-2001)" in lines[at + 1]
    assert "DAX" not in digest and "Arsenal" not in digest  # off-topic items stay out
    # the syndicated copy is shown once, with its second source
    assert digest.count("Rund 10.000") == 1 or "also Demo-Regionalzeitung" in digest
    assert list(tmp_path.iterdir()) == []  # nothing left behind


@pytest.mark.slow
def test_console_bot_prints_digest_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = subprocess_env(NEWSBOT_DATA_DIR=str(tmp_path / "data"))
    init = subprocess.run(
        newsbot_cmd("init"), capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert init.returncode == 0, init.stderr
    assert "seeds: 5 imported" in init.stdout
    proc = subprocess.Popen(
        newsbot_cmd("run"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 90
        lines: list[str] = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.strip() == "" and len(lines) > 3:
                break  # end of the first digest
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    text = "".join(lines)
    assert text.startswith("newsbot digest:"), err
    assert "CONFLICT" in text
    assert proc.returncode == 0, err
    assert "stopped" in err
