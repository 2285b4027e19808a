"""Random numbers that match PyTorch's CPU generator, so a seeded lesson prints PyTorch's numbers.

PyTorch's CPU generator is a Mersenne Twister (mt19937) seeded the classic way. NumPy ships the same
twister, so `torch.manual_seed(0); torch.rand(3)` and `minigrad.manual_seed(0); minigrad.rand(3)` give
the same tensor, as long as minigrad turns the twister's 32-bit words into numbers the way PyTorch does:

- uniform float32: the low 24 bits of one word, times 2**-24 (then `* (high - low) + low`, in float32);
- uniform float64: the low 53 bits of two words joined high-then-low, times 2**-53;
- normal, fewer than 16 numbers: Box-Muller on pairs of float64 uniforms, and the second number of a
  pair is kept for the next draw (as PyTorch keeps it, until the next `manual_seed`);
- normal, 16 numbers or more: all uniforms first, then Box-Muller over blocks of 16 (the first 8 with
  the last 8); when the count is not a multiple of 16, the last 16 are drawn again;
- randint: one word (two for ranges of 2**32 or more) modulo the range; randperm: a Fisher-Yates shuffle.

>>> g = Generator(0)
>>> [round(float(v), 4) for v in g.uniform((3,), 0.0, 1.0, "float32")]
[0.4963, 0.7682, 0.0885]
"""
from __future__ import annotations

import numpy as np

_24_BITS = (1 << 24) - 1
_53_BITS = (1 << 53) - 1


