import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def _shared(path: Path) -> Path:
    # Under CI the shared folder is part of the job: its absence is a failure, never a skip.
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing")
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def seeds() -> Path:
    return _shared(SEEDS)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return _shared(DATA)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "test.db"


def run_cli(*args: str, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "newsweave.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"newsweave {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc
