"""Run one program on both libraries, compare what came out, and classify the outcome.

A program is a function `program(T, ctx)` written once against PyTorch's API: `T` is `torch` or
`minigrad`. It makes its inputs through `ctx` (so that both runs start from the same numbers and the
runner knows the leaves) and returns what it computed (a tensor, a tuple, a Python value). After the
forward part, a case in grad mode "backward" differentiates a weighted sum of the result and compares the
leaves' gradients; in mode "double" it differentiates the first gradients again (create_graph=True).
"""
from __future__ import annotations

import math
import os
import re
import traceback
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

import minigrad

SAME = "same"
CLEAR = "clear error, other type"
LEAK = "leak (error from inside NumPy/Python)"
DIFFERENT = "silently different"
VALUE = "value where PyTorch raises"
MISSING = "error where PyTorch succeeds: missing name/argument"
FALSE_ERROR = "error where PyTorch succeeds: other"
CLASSES = (SAME, CLEAR, LEAK, DIFFERENT, VALUE, MISSING, FALSE_ERROR)
GOOD = (SAME, CLEAR)

_MINIGRAD_DIR = os.path.dirname(os.path.abspath(minigrad.__file__)) + os.sep
_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep

# Python's own exceptions that a library's code never means to raise at a user.
_INTERNAL_TYPES = (ZeroDivisionError, AttributeError, KeyError, NameError, UnboundLocalError, AssertionError,
                   RecursionError, OverflowError, FloatingPointError, StopIteration)
# Words of NumPy's and Python's messages: a RuntimeError/ValueError raised by NumPy's C code inside a
# minigrad function still has minigrad's frame last, so the message is what gives it away.
_INTERNAL_WORDS = re.compile(
    r"could not be broadcast together|cannot reshape array|out of bounds for axis|axis -?\d+ is out of bounds|"
    r"numpy.newaxis|setting an array element|ufunc|boolean array indexing|zero-size array|value array of shape|"
    r"Python int too large|cannot convert float|invalid literal|negative dimensions are not allowed|"
    r"all the input array dimensions|all input arrays must have|need at least one array|"
    r"non-broadcastable output|Cannot cast|ndarray|numpy\.|numpy boolean|must be real number, not|object is not (iterable|subscriptable|callable)|"
    r"'(int|float|NoneType|tuple|list|bool|str)' object|unsupported operand type|"
    r"takes \d+ positional argument|unexpected keyword argument|missing \d+ required|"
    r"object cannot be interpreted|truth value of an array|unhashable type|must be real number|"
    r"len\(\) of unsized object|iteration over a 0-d array|destination is read-only|inhomogeneous shape",
    re.IGNORECASE)


# "'Sequential' object has no attribute 'to'", "module 'minigrad' has no attribute 'int32'": but not
# "'NoneType' object has no attribute ..." (an internal slip).
_MISSING_ATTRIBUTE = re.compile(r"^(module 'minigrad[\w.]*'|'(?!NoneType|int|float|tuple|list|dict|str|bool|ndarray)\w+' object) "
                                r"has no attribute")


@dataclass
class Case:
    """One program of the suite."""
    category: str                     # what kind of thing is tested: "unary", "binary", "inplace", "nn", ...
    name: str                         # the public name exercised: "Tensor.exp", "nn.functional.mse_loss"
    label: str                        # how: dtypes, shapes, grad mode
    program: Callable[[Any, "Context"], Any]
    mode: str = "forward"             # "forward", "backward" or "double"
    seed: int = 0
    loosest: str = ""                 # "float32": float64 values computed from float32 ones get its tolerance

    @property
    def ident(self) -> str:
        return f"{self.category}:{self.name}[{self.label}]"


@dataclass
class Outcome:
    case: Case
    kind: str
    detail: str = ""
    allowed: str = ""                 # the allow-list entry that excuses it, if any


