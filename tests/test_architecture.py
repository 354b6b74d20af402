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
