"""detach_() of a tensor a node saved, against PyTorch (fuzz finding F15): a node that saved the tensor
while it had a history refuses to use it in backward ("Trying to use a saved tensor that has been
detached in-place"), also when called by hand, under create_graph, after requires_grad_() or an in-place
change; reading the saved tensor from outside still gives it, and _version does not change. Nodes that
saved it as their output, saved a view of it, or saved it after detach_(), and your own Functions, go on."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


def _outcome(T, f):
    try:
        result = f()
    except RuntimeError as exc:
        return ("error", str(exc))
    return ("ok", None if result is None else np.asarray(result))


def _mul_saving_y(T, after=None):
    """x -> y = x * 2 -> z = y * y (saves y); y.detach_(); then `after(y)`; z's backward."""
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * y
    version = y._version
    y.detach_()
    if after is not None:
        after(T, y)
    return x, y, z, version


def _backward(T, z, x):
    z.sum().backward()
    return x.grad.tolist()


def _square(T):
    """A Function of your own saving its input: PyTorch does not check detach_() for it."""
    class Square(T.autograd.Function):
        @staticmethod
        def forward(ctx, y):
            ctx.save_for_backward(y)
            return y * y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return 2 * y * g
    return Square


CASES = {
    "backward": lambda T: (lambda x, y, z, v: _outcome(T, lambda: _backward(T, z, x)))(*_mul_saving_y(T)),
    "the version does not change": lambda T: (lambda x, y, z, v: (v, y._version, y.requires_grad, y.is_leaf))(
        *_mul_saving_y(T)),
    "reading the saved tensor": lambda T: (lambda x, y, z, v: _outcome(
        T, lambda: (z.grad_fn._saved_self if T is torch else z.grad_fn.saved_tensors[0]).tolist()))(*_mul_saving_y(T)),
    "calling the node": lambda T: (lambda x, y, z, v: _outcome(T, lambda: z.grad_fn(T.ones(2)) and None))(
        *_mul_saving_y(T)),
    "after requires_grad_()": lambda T: (lambda x, y, z, v: _outcome(T, lambda: _backward(T, z, x)))(
        *_mul_saving_y(T, lambda T, y: y.requires_grad_())),
    "after an in-place change": lambda T: (lambda x, y, z, v: (_outcome(T, lambda: _backward(T, z, x)), y._version))(
        *_mul_saving_y(T, lambda T, y: y.add_(1))),
    "a detached copy shares the version": lambda T: (lambda x, y, z, v: (y._version, y.detach().add_(1)._version,
                                                                         y._version))(*_mul_saving_y(T)),
}


def _more(T) -> dict:
    out = {}
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.sin()
    y.detach_()
    out["create_graph"] = _outcome(T, lambda: T.autograd.grad(z.sum(), x, create_graph=True) and None)
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.detach_()
    w = T.tensor([3.0, 4.0], requires_grad=True)
    z = y * w  # saved after detach_(): y is a leaf then
    out["saved after detach_()"] = _outcome(T, lambda: _backward(T, z, w))
    x = T.tensor([1.0, 2.0], requires_grad=True)
    e = (x * 1).exp()
    f = e * 3  # (saves only the number's side)
    e.detach_()  # ExpBackward0 saved e as its own output: PyTorch goes on
    out["an output"] = _outcome(T, lambda: _backward(T, f, x))
    x = T.tensor([[1.0, 2.0]], requires_grad=True)
    y = x * 2
    v = y[0]
    z = v * v  # saves the view, which keeps its history
    y.detach_()
    out["a view saved"] = _outcome(T, lambda: _backward(T, z, x))
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = _square(T).apply(y)
    y.detach_()
    out["a Function of yours"] = _outcome(T, lambda: _backward(T, z, x))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_detach_inplace_of_a_saved_tensor_as_in_pytorch(case):
    ours, theirs = CASES[case](minigrad), CASES[case](torch)
    assert repr(ours) == repr(theirs)


def test_nodes_that_do_not_need_the_history_go_on_as_in_pytorch():
    ours, theirs = _more(minigrad), _more(torch)
    assert ours.keys() == theirs.keys()
    for key in ours:
        assert ours[key][0] == theirs[key][0], key
        if ours[key][0] == "error":
            assert ours[key][1] == theirs[key][1], key
        elif ours[key][1] is not None:
            np.testing.assert_allclose(ours[key][1], theirs[key][1], rtol=1e-6, err_msg=key)