# ============================================================== inputs
def make_array(seed: int, shape: tuple, dtype: str) -> np.ndarray:
    """Seeded sample values of a dtype: bools, small integers (zeros included), or normals."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype == "int64":
        return rng.integers(-3, 4, size=shape).astype(np.int64)
    return rng.normal(size=shape).astype(dtype)


class Context:
    """What a program uses to make its inputs; remembers the leaves that require grad."""

    def __init__(self, T, seed: int) -> None:
        self.T, self.seed, self.leaves = T, seed, []
        self._count = 0

    def array(self, shape: tuple, dtype: str = "float64") -> np.ndarray:
        self._count += 1
        return make_array(self.seed * 101 + self._count, shape, dtype)

    def tensor(self, shape: tuple = (2, 3), dtype: str = "float64", requires_grad: bool = False, layout: str = "plain",
               no_grad_view: bool = False):
        """A tensor of `shape` in one of several layouts:

        plain      a fresh leaf
        t          the transpose of a leaf of the transposed shape (not contiguous)
        slice      every other column of a leaf twice as wide (not contiguous)
        viewview   a slice of a transpose (a view of a view)
        expand     a broadcast view (stride 0) of a leaf with a size-1 first dim
        """
        T = self.T
        base_shape = {"plain": shape, "t": shape[::-1], "slice": shape[:-1] + (2 * shape[-1],) if shape else shape,
                      "viewview": (shape[-1], shape[0] + 1) if len(shape) == 2 else shape,
                      "expand": (1,) + shape[1:] if shape else shape}[layout]
        base = T.tensor(self.array(base_shape, dtype), dtype=getattr(T, dtype), requires_grad=requires_grad)
        if requires_grad:
            self.leaves.append(base)
        if layout == "plain" or not shape:
            return base
        if no_grad_view:
            with T.no_grad():
                return self._view(base, layout, shape)
        return self._view(base, layout, shape)

    @staticmethod
    def _view(base, layout, shape):
        if layout == "t":
            return base.t() if base.dim() == 2 else base.permute(*reversed(range(base.dim())))
        if layout == "slice":
            return base[..., ::2]
        if layout == "viewview":
            return base.t()[:, 1:] if base.dim() == 2 else base[...]
        if layout == "expand":
            return base.expand(*shape)
        raise ValueError(layout)


# ============================================================== recording what a run gave
def _is_tensor(T, x) -> bool:
    return isinstance(x, T.Tensor)


def node_name(node) -> str | None:
    if node is None:
        return None
    # PyTorch's C++ namespace is not part of minigrad's names (docs/architecture.md, "on purpose", 2nd item)
    return node.name().replace("torch::autograd::", "")


def chain(node, depth: int = 3) -> tuple:
    """The names of a node and of the nodes it leads to, breadth first, a few levels deep."""
    names, level = [], [node]
    for _ in range(depth):
        nxt = []
        for n in level:
            names.append(node_name(n))
            if n is not None:
                nxt += [m for m, _ in n.next_functions]
        level = nxt
        if not level:
            break
    return tuple(names)


def record(T, x, graph: bool = True) -> Any:
    """A comparable description of a value: tensors by dtype, shape, values and graph flags.

    graph=False for gradients: the nodes of a graph built by backward (create_graph=True) are each
    library's own business (PyTorch's TanhBackwardBackward0, ...); their values are what counts.
    """
    if _is_tensor(T, x):
        values = x.detach().numpy(force=True) if T is not minigrad else x.detach().numpy()
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), np.array(values, copy=True),
                x.requires_grad, x.is_leaf, chain(x.grad_fn) if graph else None)
    if isinstance(x, (tuple, list)):
        return ("seq", type(x).__name__ if type(x) in (tuple, list) else "tuple", [record(T, v) for v in x])
    if isinstance(x, dict):
        return ("dict", sorted((str(k), record(T, v)) for k, v in x.items()))
    if x is None or isinstance(x, (bool, int, float, str)):
        return ("py", type(x).__name__, x)
    if isinstance(x, np.ndarray):
        return ("array", str(x.dtype), x.shape, x.copy())
    if type(x).__name__ == "dtype":
        return ("dtype", str(x).split(".")[-1])
    return ("object", type(x).__name__)


_LOOSEST = {"dtype": ""}  # set by compare() from the case being compared


def _close(a: np.ndarray, b: np.ndarray, dtype: str) -> bool:
    if a.shape != b.shape:
        return False
    if dtype in ("bool", "int64") or a.dtype.kind in "biu":
        return np.array_equal(a, b)
    if _LOOSEST["dtype"] == "float32":
        dtype = "float32"
    # Loose enough for a chain of ops computed in another order (second derivatives, float32 rounding
    # growing through cancellation), tight enough for any real difference (a wrong formula is off by O(1)).
    tol = {"float32": (1e-4, 1e-5), "float64": (1e-7, 1e-9)}.get(dtype, (1e-4, 1e-5))
    return np.allclose(a.astype(np.float64), b.astype(np.float64), rtol=tol[0], atol=tol[1], equal_nan=True)


def difference(t: Any, m: Any, where: str = "result") -> str:
    """'' when the two descriptions agree, else what differs first."""
    if t[0] != m[0]:
        return f"{where}: torch gives {t[0]}, minigrad {m[0]}"
    kind = t[0]
    if kind == "tensor":
        _, tdt, tsh, tv, trg, tleaf, tch = t
        _, mdt, msh, mv, mrg, mleaf, mch = m
        if tdt != mdt:
            return f"{where}: dtype torch {tdt}, minigrad {mdt}"
        if tsh != msh:
            return f"{where}: shape torch {tsh}, minigrad {msh}"
        if not _close(tv, mv, tdt):
            return f"{where}: values torch {_short(tv)}, minigrad {_short(mv)}"
        if trg != mrg:
            return f"{where}: requires_grad torch {trg}, minigrad {mrg}"
        if tleaf != mleaf:
            return f"{where}: is_leaf torch {tleaf}, minigrad {mleaf}"
        if tch != mch:
            return f"{where}: grad_fn chain torch {tch}, minigrad {mch}"
        return ""
    if kind == "seq":
        if len(t[2]) != len(m[2]):
            return f"{where}: length torch {len(t[2])}, minigrad {len(m[2])}"
        for i, (a, b) in enumerate(zip(t[2], m[2])):
            d = difference(a, b, f"{where}[{i}]")
            if d:
                return d
        return ""
    if kind == "dict":
        if [k for k, _ in t[1]] != [k for k, _ in m[1]]:
            return f"{where}: keys torch {[k for k, _ in t[1]]}, minigrad {[k for k, _ in m[1]]}"
        for (k, a), (_, b) in zip(t[1], m[1]):
            d = difference(a, b, f"{where}[{k!r}]")
            if d:
                return d
        return ""
    if kind == "py":
        if t[1] != m[1]:
            return f"{where}: torch {t[1]} {t[2]!r}, minigrad {m[1]} {m[2]!r}"
        a, b = t[2], m[2]
        if isinstance(a, float) and isinstance(b, float):
            same = (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
        else:
            same = a == b
        return "" if same else f"{where}: torch {a!r}, minigrad {b!r}"
    if kind == "array":
        return "" if t[1:3] == m[1:3] and _close(t[3], m[3], t[1]) else f"{where}: arrays differ"
    return "" if t == m else f"{where}: torch {t}, minigrad {m}"


def _short(v: np.ndarray) -> str:
    text = np.array2string(np.asarray(v), precision=5, threshold=8, separator=",")
    return text.replace("\n", "")


# ============================================================== errors
def error_kind(exc: BaseException) -> str:
    """'clear', 'leak', 'missing' (a name or argument minigrad lacks) for an exception minigrad raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1].filename if frames else ""
    message = str(exc)
    in_minigrad = os.path.abspath(last).startswith(_MINIGRAD_DIR)
    in_program = os.path.abspath(last).startswith(_HERE)
    if isinstance(exc, AttributeError) and _MISSING_ATTRIBUTE.search(message):
        return "missing"  # a method or module attribute minigrad does not have (also via Module.__getattr__)
    if in_program:
        # Raised where the program calls minigrad: a missing operator or keyword.
        if re.search(r"unsupported operand|unexpected keyword|positional argument|"
                                                        r"not callable|not iterable|missing \d+ required", message):
            return "missing"
    if type(exc).__module__.split(".")[0] == "numpy":
        return "leak"
    if isinstance(exc, _INTERNAL_TYPES):
        return "leak"
    if not in_minigrad and not in_program:
        return "leak"  # NumPy's Python code, the standard library, ...
    if _INTERNAL_WORDS.search(message):
        return "leak"
    if isinstance(exc, (RuntimeError, TypeError, IndexError, ValueError, NotImplementedError)):
        return "clear"
    return "leak"


