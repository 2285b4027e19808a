"""minigrad.data: toy data sets (shapes, dtypes, determinism, the geometry they promise), the
mini-batch iterator, and the lesson-sized check that an MLP learns the two moons."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from minigrad import nn, optim
from minigrad.data import batches, make_line, make_moons, make_spirals


def test_make_moons_shapes_dtypes_and_balance():
    X, y = make_moons(n_samples=201, noise=0.1, seed=0)
    assert X.shape == (201, 2) and X.dtype == minigrad.float32
    assert y.shape == (201,) and y.dtype == minigrad.int64
    assert sorted(set(y.tolist())) == [0, 1] and int(y.sum()) == 101  # 100 upper, 101 lower


def test_make_moons_geometry_without_noise():
    X, y = make_moons(n_samples=100, noise=0.0, seed=0)
    X, y = X.numpy().astype(np.float64), y.numpy()
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6)  # unit half circle around (0, 0)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)  # around (1, 0.5)
    assert (upper[:, 1] >= -1e-6).all() and (lower[:, 1] <= 0.5 + 1e-6).all()


def test_same_seed_same_data_other_seed_other_data():
    for make in (make_moons, make_line, make_spirals):
        a, b, c = make(seed=0), make(seed=0), make(seed=1)
        assert np.array_equal(a[0].numpy(), b[0].numpy()) and np.array_equal(a[1].numpy(), b[1].numpy())
        assert not np.array_equal(a[0].numpy(), c[0].numpy())


def test_make_line_lies_on_the_line():
    X, y = make_line(n=50, slope=3.0, intercept=0.5, noise=0.0, seed=0)
    assert X.shape == (50, 1) and y.shape == (50, 1) and y.dtype == minigrad.float32
    assert np.allclose(y.numpy(), 3.0 * X.numpy() + 0.5, atol=1e-6)
    assert X.numpy().min() >= -1 and X.numpy().max() <= 1
    noisy = make_line(n=2000, noise=0.1, seed=0)
    residual = noisy[1].numpy() - (2.0 * noisy[0].numpy() - 1.0)
    assert abs(residual.std() - 0.1) < 0.01


def test_make_spirals():
    X, y = make_spirals(n_per_class=50, n_classes=4, noise=0.0, seed=0)
    assert X.shape == (200, 2) and X.dtype == minigrad.float32 and y.dtype == minigrad.int64
    assert np.bincount(y.numpy()).tolist() == [50, 50, 50, 50]
    radius = np.hypot(X.numpy()[:, 0], X.numpy()[:, 1])
    assert np.allclose(radius[:50], np.linspace(0, 1, 50), atol=1e-6)  # each arm winds out from 0 to 1


def test_bad_sizes_are_reported():
    with pytest.raises(ValueError, match="n_samples must be a positive integer, got 0"):
        make_moons(n_samples=0)
    with pytest.raises(ValueError, match="n_classes must be a positive integer, got 2.5"):
        make_spirals(n_classes=2.5)


def test_batches_cover_every_row_once():
    X = minigrad.arange(10).view(10, 1).float()
    y = minigrad.arange(10)
    got = list(batches(X, y, batch_size=4, seed=3))
    assert [len(yb) for _, yb in got] == [4, 4, 2]
    rows = np.concatenate([yb.numpy() for _, yb in got])
    assert sorted(rows.tolist()) == list(range(10)) and rows.tolist() != list(range(10))
    for xb, yb in got:  # each X row stays with its own label
        assert xb.numpy()[:, 0].tolist() == yb.numpy().astype(np.float32).tolist()
    again = np.concatenate([yb.numpy() for _, yb in batches(X, y, batch_size=4, seed=3)])
    other = np.concatenate([yb.numpy() for _, yb in batches(X, y, batch_size=4, seed=4)])
    assert np.array_equal(rows, again) and not np.array_equal(rows, other)
    in_order = [yb.tolist() for _, yb in batches(X, y, batch_size=5, shuffle=False)]
    assert in_order == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_batches_errors():
    with pytest.raises(ValueError, match=r"same number of rows.*X of shape \(10, 2\) and y of shape \(9,\)"):
        next(batches(minigrad.zeros(10, 2), minigrad.zeros(9), batch_size=2))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        next(batches(minigrad.zeros(10, 2), minigrad.zeros(10), batch_size=0))
    with pytest.raises(TypeError, match=r"expects tensors X and y of one library .*, got ndarray and Tensor"):
        next(batches(np.zeros((10, 2)), minigrad.zeros(10), batch_size=2))
    with pytest.raises(TypeError, match="got list and Tensor"):
        batches([[1.0]], minigrad.zeros(1), batch_size=1)
    with pytest.raises(TypeError, match="lib must be the minigrad, torch or numpy module"):
        make_moons(10, lib="torch")


LIBRARIES = ["minigrad", "torch", "numpy"]


def _lib(name):
    return {"minigrad": minigrad, "numpy": np}.get(name) or pytest.importorskip("torch")


@pytest.mark.parametrize("name", LIBRARIES)
@pytest.mark.parametrize("make", ["make_moons", "make_line", "make_spirals"])
def test_each_library_gets_the_same_numbers_in_its_own_type(name, make):
    import minigrad.data as data

    lib = _lib(name)
    X, y = getattr(data, make)(seed=3, lib=lib)
    X0, y0 = getattr(data, make)(seed=3)
    kind = np.ndarray if lib is np else lib.Tensor
    assert isinstance(X, kind) and isinstance(y, kind)
    as_array = (lambda a: a) if lib is np else (lambda a: a.numpy())
    np.testing.assert_array_equal(as_array(X), X0.numpy())
    np.testing.assert_array_equal(as_array(y), y0.numpy())
    assert str(X.dtype).endswith("float32") and str(y.dtype).endswith(str(y0.dtype).split(".")[-1])
    pieces = list(batches(X, y, batch_size=64, seed=1))
    assert all(isinstance(xb, kind) and isinstance(yb, kind) for xb, yb in pieces)
    rows = np.concatenate([as_array(xb) for xb, _ in pieces])
    expected = np.concatenate([xb.numpy() for xb, _ in batches(X0, y0, batch_size=64, seed=1)])
    np.testing.assert_array_equal(rows, expected)  # the same order of rows on every library


@pytest.mark.parametrize("name", ["minigrad", "torch"])
def test_lesson_06_trains_on_either_library(name):
    """What lesson 06 does with `import ... as torch`: data of that library into its own nn.Linear."""
    torch = _lib(name)
    torch.manual_seed(0)
    X, y = make_moons(n_samples=64, noise=0.1, seed=0, lib=torch)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for epoch in range(5):
        for xb, yb in batches(X, y, batch_size=16, seed=epoch):
            loss = torch.nn.CrossEntropyLoss()(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_mlp_learns_two_moons():
    """The lesson's check: a small MLP trained with minigrad separates the moons (> 95 % accuracy).

    About 0.2 s on the development machine (see benchmarks/README.md); no timing is asserted.
    """
    minigrad.manual_seed(0)
    X, y = make_moons(n_samples=200, noise=0.1, seed=0)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    with minigrad.no_grad():
        before = (model(X).argmax(1) == y).float().mean().item()
    for epoch in range(30):
        for xb, yb in batches(X, y, batch_size=32, seed=epoch):
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    with minigrad.no_grad():
        accuracy = (model(X).argmax(1) == y).float().mean().item()
        final_loss = loss_fn(model(X), y).item()
    assert before < 0.9  # it had something to learn
    assert accuracy > 0.95, f"accuracy {accuracy:.3f} after 30 epochs"
    assert final_loss < 0.1
