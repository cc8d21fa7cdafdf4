"""How the package's modules may import each other.

- Imports run one way, from the bottom up (DESIGN, section 2): ``shapes.py`` and
  ``gradcheck.py``; then ``data/``, ``numpy/`` and ``torch/``, independent of each other; then
  ``models/``; then ``viz/`` and ``checks/``. Read from every module's source with ``ast``, so a
  lazy import inside a function counts too.
- The NumPy backend is usable on a machine without torch.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "course_rnn"

LEVELS = {
    # the foundations; describe.py (how layers print) and source.py (show a function's source in
    # a notebook) are helpers that import nothing from the package either, nor does full_runs.py
    # (the opt-in flag for the chapters' longer experiments)
    "shapes": 0, "gradcheck": 0, "describe": 0, "source": 0, "full_runs": 0,
    "data": 1, "numpy": 1, "torch": 1,
    "models": 2,
    "viz": 3, "checks": 3,
}
"""The level of every top-level module or subpackage: a unit imports only from lower levels."""

BLOCK_TORCH_AND_USE_NUMPY_BACKEND = """
import sys
sys.modules["torch"] = None  # any `import torch` now raises ImportError
import numpy as np
import course_rnn.gradcheck
import course_rnn.numpy as cnp
layer = cnp.LSTM(3, 4, num_layers=2, bidirectional=True)
output, _ = layer(np.zeros((5, 2, 3)))
layer.backward(np.ones_like(output))
print("ok", sorted(name for name in sys.modules if name.startswith("torch")))
"""


def test_numpy_backend_imports_and_runs_without_torch():
    result = subprocess.run([sys.executable, "-c", BLOCK_TORCH_AND_USE_NUMPY_BACKEND],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok ['torch']"  # only the blocking entry itself


def unit_of(module: str) -> str | None:
    """'course_rnn.numpy.rnn' -> 'numpy'; the bare package 'course_rnn' -> None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def package_imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import of course_rnn in the file at ``path``."""
    package = ".".join(path.relative_to(PACKAGE.parent).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import: resolve it against the file's package
                base = package.rsplit(".", node.level - 1)[0]
                names = [f"{base}.{node.module}" if node.module else base]
            else:
                names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names
                  if name == "course_rnn" or name.startswith("course_rnn.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_run_from_the_bottom_up(path):
    relative = path.relative_to(PACKAGE)
    own = relative.parts[0].removesuffix(".py")
    if own == "__init__":  # course_rnn/__init__.py: importing the package must stay free
        assert package_imports(path) == []
        return
    assert own in LEVELS, f"{own}: a new top-level unit; give it a level in LEVELS"
    wrong = []
    for line, name in package_imports(path):
        target = unit_of(name)
        if target is None or target == own:  # the bare package, or a sibling in the same unit
            continue
        assert target in LEVELS, f"{relative}:{line} imports {name}, which has no level"
        if LEVELS[target] >= LEVELS[own]:
            wrong.append(f"{relative}:{line} imports {name} "
                         f"({own} is at level {LEVELS[own]}, {target} at {LEVELS[target]})")
    assert not wrong, "imports must point to a lower level:\n" + "\n".join(wrong)


def test_every_unit_of_the_package_has_a_level():
    units = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in MODULES}
    assert units - {"__init__"} == set(LEVELS)
