"""Dtypes against PyTorch on generated inputs: result dtypes and values of every unary and binary op on
bool, int64, float32 and float64 tensors and Python numbers; bitwise operators; dtype=float/int/bool;
integer overflow in tensor(); and errors that must be PyTorch's rather than NumPy's.

Each case runs the same code with `T = torch` and `T = minigrad` and compares what it observes (shape,
dtype, values to float32 precision, requires_grad, grad_fn, or the error's type); the tests count outcomes.
"""
from __future__ import annotations

import itertools
import math
import random
import warnings
from collections import Counter

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")

DTYPES = ["bool", "int64", "float32", "float64"]


def make(T, dtype: str, shape=(3,), seed=0, requires_grad=False):
    """The same small tensor in both libraries: bools, small integers or floats (no zeros for floats)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        data = rng.random(shape) > 0.5
    elif dtype == "int64":
        data = rng.integers(-4, 5, shape)
    else:
        data = (rng.random(shape) * 4 - 2 + 0.25).astype(dtype)
    t = T.tensor(data)
    return t.requires_grad_() if requires_grad else t


def node_name(t):
    # PyTorch's C++ namespace on its own nodes is left out by minigrad (docs/architecture.md)
    return None if t.grad_fn is None else t.grad_fn.name().replace("torch::autograd::", "")


def summary(t, integer_flags: bool):
    """What a result shows, comparable between the libraries. The graph flags of an integer or bool result
    are left out unless `integer_flags` (they are Function.apply's, checked by their own test)."""
    if isinstance(t, (tuple, list)):
        return tuple(summary(x, integer_flags) for x in t)
    if isinstance(t, (minigrad.dtype, torch.dtype)):
        return ("dtype", str(t).split(".")[-1])
    if not hasattr(t, "dtype"):
        return ("python", t)
    array = t.detach().numpy()
    data = array.astype(np.float64).round(4).tolist() if array.dtype.kind == "f" else array.tolist()
    flags = (t.requires_grad, node_name(t)) if integer_flags or array.dtype.kind == "f" else ()
    return (tuple(t.shape), str(t.dtype).split(".")[-1], data) + flags


def observe(T, program, integer_flags: bool = False):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", summary(program(T), integer_flags))
        except Exception as e:
            return ("error", type(e).__name__)


def nan_equal(a, b) -> bool:
    """== on nested observations, with nan equal to nan."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(nan_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-4 * max(1.0, abs(b))
    return a == b


def compare_all(programs: dict, integer_flags: bool = False) -> Counter:
    counts, differences = Counter(), []
    for name, program in programs.items():
        mine, theirs = observe(minigrad, program, integer_flags), observe(torch, program, integer_flags)
        if nan_equal(mine, theirs):
            counts["same, " + mine[0]] += 1
        else:
            counts["different"] += 1
            differences.append((name, mine, theirs))
    print(dict(counts))
    assert not differences, "\n".join(f"{n}:\n  minigrad {m}\n  torch    {t}" for n, m, t in differences[:8]) + \
        f"\n({len(differences)} differences)"
    return counts


UNARY = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal", "abs", "neg", "sign", "relu",
         "square", "float", "double", "long", "bool", "sum", "cumsum", "argmax", "argmin", "max", "min",
         "isnan", "isfinite", "all", "any", "clone", "flatten", "t", "logical_not"]
BINARY = ["__add__", "__sub__", "__mul__", "__truediv__", "__pow__", "__radd__", "__rsub__", "__rmul__",
          "__rtruediv__", "__rpow__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__and__",
          "__or__", "__xor__", "__rand__", "__ror__", "__rxor__", "__eq__", "__lt__", "maximum", "minimum"]


def unary_programs():
    programs = {}
    for name, dtype, shape, grad in itertools.product(UNARY + ["__invert__"], DTYPES, [(3,), (), (2, 0)], [False, True]):
        if grad and dtype not in ("float32", "float64"):
            continue
        if name == "logical_not":
            programs[(name, dtype, shape, grad)] = lambda T, d=dtype, s=shape, g=grad: T.logical_not(make(T, d, s, 1, g))
        else:
            programs[(name, dtype, shape, grad)] = (
                lambda T, n=name, d=dtype, s=shape, g=grad: getattr(make(T, d, s, 1, g), n)())
    return programs


def binary_programs():
    """Every binary op with tensor x tensor (all dtype pairs, 0-dim or not) and tensor x Python number."""
    programs = {}
    numbers = [2, -3, 2.5, True, 0]
    for name, da, db in itertools.product(BINARY, DTYPES, DTYPES):
        for sa, sb in [((3,), (3,)), ((), (3,)), ((3,), ())]:
            programs[(name, da, sa, db, sb)] = (
                lambda T, n=name, da=da, db=db, sa=sa, sb=sb: getattr(make(T, da, sa, 2), n)(make(T, db, sb, 3)))
    for name, da, number in itertools.product(BINARY, DTYPES, numbers):
        programs[(name, da, number)] = lambda T, n=name, da=da, c=number: getattr(make(T, da, (3,), 4), n)(c)
    for name, number in itertools.product(BINARY, [2, 2.5]):  # a float that requires grad: the graph
        programs[(name, "grad", number)] = (
            lambda T, n=name, c=number: getattr(make(T, "float32", (3,), 5, True), n)(c))
    return programs


def test_every_unary_op_on_every_dtype_gives_pytorchs_dtype_and_values():
    counts = compare_all(unary_programs())
    assert counts["same, ok"] > 300


def test_every_binary_op_on_every_dtype_pair_gives_pytorchs_dtype_and_values():
    counts = compare_all(binary_programs())
    assert counts["same, ok"] > 1000


def test_integer_results_never_require_grad():
    """x.long(), x.bool(), argmax, comparisons, x // 1 ... of a tracked float: no grad, no grad_fn."""
    programs = {}
    for name, dtype in itertools.product(UNARY + ["__floordiv__", "__gt__", "__eq__"], ["float32", "float64"]):
        args = (1,) if name.startswith("__") else ()
        programs[(name, dtype)] = lambda T, n=name, d=dtype, a=args: getattr(make(T, d, (3,), 1, True), n)(*a)
    counts = compare_all(programs, integer_flags=True)
    assert counts["same, ok"] > 40


def test_in_place_binary_ops_keep_the_dtype_or_refuse_as_pytorch_does():
    programs = {}
    for op, da, db in itertools.product(["__iadd__", "__isub__", "__imul__", "__itruediv__", "__iand__", "__ior__",
                                         "__ixor__", "__ifloordiv__", "__imod__"], DTYPES, DTYPES + [2, 2.5]):
        def program(T, op=op, da=da, db=db):
            a = make(T, da, (3,), 6)
            b = make(T, db, (3,), 7) if isinstance(db, str) else db
            out = getattr(a, op)(b)
            return (out is a, out)
        programs[(op, da, db)] = program
    counts = compare_all(programs)
    assert counts["same, ok"] > 80 and counts["same, error"] > 40


def test_bool_exp_computes_in_float32_not_float16():
    assert minigrad.tensor([True]).exp().item() == pytest.approx(2.7182817, abs=1e-7)
    assert minigrad.tensor([True]).exp().dtype is minigrad.float32


# ------------------------------------------------------------------ creation and dtype arguments
BIG = [2**63, -2**63 - 1, 2**64, [1, 2**63], [[1], [2**70]], [1.5, 2**63], 2**63 - 1, -2**63, [True, 2**63]]


@pytest.mark.parametrize("data", BIG, ids=str)
def test_tensor_of_integers_out_of_int64_range_overflows_as_in_pytorch(data):
    assert observe(minigrad, lambda T: T.tensor(data)) == observe(torch, lambda T: T.tensor(data))


def test_python_types_as_dtypes_mean_what_they_mean_in_pytorch():
    programs = {}
    for py, fn in itertools.product([float, int, bool], ["tensor", "ones", "zeros", "full", "arange", "to",
                                                          "new_ones", "ones_like", "rand", "sum"]):
        def program(T, py=py, fn=fn):
            x = T.tensor([1.0, 0.0, 2.5])
            if fn == "tensor":
                return T.tensor([1, 0, 2], dtype=py)
            T.manual_seed(0)
            if fn in ("ones", "zeros", "rand"):
                return getattr(T, fn)(2, dtype=py)
            if fn == "full":
                return T.full((2,), 3, dtype=py)
            if fn == "arange":
                return T.arange(3, dtype=py)
            if fn == "ones_like":
                return T.ones_like(x, dtype=py)
            if fn == "new_ones":
                return x.new_ones(2, dtype=py)
            if fn == "sum":
                return x.sum(dtype=py)
            return x.to(py)
        programs[(py.__name__, fn)] = program
    counts = compare_all({k: p for k, p in programs.items() if k != ("bool", "rand") and k != ("int", "rand")})
    assert counts["same, ok"] > 25


def test_remainder_and_fmod_gradients_and_floor_divide_refusal_match_pytorch():
    """x % y, fmod(x, y) with tensors or numbers: values, node names and both gradients; x // y's backward raises."""
    rng = random.Random(4)
    programs = {}
    for i in range(60):
        op = rng.choice(["%", "fmod", "//", "r%"])
        y_number = rng.choice([None, 2, -1.5, 0.75])
        seed = rng.randint(0, 1000)

        def program(T, op=op, y_number=y_number, seed=seed):
            x = make(T, "float64", (4,), seed, True)
            y = make(T, "float64", (4,), seed + 1, True) if y_number is None else y_number
            z = {"%": lambda: x % y, "fmod": lambda: T.fmod(x, y), "//": lambda: x // y, "r%": lambda: 7 % x}[op]()
            z.sum().backward()
            return [z, x.grad] + ([y.grad] if y_number is None else [])
        programs[(i, op, y_number)] = program
    counts = compare_all(programs)
    assert counts["same, ok"] > 20 and counts["same, error"] > 10


# ------------------------------------------------------------------ errors in PyTorch's meaning, and missing names
DIMS = [None, 0, -1, 1, 5, -5, [0], (0,), [], (), [0, 0], [0, -1], 1.0]
SHAPES = [(), (3,), (2, 3), (2, 0)]


def test_reductions_with_every_kind_of_dim_argument():
    """argmax/argmin/max/min/sum/mean/all/any with dims out of range, as lists, negative, empty, repeated."""
    programs = {}
    for name, dim, shape, dtype, keepdim in itertools.product(
            ["argmax", "argmin", "max", "min", "sum", "mean", "all", "any"], DIMS, SHAPES,
            ["float32", "int64", "bool"], [False, True]):
        def program(T, name=name, dim=dim, shape=shape, dtype=dtype, keepdim=keepdim):
            x = make(T, dtype, shape, 8)
            out = getattr(x, name)(dim=dim, keepdim=keepdim) if dim is not None else getattr(x, name)()
            return tuple(out) if name in ("max", "min") and dim is not None else out
        programs[(name, repr(dim), shape, dtype, keepdim)] = program
    counts = compare_all(programs)
    assert counts["same, ok"] > 500 and counts["same, error"] > 500


def test_joining_choosing_and_making_tensors_with_bad_arguments():
    """cat/stack with non-tensors or mismatched shapes, where with shapes that do not broadcast, randint's
    forms, flatten's dims, full/zeros/ones size forms: PyTorch's results or its kind of error."""
    rng = random.Random(9)
    shapes = [(2, 3), (3,), (2, 1), (4,), (1, 3), (), (2, 2, 3)]
    programs = {}
    for i in range(150):
        a, b, c = (rng.choice(shapes) for _ in range(3))
        extra = rng.choice(["tensor", 5, None, 2.5, "int tensor"])
        dim = rng.choice([0, 1, -1, 2])

        def joined(T, fn, a=a, b=b, extra=extra, dim=dim):
            items = [make(T, "float32", a, 1), make(T, "float32", b, 2)]
            if extra == "tensor":
                items.append(make(T, "float32", a, 3))
            elif extra == "int tensor":
                items.append(make(T, "int64", a, 3))
            else:
                items.append(extra)
            return getattr(T, fn)(items, dim=dim)
        programs[("cat", i)] = lambda T, f=joined: f(T, "cat")
        programs[("stack", i)] = lambda T, f=joined: f(T, "stack")
        programs[("where", i)] = lambda T, a=a, b=b, c=c: T.where(make(T, "float32", a, 1) > 0, make(T, "float32", b, 2),
                                                                  make(T, "float32", c, 3))
        start, end = rng.choice([0, 1, -1, 3, -4]), rng.choice([0, 1, -1, 2, -3])
        programs[("flatten", i)] = lambda T, a=a, s=start, e=end: make(T, "float32", a, 4).flatten(s, e)
    for i, args in enumerate([(5, (4,)), (2, 5, (3,)), (5,), (0, (2,)), (3, 3, (2,)), (-2, 2, (2, 2))]):
        programs[("randint", i)] = lambda T, args=args: T.randint(*args).shape
    programs[("randint", "kw")] = lambda T: T.randint(5, size=(2, 2)).dtype
    for i, call in enumerate(["ones(size=(2, 3))", "zeros(2, 3)", "full(2, 1.0)", "full((2,), 1.0)",
                              "randperm(-1)", "rand(2, dtype=T.int64)", "tensor([[1, 2], [3]])", "get_default_dtype()"]):
        programs[("creation", i)] = lambda T, call=call: eval("T." + call, {"T": T})
    counts = compare_all(programs)
    assert counts["same, ok"] > 150 and counts["same, error"] > 150


def test_indexing_and_assignment_errors_in_pytorchs_words():
    """Out-of-range, float and negative-step keys, masks and values of the wrong size: PyTorch's error type
    and, for these, its exact message."""
    cases = ["x[5]", "x[0, 7]", "x[-3]", "x[[0, 7]]", "x[1.0]", "x[::-1]", "x[T.tensor([True, False, True])]",
             "x[[]]", "x[T.tensor(1)]"]
    assignments = ["x[5] = 1.0", "x[T.tensor([True, False])] = 1.0", "x[x > 0] = T.ones(50)",
                   "x[0] = T.ones(5)", "x[0, 1] = T.ones(3)", "x[[0]] = T.ones(1, 3, dtype=T.float64)",
                   "x[1.0] = 2.0", "x[::-1] = 1.0", "x[[0, 7]] = T.ones(5)", "x[[0, 7]] = T.ones(3)",
                   "x.long().masked_fill(x > 0, float('nan'))", "T.logical_and(x, 2.5)", "x.logical_or(x > 0)"]
    programs = {}
    for code in cases + assignments:
        def program(T, code=code):
            x = make(T, "float32", (2, 3), 5)
            if "=" in code.split("]")[-1] and "(" not in code.split("=")[0]:
                exec(code, {"T": T, "x": x})
                return x
            return eval(code, {"T": T, "x": x})
        programs[code] = program
    compare_all(programs)
    for code in ["x[0, 7]", "x[[0, 7]]", "x[1.0]", "x[::-1]", "x[T.tensor([True, False, True])] = 1.0"]:
        messages = []
        for T in (minigrad, torch):
            x = make(T, "float32", (2, 3), 5)
            with pytest.raises(Exception) as caught:
                exec(code, {"T": T, "x": x})
            messages.append(str(caught.value))
        assert messages[0] == messages[1], code
