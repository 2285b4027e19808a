"""In-place operations: PyTorch's rules for leaves, version counters, and setitem on non-leaves."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from helpers import try_torch


def test_inplace_on_leaf_requiring_grad_is_refused():
    x = minigrad.ones(3, requires_grad=True)
    for op in (lambda: x.add_(1), lambda: x.mul_(2), lambda: x.zero_(), lambda: x.__setitem__(0, 5.0)):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            op()
    assert x.tolist() == [1.0, 1.0, 1.0] and x._version == 0  # nothing changed


def test_inplace_on_leaf_allowed_under_no_grad():
    """How optimizers update parameters: the leaf stays a leaf that requires grad."""
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with minigrad.no_grad():
        w -= 0.1 * w.grad          # w - 0.1 * 2w
        w[0] = 7.0
    assert w.tolist() == pytest.approx([7.0, 1.6])
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version == 2
    w.grad = None
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_version_counter_counts_inplace_changes_and_is_shared_with_views():
    x = minigrad.zeros(2, 3)
    v = x[0]
    t = x.T
    assert x._version == v._version == t._version == 0
    x.add_(1)
    assert x._version == v._version == t._version == 1
    v.mul_(5)                   # writes through to x
    assert x.tolist() == [[5.0, 5.0, 5.0], [1.0, 1.0, 1.0]]
    assert x._version == t._version == 2
    c = x.clone()
    c.add_(1)
    assert c._version == 1 and x._version == 2   # a copy has its own counter
    d = x.detach()
    d.add_(1)
    assert x._version == 3                        # detach shares memory, so it shares the counter


def test_version_counter_matches_torch():
    torch = pytest.importorskip("torch")
    got = []
    for T in (torch, minigrad):
        x = T.zeros(2, 3)
        v = x[0]
        x.add_(1)
        v.mul_(2)
        x[1] = 3.0
        got.append((x._version, v._version, x.tolist()))
    assert got[0] == got[1]


def test_backward_after_saved_tensor_changed_raises():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x.sin()
    z = y * y                     # Mul saves y (version 0)
    y.mul_(2)                     # version 1
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    message = str(info.value)
    assert "modified by an inplace operation" in message
    assert "is at version 1; expected version 0 instead" in message
    assert "MulBackward0" in message


def test_saved_leaf_changed_under_no_grad_raises():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()             # Mul saved the leaf x
    with minigrad.no_grad():
        x.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        y.backward()


def test_saved_tensor_changed_through_a_view_raises():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y * y
    with minigrad.no_grad():
        y[0] = 10.0              # a change of y (under no_grad) is still a change
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_inplace_on_unsaved_non_leaf_gives_right_gradient():
    """y = 2x; y += x^2 (in place); loss = sum(3y): dloss/dx = 3 (2 + 2x)."""
    x = minigrad.tensor([1.0, -1.0, 2.0], requires_grad=True)
    y = x * 2
    y += x ** 2
    assert y.grad_fn.name() == "AddBackward0" and y.grad_fn.output is y
    (y * 3).sum().backward()
    assert x.grad.tolist() == [12.0, 0.0, 18.0]


SETITEM_PROGRAMS = {
    "row_from_tensor": "y = x * 2\ny[0] = w[0] * 3\nout = (y * y).sum()",
    "scalar": "y = x * 3 - 1\ny[1, 2] = 0.5\nout = (y * x).sum()",
    "slice_broadcast": "y = x + 0\ny[:, 1:] = w[0, 1:]\nout = (y ** 2).sum()",
    "mask": "y = x * w\ny[x > 0] = 0.0\nout = y.sum()",
    "mask_with_tensor": "y = x * 1\ny[w > 0] = x[w > 0] * 5\nout = (y * w).sum()",
    "index_array": "y = x / 2\ny[[0, 1]] = w[[1, 0]]\nout = (y * y * x).sum()",
    "index_array_repeated": "y = x / 2\ny[[0, 0]] = w[1]\nout = (y * y * x).sum()",
    "twice": "y = x * 1\ny[0] = w[1]\ny[0, 0] = w[0, 0] * w[0, 0]\nout = (y * x).sum()",
    "inplace_ops": "y = x * 1\ny.mul_(w)\ny.add_(x, alpha=2)\ny.sub_(1)\ny.div_(2)\nout = (y * y).sum()",
    "copy_": "y = x * 1\ny.copy_(w * 2)\nout = (y * x).sum()",
    "clamp_": "y = x * 3\ny.clamp_(-1, 1)\nout = (y * w).sum()",
    "setitem_then_view_read": "y = x * 1\ny[1] = w[0]\nz = y[1] * y[0]\nout = z.sum()",
}


@pytest.mark.parametrize("name", list(SETITEM_PROGRAMS))
def test_setitem_and_inplace_on_non_leaves_match_torch(name):
    torch = pytest.importorskip("torch")
    code = SETITEM_PROGRAMS[name]
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    results = []
    for T in (torch, minigrad):
        x = T.tensor(a, requires_grad=True)
        w = T.tensor(b, requires_grad=True)
        scope = {"T": T, "x": x, "w": w}
        exec(code, scope)
        y, out = scope["y"], scope["out"]
        names = (y.grad_fn.name().replace("torch::autograd::", ""),
                 [None if n is None else n.name().replace("torch::autograd::", "")
                                    for n, _ in y.grad_fn.next_functions])
        out.backward()
        grads = [None if t.grad is None else t.grad.tolist() for t in (x, w)]
        results.append((out.item(), *grads, y.tolist(), y._version, names))
    (t_out, t_gx, t_gw, t_y, t_v, t_names), (m_out, m_gx, m_gw, m_y, m_v, m_names) = results
    assert m_out == pytest.approx(t_out, rel=1e-12)
    for m_g, t_g in ((m_gx, t_gx), (m_gw, t_gw)):
        assert (m_g is None) == (t_g is None)
        if t_g is not None:
            np.testing.assert_allclose(m_g, t_g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(m_y, t_y, rtol=1e-12)
    assert m_v == t_v
    if name == "slice_broadcast":  # PyTorch adds an ExpandBackward0 for the broadcast value; minigrad does not
        t_names = (t_names[0], [n.replace("ExpandBackward0", "SliceBackward0") for n in t_names[1]])
    assert m_names == t_names


def test_setitem_gradient_by_hand():
    """y = 2x; y[1] = w^2 (w a 0-d tensor); loss = sum(y): dx = [2, 0, 2], dw = 2w."""
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = minigrad.tensor(4.0, requires_grad=True)
    y = x * 2
    y[1] = w * w
    assert y.grad_fn.name() == "CopySlices"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0]
    assert w.grad.item() == 8.0


def test_setitem_makes_a_plain_tensor_require_grad():
    """Writing a tensor that requires grad into one that does not makes the result tracked (as PyTorch)."""
    w = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.zeros(3)
    y[0] = w * 3
    assert y.requires_grad and not y.is_leaf and y.grad_fn.name() == "CopySlices"
    y.sum().backward()
    assert w.grad.item() == 3.0


def test_inplace_on_a_view_while_tracking_is_refused_with_an_explanation():
    """A deliberate difference: PyTorch rewrites the base's history; minigrad refuses and says why."""
    x = minigrad.ones(2, 3, requires_grad=True)
    y = x * 1
    row = y[0]
    with pytest.raises(RuntimeError, match=r"\.clone\(\)"):
        row.mul_(2)
    torch = try_torch()
    if torch is not None:  # PyTorch accepts it: this is the documented difference, not an accident
        ty = torch.ones(2, 3, requires_grad=True) * 1
        ty[0].mul_(2)
        assert ty.grad_fn.name().endswith("CopySlices")


def test_inplace_dtype_rules():
    x = minigrad.tensor([1.0, 2.0])
    x += 1                         # int into float: fine
    assert x.dtype is minigrad.float32 and x.tolist() == [2.0, 3.0]
    i = minigrad.tensor([1, 2])
    i *= 2
    assert i.dtype is minigrad.int64 and i.tolist() == [2, 4]
    with pytest.raises(RuntimeError, match="can't be cast"):
        i /= 2
