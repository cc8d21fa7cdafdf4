"""The NumPy backend is usable on a machine without torch (DESIGN: imports without torch)."""

from __future__ import annotations

import subprocess
import sys

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
