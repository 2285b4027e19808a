"""minigrad's generator draws PyTorch's numbers: a seeded lesson prints what PyTorch prints.

Oracles: the published mt19937 reference outputs, values PyTorch prints for `torch.manual_seed(0)`
(written out below), and PyTorch itself when it is importable.
"""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from minigrad import nn
from minigrad._random import Generator


def test_twister_words_are_the_reference_mt19937():
    # init_genrand(5489), the reference seeding: the 1st output is 3499211612 and the 10000th 4123659995.
    words = Generator(5489)._words(10000)
    assert int(words[0]) == 3499211612 and int(words[-1]) == 4123659995


def test_rand_after_seed_0_prints_pytorchs_numbers():
    _ = minigrad.manual_seed(0)
    assert repr(minigrad.rand(3)) == "tensor([0.4963, 0.7682, 0.0885])"  # what PyTorch 2.x prints
    _ = minigrad.manual_seed(0)
    assert repr(minigrad.randn(3)) == "tensor([ 1.5410, -0.2934, -2.1788])"


def test_same_seed_same_numbers_and_seed_resets_the_spare_normal():
    _ = minigrad.manual_seed(7)
    a = minigrad.randn(3)  # three normals: the spare of the second pair is kept ...
    _ = minigrad.manual_seed(7)
    b = minigrad.randn(3)  # ... and manual_seed forgets it, so the same three come again
    assert minigrad.equal(a, b)


def test_bad_randint_range_is_refused():
    with pytest.raises(RuntimeError, match="from=5 >= to=5"):
        minigrad.randint(5, 5, (2,))


torch = pytest.importorskip("torch")


def _program(lib, seed: int, n: int, dtype):
    """A mix of random calls: the state must carry from one to the next exactly as in PyTorch."""
    _ = lib.manual_seed(seed)
    return [lib.rand(n, dtype=dtype(lib)), lib.randn(n, dtype=dtype(lib)), lib.randn(3, dtype=dtype(lib)),
            lib.randint(-3, 10, (n,)), lib.randperm(n), lib.randint(0, 2 ** 33, (2,)),
            lib.rand(2, 3, dtype=dtype(lib))]


@pytest.mark.parametrize("seed", [0, 1, 1234])
@pytest.mark.parametrize("n", [1, 2, 7, 15, 16, 17, 40])
@pytest.mark.parametrize("dtype", [lambda lib: lib.float32, lambda lib: lib.float64], ids=["float32", "float64"])
def test_random_calls_match_pytorch(seed, n, dtype):
    ours, theirs = _program(minigrad, seed, n, dtype), _program(torch, seed, n, dtype)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        a, b = a.numpy(), b.numpy()
        assert a.dtype == b.dtype and a.shape == b.shape, i
        if i == 1 and a.size >= 16 and a.dtype == np.float32:
            # PyTorch's AVX2 kernel for >= 16 float32 normals uses its own log/sin/cos approximations:
            # the same numbers to within a few units in the last place.
            np.testing.assert_allclose(a, b, rtol=0, atol=2e-6)
        elif a.dtype == np.float64:
            np.testing.assert_allclose(a, b, rtol=1e-15, atol=1e-15)  # libm vs NumPy: at most an ulp
        else:
            np.testing.assert_array_equal(a, b, err_msg=f"call {i}")


def test_linear_layers_start_with_pytorchs_weights():
    _ = minigrad.manual_seed(0)
    ours = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy(), err_msg=name)
