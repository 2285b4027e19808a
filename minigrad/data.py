"""Small toy data sets made with NumPy from a seed (nothing is downloaded), and a mini-batch iterator.

Every function returns tensors of the library you ask for with `lib=` (minigrad by default; `lib=torch`
gives PyTorch tensors, `lib=numpy` plain arrays), with the same numbers whichever you choose: inputs X
as float32 of shape (n, features), and targets y as int64 class indices (classification) or float32 of
shape (n, 1) (regression). A lesson that writes `make_moons(..., lib=torch)` runs unchanged whether
`torch` is minigrad or PyTorch. `batches` yields pieces of the type it is given.

>>> from minigrad.data import make_moons, batches
>>> X, y = make_moons(n_samples=100, noise=0.1, seed=0)
>>> X.shape, X.dtype, y.shape, y.dtype
(minigrad.Size([100, 2]), minigrad.float32, minigrad.Size([100]), minigrad.int64)
>>> [tuple(xb.shape) for xb, yb in batches(X, y, batch_size=40)]
[(40, 2), (40, 2), (20, 2)]
"""
from __future__ import annotations

import sys
from typing import Iterator

import numpy as np

from .tensor import Tensor

__all__ = ["make_moons", "make_line", "make_spirals", "batches"]


def _convert(lib, *arrays: np.ndarray) -> tuple:
    """The arrays as tensors of `lib` (minigrad when None), or as arrays for lib=numpy."""
    name = getattr(lib, "__name__", None) if lib is not None else "minigrad"
    if name == "minigrad":
        return tuple(Tensor(a) for a in arrays)
    if name == "torch":
        return tuple(lib.from_numpy(np.ascontiguousarray(a)) for a in arrays)
    if name == "numpy":
        return arrays
    raise TypeError(f"lib must be the minigrad, torch or numpy module (e.g. lib=torch), got {lib!r}")


def _tensors(X: np.ndarray, y: np.ndarray, lib=None) -> tuple:
    return _convert(lib, X.astype(np.float32), y)


def _check_count(name: str, n) -> None:
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")


def make_moons(n_samples: int = 200, noise: float = 0.1, seed: int = 0, lib=None) -> tuple:
    """Two interleaving half circles in 2-D: class 0 the upper arc, class 1 the lower one.

    Not separable by a straight line, so a model needs a hidden layer to reach high accuracy.
    Returns X (n_samples, 2) float32 and y (n_samples,) int64, in shuffled order, as tensors of `lib`.
    """
    _check_count("n_samples", n_samples)
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    a = np.linspace(0, np.pi, n_upper)
    b = np.linspace(0, np.pi, n_lower)
    upper = np.stack([np.cos(a), np.sin(a)], axis=1)                 # centred on (0, 0)
    lower = np.stack([1 - np.cos(b), 0.5 - np.sin(b)], axis=1)       # shifted right and down
    X = np.concatenate([upper, lower]) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, np.int64), np.ones(n_lower, np.int64)])
    order = rng.permutation(n_samples)
    return _tensors(X[order], y[order], lib)


def make_line(n: int = 100, slope: float = 2.0, intercept: float = -1.0, noise: float = 0.1,
              seed: int = 0, lib=None) -> tuple:
    """Points near the line y = slope * x + intercept, x uniform in [-1, 1] (a regression task).

    Returns X (n, 1) float32 and y (n, 1) float32, the shapes nn.Linear(1, 1) and MSELoss expect.

    >>> from minigrad.data import make_line
    >>> X, y = make_line(n=5, noise=0.0)
    >>> bool(((y - (2.0 * X - 1.0)).abs() < 1e-6).all())
    True
    """
    _check_count("n", n)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, 1))
    y = slope * x + intercept + rng.normal(0.0, noise, size=(n, 1))
    return _convert(lib, x.astype(np.float32), y.astype(np.float32))


def make_spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2,
                 seed: int = 0, lib=None) -> tuple:
    """`n_classes` spiral arms winding out from the origin, one class each (2-D).

    Point i of arm k sits at radius r = i / (n - 1) and angle 4 (k + r) radians (plus noise on the
    angle), so the arms turn about 4 radians each and never cross.
    Returns X (n_per_class * n_classes, 2) float32 and y int64 class indices, grouped by class.
    """
    _check_count("n_per_class", n_per_class)
    _check_count("n_classes", n_classes)
    rng = np.random.default_rng(seed)
    r = np.linspace(0.0, 1.0, n_per_class)
    X, y = [], []
    for k in range(n_classes):
        angle = 4.0 * (k + r) * (3.0 / n_classes) + rng.normal(0.0, noise, size=n_per_class)
        X.append(np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1))
        y.append(np.full(n_per_class, k, dtype=np.int64))
    return _tensors(np.concatenate(X), np.concatenate(y), lib)


def _kind(a) -> str | None:
    """"minigrad", "torch" or "numpy" for the data types batches() takes, else None."""
    if isinstance(a, Tensor):
        return "minigrad"
    if isinstance(a, np.ndarray):
        return "numpy"
    torch = sys.modules.get("torch")  # never imported here: a torch tensor means torch is loaded
    if torch is not None and isinstance(a, torch.Tensor):
        return "torch"
    return None


def batches(X, y, batch_size: int, shuffle: bool = True, seed: int = 0) -> Iterator[tuple]:
    """Yield (X_batch, y_batch) pairs covering the data once (one epoch); the last batch may be smaller.

    X and y are tensors of minigrad or of PyTorch (or NumPy arrays), both of one kind; the batches are
    of that kind too.

    With shuffle=True the rows are visited in a random order fixed by `seed`: pass a different seed
    each epoch (e.g. `seed=epoch`) for a new order every epoch, as a shuffling DataLoader gives.

    >>> import minigrad
    >>> from minigrad.data import batches
    >>> X, y = minigrad.arange(5).view(5, 1).float(), minigrad.arange(5)
    >>> [yb.tolist() for _, yb in batches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    kind = _kind(X)
    if kind is None or _kind(y) != kind:
        raise TypeError(f"batches() expects tensors X and y of one library (minigrad or torch, or NumPy arrays), "
                        f"got {type(X).__name__} and {type(y).__name__}")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of rows (first dimension): got X of shape "
                         f"{tuple(X.shape)} and y of shape {tuple(y.shape)}")
    _check_count("batch_size", batch_size)
    return _batches(X, y, kind, batch_size, shuffle, seed)  # (checked here, at the call, not at the first batch)


def _batches(X, y, kind: str, batch_size: int, shuffle: bool, seed: int) -> Iterator[tuple]:
    n = X.shape[0]
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        rows = order[start:start + batch_size]
        if kind == "minigrad":  # plain NumPy indexing: batches are data, not part of any graph
            yield Tensor(X._data[rows]), Tensor(y._data[rows])
        elif kind == "torch":
            index = sys.modules["torch"].from_numpy(rows)
            yield X.detach()[index], y.detach()[index]
        else:
            yield X[rows], y[rows]