class Generator:
    """The source of minigrad's random numbers: PyTorch's mt19937 recipe, driven by NumPy's twister.

    >>> Generator(0)
    <minigrad.Generator seed=0>
    """

    def __init__(self, seed: int = 0) -> None:
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> "Generator":
        self._seed = int(seed)
        # NumPy's legacy seeding of MT19937 is the classic init_genrand, the seeding PyTorch uses;
        # PyTorch keeps the low 32 bits of the seed (negative seeds wrap around as unsigned).
        state = np.random.RandomState(self._seed & 0xFFFFFFFF).get_state()
        self._twister = np.random.MT19937()
        self._twister.state = {"bit_generator": "MT19937", "state": {"key": state[1], "pos": state[2]}}
        self._cached_normal: float | None = None  # the unused second half of a Box-Muller pair
        return self

    def initial_seed(self) -> int:
        return self._seed

    def __repr__(self) -> str:
        # A fixed text: a notebook cell ending in manual_seed(0) prints the same thing every run.
        return f"<minigrad.Generator seed={self._seed}>"

    # -- raw words ----------------------------------------------------------------------------
    def _words(self, n: int) -> np.ndarray:
        """The next n 32-bit words of the twister, as uint64."""
        return self._twister.random_raw(n).astype(np.uint64) if n else np.zeros(0, np.uint64)

    def _uniform01(self, n: int, dtype: str) -> np.ndarray:
        if dtype == "float64":
            pairs = self._words(2 * n).reshape(n, 2)
            bits = ((pairs[:, 0] << np.uint64(32)) | pairs[:, 1]) & np.uint64(_53_BITS)
            return bits.astype(np.float64) * 2.0 ** -53
        return ((self._words(n) & np.uint64(_24_BITS)).astype(np.float32) * np.float32(2.0 ** -24))

    # -- distributions -------------------------------------------------------------------------
    def uniform(self, shape: tuple, low: float, high: float, dtype: str) -> np.ndarray:
        """Numbers uniform in [low, high): `torch.rand`, `Tensor.uniform_`, `nn.init.uniform_`."""
        n = int(np.prod(shape, dtype=np.int64))
        x = self._uniform01(n, dtype)
        ftype = np.dtype(dtype).type
        lo, hi = ftype(low), ftype(high)
        if dtype == "float32":
            # PyTorch's build fuses x * (hi - lo) + lo into one multiply-add, rounded once: in float64
            # the float32 product is exact, so one rounding at the end gives the same bits.
            return (x.astype(np.float64) * np.float64(hi - lo) + np.float64(lo)).astype(dtype).reshape(shape)
        return (x * (hi - lo) + lo).reshape(shape)

    def normal(self, shape: tuple, mean: float, std: float, dtype: str, serial: bool = False) -> np.ndarray:
        """Normal numbers N(mean, std**2): `torch.randn`, `Tensor.normal_`, `nn.init.normal_`. PyTorch fills
        16 or more contiguous numbers in blocks of 16, anything else (also a non-contiguous result: `serial`)
        one Box-Muller pair at a time."""
        n = int(np.prod(shape, dtype=np.int64))
        if n >= 16 and not serial:  # the blocks are scaled at the tensor's precision
            ftype = np.dtype(dtype).type
            return (self._normal_blocks(n, dtype) * ftype(std) + ftype(mean)).astype(dtype).reshape(shape)
        # one pair at a time, PyTorch scales in float64 (std = 0.01 is not a float32 number), then rounds once
        return (self._normal_pairs(n) * float(std) + float(mean)).astype(dtype).reshape(shape)

    def _normal_pairs(self, n: int) -> np.ndarray:
        """Box-Muller one pair at a time, in float64, keeping the spare value for the next call."""
        out = np.empty(n, np.float64)
        i = 0
        if n and self._cached_normal is not None:
            out[0], self._cached_normal, i = self._cached_normal, None, 1
        pairs = (n - i + 1) // 2
        u = self._uniform01(2 * pairs, "float64").reshape(pairs, 2)
        radius = np.sqrt(-2.0 * np.log1p(-u[:, 1]))
        theta = 2.0 * np.pi * u[:, 0]
        both = np.stack([radius * np.cos(theta), radius * np.sin(theta)], axis=1).ravel()
        out[i:] = both[: n - i]
        if (n - i) % 2:
            self._cached_normal = float(both[-1])
        return out

    def _normal_blocks(self, n: int, dtype: str) -> np.ndarray:
        """Box-Muller over blocks of 16 uniforms: element j pairs with element j + 8."""
        data = self._uniform01(n, dtype)
        whole = n - n % 16
        data[:whole] = self._box_muller_16(data[:whole].reshape(-1, 16), dtype).ravel()
        if n % 16:  # the tail: 16 fresh uniforms for the last 16 places
            data[n - 16:] = self._box_muller_16(self._uniform01(16, dtype).reshape(1, 16), dtype).ravel()
        return data

    @staticmethod
    def _box_muller_16(block: np.ndarray, dtype: str) -> np.ndarray:
        ftype = np.dtype(dtype).type
        u1, u2 = ftype(1) - block[:, :8], block[:, 8:]
        radius = np.sqrt(ftype(-2) * np.log(u1))
        theta = ftype(2.0 * np.pi) * u2
        return np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)

    def randint(self, low: int, high: int, shape: tuple) -> np.ndarray:
        """Integers in [low, high): one word per number (two when the range needs 64 bits)."""
        span = high - low
        n = int(np.prod(shape, dtype=np.int64))
        if span >= 1 << 32:
            pairs = self._words(2 * n).reshape(n, 2)
            words = (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]
        else:
            words = self._words(n)
        return ((words % np.uint64(span)).astype(np.int64) + low).reshape(shape)

    def randperm(self, n: int) -> np.ndarray:
        """0..n-1 shuffled: swap place i with place i + (word % (n - i)), for i = 0 .. n-2."""
        order = np.arange(n, dtype=np.int64)
        offsets = (self._words(max(n - 1, 0)) % (n - np.arange(max(n - 1, 0), dtype=np.uint64))).astype(np.int64)
        for i, z in enumerate(offsets.tolist()):  # each swap depends on the last: no vectorising
            order[i], order[i + z] = order[i + z], order[i]
        return order
