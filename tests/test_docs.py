"""The README is part of the product: its commands must exist and its API example must run."""
import re

from tests.conftest import ROOT, run_cli


def test_readme_opens_with_install_and_test_commands():
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```\n(.*?)```", text, re.S)
    assert "pip install" in blocks[0] and "newsweave demo" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "newsweave demo" in ci and "pytest" in ci


def test_every_documented_command_exists():
    code = "".join(re.findall(r"```\n(.*?)```", (ROOT / "README.md").read_text(), re.S))
    documented = set(re.findall(r"^newsweave (\w+)", code, re.M))
    assert {"ingest", "stories", "show", "export", "eval", "demo"} <= documented
    help_text = run_cli("--help", check=True).stdout
    for command in documented:
        assert command in help_text


def test_readme_api_example_runs(seeds, tmp_path, monkeypatch):
    code = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    for f in seeds.iterdir():
        (tmp_path / "articles" / f.name).write_bytes(f.read_bytes())
    (tmp_path / "feed.jsonl").write_text('{"text": "A short wire item about a harbour fire that was put out on Monday."}\n')
    exec(compile(code, "README.md", "exec"), {"print": lambda *a: None})
    assert (tmp_path / "out.json").exists() and (tmp_path / "news.db").exists()
