"""log_softmax of rows of a few scores (a batch of logits) takes each row's maximum over a transposed
copy, where NumPy is quicker (nn_ops._log_softmax). The maximum is the same whatever order it is taken in,
so the result must be the same bit for bit as the plain formula's: checked on generated inputs with the
values where order could show (ties of 0.0 and -0.0, nan, infinities, the largest floats), both dtypes,
both memory layouts. (Against PyTorch: tests/parity, which covers log_softmax and cross_entropy.)"""
from __future__ import annotations

import numpy as np

import minigrad
import minigrad.nn.functional as F

SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e30, 88.0, -104.0, 3e38, -3e38]


def _plain(x: np.ndarray) -> np.ndarray:
    """The formula with NumPy's own reductions along the rows."""
    shifted = x - np.maximum.reduce(x, axis=1, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=1, keepdims=True))


def test_log_softmax_of_logit_rows_is_the_plain_formula_bit_for_bit():
    rng = np.random.default_rng(0)
    checked = differ = 0
    with np.errstate(all="ignore"):
        for trial in range(3000):
            rows, cols = int(rng.integers(2, 60)), int(rng.integers(1, 16))
            rows = max(rows, cols + 1)  # (the rows-of-logits shape that takes the transposed path)
            x = (rng.normal(size=(rows, cols)) * [1, 10, 100][trial % 3]).astype([np.float32, np.float64][trial % 2])
            for _ in range(int(rng.integers(0, 6))):
                x[rng.integers(rows), rng.integers(cols)] = SPECIALS[rng.integers(len(SPECIALS))]
            if trial % 4 == 0:  # ties of 0.0 and -0.0 at the top of every row
                x[:, :2] = 0.0
                x[::2, 0] = -0.0
            if trial % 7 == 0:
                x = np.asfortranarray(x)
            t = minigrad.tensor(x)
            got = F.log_softmax(t, 1).numpy()
            want = _plain(t.numpy())  # (on the array the tensor holds: its layout decides NumPy's order of summing)
            checked += 1
            differ += got.tobytes() != np.ascontiguousarray(want).tobytes()
    assert checked == 3000 and differ == 0, f"{differ} of {checked} differ"
