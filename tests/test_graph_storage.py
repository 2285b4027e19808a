"""What a node keeps, as the graph is read: the compact storage of a node (inputs found through its
edges, a saved number kept as its array, .grad that takes over a gradient nobody else holds) must
look from outside exactly like the plain one. No timing here: speed is measured by benchmarks/."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigrad
from minigrad.autograd.function import FREED_MESSAGE


def test_grad_is_never_a_gradient_a_hook_kept():
    x = minigrad.ones(3, requires_grad=True)
    kept = []
    x.register_hook(lambda g: kept.append(g))
    (x * 2).sum().backward()
    assert x.grad is not kept[0] and not np.shares_memory(x.grad._data, kept[0]._data)
    x.grad.zero_()
    assert kept[0].tolist() == [2.0, 2.0, 2.0]


def test_grad_is_never_the_gradient_passed_to_backward():
    x = minigrad.ones(3, requires_grad=True)
    g = minigrad.tensor([1.0, 2.0, 3.0])
    (x + 1).backward(g)  # AddBackward0 passes g on as it is
    assert x.grad is not g and not np.shares_memory(x.grad._data, g._data)
    x.grad.zero_()
    assert g.tolist() == [1.0, 2.0, 3.0]


def test_two_leaves_given_one_gradient_get_their_own():
    a = minigrad.ones(3, requires_grad=True)
    b = minigrad.ones(3, requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad and not np.shares_memory(a.grad._data, b.grad._data)
    a.grad.add_(1)
    assert b.grad.tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("make", [lambda x: x.sum(), lambda x: x.expand(4, 3).sum(), lambda x: x * 2,
                                  lambda x: x[None].squeeze(0).sum(), lambda x: (x * 1).sum()])
def test_grad_is_writeable_and_owns_its_memory(make):
    x = minigrad.ones(3, requires_grad=True)
    out = make(x)
    out.backward(minigrad.ones_like(out) if out.ndim else None)
    assert x.grad._data.flags.writeable
    assert x.grad._base is None and x.grad.grad_fn is None and not x.grad.requires_grad
    before = x.grad.tolist()
    x.grad.add_(1)  # an optimizer's in-place update: nothing else changes
    assert x.grad.tolist() == [v + 1 for v in before]


def test_a_second_backward_adds_into_the_same_grad():
    x = minigrad.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    assert x.grad is first and first.tolist() == [5.0, 5.0, 5.0]


def test_inputs_of_a_chain_are_the_tensors_given():
    x = minigrad.ones(3, requires_grad=True)
    c = minigrad.tensor([1.0, 2.0, 3.0])  # a constant: no gradient, no edge
    y = x * 2
    z = y * c
    assert y.grad_fn.inputs[0] is x and z.grad_fn.inputs == (y, c)
    assert z.grad_fn.next_functions == ((y.grad_fn, 0), (None, 0))
    del y  # held weakly, as before: gone with its last reference
    assert z.grad_fn.inputs == (None, c)


def test_a_saved_number_is_an_input_and_one_tensor():
    x = minigrad.ones(3, requires_grad=True)
    node = (x * 2).grad_fn  # MulBackward0 saves the 2 (x needs a gradient): it is alive
    number = node.inputs[1]
    assert number is not None and number.item() == 2.0 and number.dtype is minigrad.float32
    assert node.saved_tensors[1] is number and node.inputs[1] is number
    assert (x + 2).grad_fn.inputs[1] is None  # AddBackward0 saves nothing: the 2 is gone, as before


def test_a_saved_number_changed_in_place_is_caught():
    x = minigrad.ones(3, requires_grad=True)
    y = x * 2
    y.grad_fn.saved_tensors[1].add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_an_input_changed_in_place_later_is_still_the_input():
    x = minigrad.ones(3, requires_grad=True)
    y = x * 1
    z = y + 3
    y.mul_(2)  # y's history moves to a new node; z still read the y it was given
    assert z.grad_fn.inputs[0] is y
    assert y.grad_fn.inputs[0] is not y  # the in-place node's input is the old value


def test_a_released_node_says_its_saved_tensors_are_freed():
    x = minigrad.ones(3, requires_grad=True)
    y = x.exp() * x
    node = y.grad_fn
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        node.saved_tensors
    assert node.name() == "MulBackward0" and node.inputs[1] is x and repr(node) == "<MulBackward0>"
    assert str(FREED_MESSAGE).startswith("Trying to backward")
    with pytest.raises(AttributeError, match="'MulBackward0' object has no attribute 'nothing'"):
        (x * x).grad_fn.nothing  # a live node: Python's own error, naming the node as PyTorch does


def test_a_node_of_broadcast_inputs_sums_their_gradients_back():
    x = minigrad.ones(3, requires_grad=True)
    w = minigrad.ones(2, 1, requires_grad=True)
    (x * w).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0] and w.grad.tolist() == [[3.0], [3.0]]


# `x op number` (Function._apply_number) records the node apply(x, wrap(number)) would.
@pytest.mark.parametrize("op, name", [(lambda x: x * 3, "MulBackward0"), (lambda x: x + 3, "AddBackward0"),
                                      (lambda x: x - 3, "SubBackward0"), (lambda x: 3 * x, "MulBackward0"),
                                      (lambda x: 3 + x, "AddBackward0")])
@pytest.mark.parametrize("dtype", [minigrad.float32, minigrad.float64])
def test_an_op_with_a_number_records_the_usual_node(op, name, dtype):
    x = minigrad.tensor([1.0, -2.0], dtype=dtype, requires_grad=True)
    h = x * 1.0  # a non-leaf input
    y = op(h)
    node = y.grad_fn
    assert node.name() == name and y.dtype is dtype and y.requires_grad and not y.is_leaf
    assert node.next_functions == ((h.grad_fn, 0), (None, 0)) and node.inputs[0] is h
    assert node.needs_input_grad == (True, False) and node.output is y
    number = node.inputs[1]
    if name == "MulBackward0":  # Mul saves the number (its dz/dx): a 0-dim tensor of x's dtype
        assert number.item() == 3.0 and number.dtype is dtype and number.shape == ()
        assert node.saved_tensors == (None, number)
    else:
        assert number is None
    y.sum().backward()
    assert x.grad.tolist() == ([3.0, 3.0] if name == "MulBackward0" else [1.0, 1.0]) and x.grad.dtype is dtype


def test_a_number_op_on_a_leaf_and_a_second_backward():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert y.grad_fn.next_functions[0][0].variable is x and y.grad_fn.inputs[0] is x
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()  # Mul saved the 2: freed by the backward without retain_graph
    z = x + 2
    z.sum().backward()
    z.sum().backward()  # Add saved nothing: a second backward works, as in PyTorch
    assert x.grad.tolist() == [6.0, 6.0]


def test_a_number_op_under_create_graph_is_differentiated_again():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x * 3 + 1).sum()
    (g,) = minigrad.autograd.grad(y, x, create_graph=True)
    assert g.tolist() == [6.0, 12.0] and g.requires_grad  # dy/dx = 6x, recorded
    g.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]  # d/dx sum(6x) = 6


def test_a_number_op_without_a_gradient_records_nothing():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with minigrad.no_grad():
        assert (x * 2).grad_fn is None and not (x * 2).requires_grad
    c = minigrad.tensor([1.0, 2.0])
    assert (c * 2).grad_fn is None and (c * 2).tolist() == [2.0, 4.0]
    assert (minigrad.tensor(2.0) * 3).shape == () and (minigrad.tensor(2.0) * 3).item() == 6.0


def test_a_number_shared_by_two_nodes_is_never_written_through():
    # x * 2 twice: both nodes read one shared array of the 2 (see Function._apply_number); a saved number
    # read as a tensor is the node's own copy, so changing it reaches no other node.
    x = minigrad.ones(3, requires_grad=True)
    a, b = x * 2.5, x * 2.5
    a.grad_fn.saved_tensors[1].add_(1)
    assert b.grad_fn.saved_tensors[1].item() == 2.5
    b.sum().backward()
    assert x.grad.tolist() == [2.5, 2.5, 2.5]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        a.sum().backward()


def test_numbers_equal_as_keys_stay_apart_and_agree_with_pytorch():
    # 0.0 and -0.0 are equal (and hash alike), 1 and 1.0 too, nan is not equal to itself; computed numbers
    # are new objects whose ids Python reuses. Each product must use its own number, as PyTorch does.
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    base = np.array([1.5, -2.0, 0.0, 3.25])
    numbers = [0.0, -0.0, 0.0, 1, 1.0, -1, float("nan"), float("inf"), -0.0, 2**40, -(2**40), 1e-300]
    numbers += [float(v) for v in rng.normal(size=150)]  # temporaries: their ids come back
    numbers += [int(v) for v in rng.integers(-5, 5, size=40)]
    ops = (lambda t, n: t * n, lambda t, n: t + n, lambda t, n: t - n)
    agree = 0
    for number, dtype, op in itertools.product(numbers, ("float32", "float64"), ops):
        x = minigrad.tensor(base, dtype=getattr(minigrad, dtype), requires_grad=True)
        tx = torch.tensor(base, dtype=getattr(torch, dtype), requires_grad=True)
        y, ty = op(x, number), op(tx, number)
        y.sum().backward()
        ty.sum().backward()
        got, want = y.detach().numpy(), ty.detach().numpy()
        assert got.dtype == want.dtype, (number, dtype)
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want)), (number, dtype)
        assert np.array_equal(x.grad.numpy(), tx.grad.numpy(), equal_nan=True), (number, dtype)
        assert np.array_equal(np.signbit(x.grad.numpy()), np.signbit(tx.grad.numpy())), (number, dtype)
        agree += 1
    assert agree == 2 * 3 * len(numbers)


@pytest.mark.parametrize("op", ["x - 2", "x + 2", "x - y", "x + y", "2 * x"])
def test_a_gradient_passed_on_as_it_is_is_the_same_tensor_as_in_pytorch(op):
    # A formula that passes the gradient on (dz/dx = 1) hands x's hooks the very tensor it was given, as
    # PyTorch's nodes do, also when it runs on arrays (x - 2, x - y): identity and requires_grad.
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (minigrad, torch):
        x = lib.tensor([1.5, -0.5], requires_grad=True)
        y = lib.tensor([2.0, 3.0])
        kept = []
        x.register_hook(lambda g: kept.append(g))
        g = lib.ones(2, requires_grad=True)
        eval(op, {"x": x, "y": y}).backward(g)
        seen.append((kept[0] is g, kept[0].requires_grad, kept[0].tolist(), x.grad.tolist()))
    assert seen[0] == seen[1]
