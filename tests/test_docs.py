"""The documentation builds without a warning, and the tutorial runs and prints what it shows.

* ``mkdocs build --strict`` (``mkdocs.yml``): the API pages are read from the docstrings by the
  static loader (nothing imported), so a docstring that griffe warns about fails the build.
  Skipped unless mkdocs and mkdocstrings are installed (extra ``docs``, ``tox -e docs``).
* every fenced ``python`` block of ``docs/tutorial.md`` runs, in order, in one namespace; a
  ``text`` block right after a ``python`` block is the output the page promises, and must be
  exactly what the block prints (~10 s: the BFF bound at 2 and 4 nodes, three protocol runs).
"""

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.S | re.M)


def tutorial_blocks(text: str) -> list[tuple[str, str | None]]:
    """``(code, expected output or None)`` for each top-level ``python`` block, in order."""
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in BLOCK.finditer(text)]
    out = []
    for i, (lang, body, _, end) in enumerate(blocks):
        if lang != "python":
            continue
        expected = None
        if i + 1 < len(blocks):
            nxt_lang, nxt_body, nxt_start, _ = blocks[i + 1]
            if nxt_lang == "text" and not text[end:nxt_start].strip():
                expected = nxt_body
        out.append((body, expected))
    return out


def test_the_tutorial_has_code_and_outputs():
    blocks = tutorial_blocks(TUTORIAL.read_text())
    assert len(blocks) >= 6
    assert all(expected is not None for _, expected in blocks), "every python block shows its output"
    code = "\n".join(body for body, _ in blocks)
    for name in ("CorrelationTable", "chsh_score", "qber", "chsh_key_rate", "bff_entropy_chsh",
                 "finite_key_length", "run_pipeline"):
        assert name in code


def test_every_tutorial_block_runs_and_prints_what_the_page_shows():
    pytest.importorskip("cvxpy", reason="the certified bound needs the sdp extra")
    pytest.importorskip("ldpc", reason="the classical protocol needs the postprocessing extra")
    namespace: dict = {"__name__": "tutorial"}
    for k, (body, expected) in enumerate(tutorial_blocks(TUTORIAL.read_text()), start=1):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(body, f"docs/tutorial.md (python block {k})", "exec"), namespace)
        if expected is not None:
            assert buffer.getvalue() == expected, f"python block {k} of docs/tutorial.md printed something else"


def test_the_docs_build_strict_without_warnings(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr, proc.stderr[-3000:]
    protocols_page = (site / "api" / "protocols" / "index.html").read_text()
    for anchor in ("protocols.table.CorrelationTable", "protocols.postprocessing.pipeline.run_pipeline",
                   "protocols.chsh.chsh_score", "protocols.bff.bff_entropy_chsh",
                   "protocols.finite_key.finite_key_length"):
        assert f'id="{anchor}"' in protocols_page, anchor
    qmodels_page = (site / "api" / "qmodels" / "index.html").read_text()
    for name in ("ion_table", "cat_table", "photonic_table", "PhotonicSetup"):
        assert name in qmodels_page, name
    assert "build_parser" in (site / "api" / "diqkd" / "index.html").read_text()
    tutorial = (site / "tutorial" / "index.html").read_text()
    assert 'href="../api/protocols/#protocols.table.CorrelationTable"' in tutorial
