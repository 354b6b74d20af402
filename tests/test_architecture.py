"""The arrows run one way: protocols never imports qmodels or the application layer."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> set[str]:
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_protocols_imports_neither_qmodels_nor_the_app():
    found = _imports("protocols")
    assert "qmodels" not in found and "diqkd" not in found


def test_qmodels_does_not_import_the_app():
    assert "diqkd" not in _imports("qmodels")


def test_the_command_line_starts_without_scipy():
    """``diqkd --help`` and ``diqkd rate`` must start fast: building the parser and the plain rate load no scipy
    (its import alone takes ~0.3-1 s); timings are in benchmarks/bench_protocols.py."""
    import subprocess
    import sys

    code = ("import sys, io, contextlib\n"
            "from diqkd.cli import build_parser, main\n"
            "build_parser()\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['rate', '--S', '2.7', '--Q', '0.02', '--json'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'qiskit', 'qutip', 'cvxpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
