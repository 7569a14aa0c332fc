"""The code's layering: every package imports on its own, the API imports no presentation, and only the
store speaks SQL."""
import ast
import re
import subprocess
import sys

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "newsweave"


def packages() -> list[str]:
    return ["newsweave"] + [f"newsweave.{path.name}" for path in sorted(PACKAGE.iterdir())
                            if path.is_dir() and (path / "__init__.py").exists()]


def test_every_package_imports_alone():
    # one interpreter each (an import cycle shows only when a module is imported first), all at once
    running = {name: subprocess.Popen([sys.executable, "-c", f"import {name}"], stderr=subprocess.PIPE, text=True)
               for name in packages()}
    for name, proc in running.items():
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name}: {err[-500:]}"


def test_the_api_imports_no_presentation():
    probe = ("import sys, newsweave.api\n"
             "print(sorted(m for m in sys.modules if m.startswith(('newsweave.web', 'newsweave.report', 'newsweave.cli'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_store_runs_sql():
    speaking = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                if path.parent.name != "store" and re.search(r"\.execute(many)?\(", path.read_text(encoding="utf-8"))]
    assert speaking == []


def test_package_inits_hold_no_logic():
    """A package's __init__.py names its modules and re-exports; every function and class lives in a module
    named for its job."""
    holding = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("__init__.py")
               if any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      for node in ast.parse(path.read_text(encoding="utf-8")).body)]
    assert holding == []
