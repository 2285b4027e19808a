"""relu's forward multiplies a float's bits by 0 or 1 (ops/elementwise.py Relu.numpy), quicker than
NumPy's maximum. It must give np.maximum(0, x) bit for bit: nan with its payload, -0.0, infinities,
subnormals, every dtype, 0-dim, 0-size and transposed inputs. (Against PyTorch: tests/test_relu_special_values.py.)"""
from __future__ import annotations

import numpy as np

import minigrad

SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 1e-45, -1e-45, 3e38, -3e38, 5e-324, -5e-324]


def test_relu_forward_is_numpys_maximum_bit_for_bit():
    rng = np.random.default_rng(0)
    checked = differ = 0
    with np.errstate(all="ignore"):
        payloads = np.array([0x7FC00001, 0xFFC00002, 0x7F800001], np.uint32).view(np.float32)
        for trial in range(2000):
            dtype = [np.float32, np.float64][trial % 2]
            shape = [(), (0,), (7,), (3, 4), (2, 3, 5)][trial % 5]
            x = (rng.normal(size=shape) * 10).astype(dtype)
            if x.size:
                for _ in range(int(rng.integers(0, 5))):
                    x.flat[rng.integers(x.size)] = SPECIALS[rng.integers(len(SPECIALS))]
                if dtype is np.float32 and trial % 7 == 1:  # nans with other payloads
                    x.flat[0] = payloads[trial % 3]
            if x.ndim == 2 and trial % 3 == 0:
                x = x.T
            t = minigrad.tensor(x)
            got = t.relu().numpy()
            want = np.maximum(0, t.numpy())
            checked += 1
            differ += got.dtype != want.dtype or got.shape != want.shape or \
                np.ascontiguousarray(got).tobytes() != np.ascontiguousarray(want).tobytes()
    assert checked == 2000 and differ == 0, f"{differ} of {checked} differ"
    assert minigrad.tensor([-2, 0, 3]).relu().tolist() == [0, 0, 3]  # integers: NumPy's maximum, as before
