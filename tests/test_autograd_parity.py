"""Two autograd rules checked against PyTorch on generated programs: what a tensor hook may return,
and which results can require grad (only floating-point ones)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

# ------------------------------------------------------------------ hooks
HOOKS = {
    "None": lambda T: (lambda g: None),
    "times 2": lambda T: (lambda g: g * 2),
    "double": lambda T: (lambda g: g.double()),
    "float": lambda T: (lambda g: g.float()),
    "long": lambda T: (lambda g: g.long()),
    "bool": lambda T: (lambda g: g > 0),
    "first element": lambda T: (lambda g: g[:1]),
}
WHERE = ["leaf", "intermediate", "retained intermediate"]


def run_hook(T, hook_name, where, dtype_name):
    x = T.tensor([1.0, 2.0], dtype=getattr(T, dtype_name), requires_grad=True)
    hook = HOOKS[hook_name](T)

    def named(g):  # PyTorch names the hook in its message: give both libraries the same name
        return hook(g)

    y = x * 3
    target = x if where == "leaf" else y
    if where == "retained intermediate":
        y.retain_grad()
    target.register_hook(named)
    try:
        (y * y).sum().backward()
        return ("ok", x.grad.dtype.__repr__().split(".")[-1], x.grad.tolist())
    except RuntimeError as e:
        # (for bool PyTorch prints its C++ type name CPUBoolType; minigrad says minigrad.BoolTensor)
        return ("error", str(e).replace("torch.", "minigrad.").replace("CPUBoolType", "minigrad.BoolTensor")
                .split(": it returned")[0])


def test_hooks_match_pytorch_in_generated_programs():
    counts = {"same": 0, "different": 0}
    differences = []
    for hook_name, where, dtype_name in itertools.product(HOOKS, WHERE, ["float32", "float64"]):
        ours = run_hook(minigrad, hook_name, where, dtype_name)
        theirs = run_hook(torch, hook_name, where, dtype_name)
        if ours == theirs:
            counts["same"] += 1
        else:
            counts["different"] += 1
            differences.append(f"{hook_name} on {where}, {dtype_name}:\n  minigrad {ours}\n  torch    {theirs}")
    print(counts)
    assert counts["same"] + counts["different"] == 42
    assert not differences, "\n".join(differences)


def test_a_hook_that_changes_the_dtype_is_refused_with_pytorchs_words():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)

    def myhook(g):
        return g.double()

    x.register_hook(myhook)
    with pytest.raises(RuntimeError, match=r"^hook 'myhook' has changed the type of value \(was minigrad.FloatTensor "
                                           r"got minigrad.DoubleTensor\)$"):
        x.sum().backward()


# ------------------------------------------------------------------ integer and bool results
INTEGER_RESULTS = {
    "long()": lambda T, x: x.long(),
    "bool()": lambda T, x: x.bool(),
    "to(int64)": lambda T, x: x.to(T.int64),
    "argmax()": lambda T, x: x.argmax(),
    "argmax(dim)": lambda T, x: x.argmax(1),
    "argmin(dim)": lambda T, x: x.argmin(0),
    "max(dim).indices": lambda T, x: x.max(1).indices,
    "x > 0": lambda T, x: x > 0,
    "x == x": lambda T, x: x == x,
    "~(x > 0)": lambda T, x: ~(x > 0),
    "long().sum()": lambda T, x: x.long().sum(),
    "bool().cumsum(0)": lambda T, x: x.bool().cumsum(0),
    "long() * 2": lambda T, x: x.long() * 2,
    "long().sign()": lambda T, x: x.long().sign(),
    "long()[0]": lambda T, x: x.long()[0],
    "long().view(-1)": lambda T, x: x.long().view(-1),
    "isnan()": lambda T, x: x.isnan(),
    "float()": lambda T, x: x.float(),          # floating results stay tracked
    "double() * 2": lambda T, x: x.double() * 2,
}


@pytest.mark.parametrize("name", list(INTEGER_RESULTS))
def test_only_floating_results_require_grad_as_in_pytorch(name):
    def facts(T):
        x = T.tensor([[0.5, -1.5, 2.0], [3.0, -0.5, 1.0]], requires_grad=True)
        y = INTEGER_RESULTS[name](T, x)
        return [y.requires_grad, y.grad_fn is None, y.is_leaf, y.dtype.is_floating_point]

    ours, theirs = facts(minigrad), facts(torch)
    assert ours == theirs


# ------------------------------------------------------------------ gradgradcheck
SECOND_ORDER = {
    "(a*a).sin()": lambda T, a: (a * a).sin(),
    "a*2": lambda T, a: a * 2,
    "a.exp().sum()": lambda T, a: a.exp().sum(),
    "a.tanh()*a": lambda T, a: a.tanh() * a,
    "a.sigmoid()": lambda T, a: a.sigmoid(),
    "a.softmax(0)": lambda T, a: a.softmax(0),
    "a.norm()": lambda T, a: a.norm(),
    "a@a": lambda T, a: a @ a,
}


def _square_with_detached_backward(T):
    """y = a**2 whose backward is right (2a) but not differentiable: a is detached in it."""
    class Square(T.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            return grad * 2 * a.detach()

    return Square.apply


@pytest.mark.parametrize("name", list(SECOND_ORDER) + ["detached backward"])
def test_gradgradcheck_agrees_with_pytorch(name):
    def verdict(T):
        x = T.tensor([0.3, -1.2, 2.0], dtype=T.float64, requires_grad=True)
        f = _square_with_detached_backward(T) if name == "detached backward" else (lambda a: SECOND_ORDER[name](T, a))
        return T.autograd.gradcheck(f, (x,), raise_exception=False), \
            T.autograd.gradgradcheck(f, (x,), raise_exception=False)

    ours, theirs = verdict(minigrad), verdict(torch)
    assert ours == theirs
    assert ours == ((True, False) if name == "detached backward" else (True, True))


# ------------------------------------------------------------------ reductions reported by views
@pytest.mark.parametrize("expr", ["T.zeros(0).var()", "T.zeros(2, 0).var(1)", "T.zeros(0, 3).std(0)",
                                  "T.zeros(0).var(correction=0)", "T.zeros(0, 2).std(0, keepdim=True)"])
def test_spread_of_no_values_is_nan_as_in_pytorch(expr):
    import warnings

    def value(T):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # both warn that the degrees of freedom are <= 0
            t = eval(expr)
        return list(t.shape), np.isnan(t.detach().numpy()).all(), t.numel()

    assert value(minigrad) == value(torch)


def test_norm_over_several_dims_and_its_gradient():
    from minigrad import ops

    data = np.arange(24.0).reshape(2, 3, 4) - 11.5
    for dims, keepdim, p in [((0, 2), False, 2), ((0, 2), True, 3), ((1,), False, 1.5), ((0, 1, 2), False, 2)]:
        results = []
        for T in (minigrad, torch):
            x = T.tensor(data, requires_grad=True)
            y = (ops.Norm.apply(x, p, dims, keepdim) if T is minigrad
                 else torch.linalg.vector_norm(x, p, dim=dims, keepdim=keepdim))
            (y * T.tensor(np.linspace(1, 2, y.numel()).reshape(tuple(y.shape)))).sum().backward()
            results.append((y.detach().numpy(), x.grad.numpy()))
        for ours, theirs in zip(*results):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_max_along_a_dim_of_a_0dim_tensor_is_one_node():
    from minigrad import ops

    y = minigrad.tensor(2.0, requires_grad=True)
    v = ops.MaxDim.apply(y, 0, False, np.asarray(0), True)
    v.backward()
    assert v.item() == 2.0 and y.grad.item() == 1.0
    assert v.grad_fn.name() == "MaxBackward0" and v.grad_fn.next_functions[0][0].name() == "AccumulateGrad"


def test_sum_in_another_dtype_is_one_node_as_in_pytorch():
    from minigrad import ops

    x = minigrad.ones(2, 3, requires_grad=True)
    s = ops.Sum.apply(x, None, False, minigrad.float64)
    s.backward()
    t = torch.ones(2, 3, requires_grad=True)
    u = t.sum(dtype=torch.float64)
    u.backward()
    assert (str(s.dtype), s.grad_fn.name(), s.grad_fn.next_functions[0][0].name()) == \
        ("minigrad.float64", u.grad_fn.name(), "AccumulateGrad")
    assert str(x.grad.dtype) == "minigrad.float32" and x.grad.tolist() == t.grad.tolist()


@pytest.mark.parametrize("expr", ["x.var()", "y.var(correction=2)", "y.var(correction=3)", "w.var()", "x.var(0)",
                                  "y.var(0, correction=2)", "y.var()", "x.std()", "y.std(correction=3)"])
def test_gradient_of_a_variance_with_no_degrees_of_freedom_as_in_pytorch(expr):
    """PyTorch's var backward, when n - correction <= 0 over all elements, is a constant (nan where x
    is its mean, inf elsewhere) that is not part of any graph; with dims it is the usual formula."""
    import warnings

    def first(T):
        x = T.tensor(1.0, dtype=T.float64, requires_grad=True)
        y = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
        w = T.tensor([2.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = eval(expr)
        (g,) = T.autograd.grad(out.sum(), {"x": x, "y": y, "w": w}[expr[0]], create_graph=True)
        return g.tolist(), g.requires_grad, str(g.dtype).split(".")[-1]

    ours, theirs = first(minigrad), first(torch)
    assert str(ours) == str(theirs)  # (as text: nan != nan)
