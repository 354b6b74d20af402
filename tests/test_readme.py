"""The README's Python example runs and prints what its comments say."""

import re
from pathlib import Path


def test_readme_example_runs(capsys):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "S=2.687 Q=0.164" in out
    assert "platform='ideal'" in out


def _bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, re.S)


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    root = Path(__file__).resolve().parents[1]
    blocks = _bash_blocks((root / "README.md").read_text())
    main_job, tests = blocks[0].strip(), blocks[1].strip()
    assert main_job.startswith("python3 -m venv .venv") and main_job.endswith("diqkd reproduce --out results")
    assert tests.startswith("python3 -m venv .venv") and tests.endswith("python -m pytest -q")
    lines = (root / ".ci" / "run").read_text().splitlines()
    ci = [line for line in lines if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == [tests]