# ============================================================== running
def _run(T, case: Case) -> tuple[list, list]:
    """[(stage, description or exception)] for each stage that ran."""
    stages = []
    ctx = Context(T, case.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if T is not minigrad:
                T.manual_seed(case.seed)
            else:
                T.manual_seed(case.seed)
            out = case.program(T, ctx)
            stages.append(("forward", record(T, out)))
        except Exception as exc:  # noqa: BLE001 - every error is an outcome to classify
            stages.append(("forward", exc))
            return stages
        if case.mode == "forward":
            return stages
        try:
            stages.append(("gradient", _gradients(T, case, ctx, out)))
        except Exception as exc:  # noqa: BLE001
            stages.append(("gradient", exc))
    return stages


def _first_tensor(T, out):
    if _is_tensor(T, out):
        return out
    if isinstance(out, (tuple, list)):
        for x in out:
            if _is_tensor(T, x):
                return x
    return None


def _gradients(T, case: Case, ctx: Context, out) -> Any:
    out = _first_tensor(T, out)
    if out is None or not out.requires_grad:
        return ("py", "str", "no gradient")
    weights = T.tensor(make_array(case.seed + 7, tuple(out.shape), "float64"), dtype=out.dtype)
    loss = (out * weights).sum()
    wanted = [leaf for leaf in ctx.leaves if leaf.requires_grad]
    if case.mode == "backward":
        loss.backward()
        return ("seq", "list", [record(T, leaf.grad, False) for leaf in ctx.leaves])
    first = T.autograd.grad(loss, wanted, create_graph=True, allow_unused=True)
    tracked = [g for g in first if g is not None and g.requires_grad]
    if not tracked:
        return ("seq", "list", [record(T, g, False) for g in first])
    total = sum((g * g).sum() for g in tracked)
    second = T.autograd.grad(total, wanted, allow_unused=True)
    return ("seq", "list", [record(T, g, False) for g in first] + [record(T, g, False) for g in second])


def compare(case: Case, torch) -> Outcome:
    _LOOSEST["dtype"] = case.loosest
    t_stages, m_stages = _run(torch, case), _run(minigrad, case)
    for (stage, t), (_, m) in zip(t_stages, m_stages):
        t_err, m_err = isinstance(t, BaseException), isinstance(m, BaseException)
        if t_err and m_err:
            kind = error_kind(m)
            if type(t) is type(m) and kind != "clear" and (_raised_by_minigrad(m) or str(t) == str(m)):
                # e.g. both AttributeError("cannot assign parameters before Module.__init__() call"), or
                # PyTorch's own words word for word (which may look like Python's: "missing 1 required ...")
                kind = "clear"
            if kind == "leak":
                return Outcome(case, LEAK, f"{stage}: {_exc(m)} (torch: {_exc(t)})")
            if type(t) is type(m) or (isinstance(m, type(t))):
                return Outcome(case, SAME, f"{stage}: both {type(t).__name__}")
            return Outcome(case, CLEAR, f"{stage}: torch {_exc(t)}; minigrad {_exc(m)}")
        if t_err:
            return Outcome(case, VALUE, f"{stage}: torch raises {_exc(t)}; minigrad gives {_describe(m)}")
        if m_err:
            kind = error_kind(m)
            cls = {"leak": LEAK, "missing": MISSING}.get(kind, FALSE_ERROR)
            return Outcome(case, cls, f"{stage}: {_exc(m)}")
        d = difference(t, m, stage)
        if d:
            return Outcome(case, DIFFERENT, d)
    if len(t_stages) != len(m_stages):  # cannot happen: stages follow the same rules
        return Outcome(case, DIFFERENT, "different stages ran")
    return Outcome(case, SAME)


def _raised_by_minigrad(exc: BaseException) -> bool:
    """A `raise` in minigrad's own code (the last frame is minigrad's and the words are not NumPy's)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and os.path.abspath(frames[-1].filename).startswith(_MINIGRAD_DIR) and \
        not _INTERNAL_WORDS.search(str(exc)) and frames[-1].line.lstrip().startswith("raise")


def _exc(e: BaseException) -> str:
    text = str(e).split("\n")[0]
    return f"{type(e).__name__}: {text[:160]}"


def _describe(r) -> str:
    if isinstance(r, tuple) and r and r[0] == "tensor":
        return f"tensor {r[1]} {r[2]} {_short(r[3])}"
    if isinstance(r, list):
        return "[" + ", ".join(_describe(x) for x in r) + "]"
    return str(r)[:120]
