"""Checkers for lesson 07 (under the hood): `from minigrad.lessons import lesson_07 as check`.

The expected values come from hand-derived derivative formulas evaluated with NumPy; the library only runs
the learner's Function (minigrad's, or PyTorch's if the class is a torch.autograd.Function). A checker never
raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a solution.

>>> square_function(None)
Not yet: Define `class Square(Function)` ...
"""
from __future__ import annotations

import sys

import numpy as np

import minigrad

from ._tools import as_array, as_number, as_whole_number, checker, gradient_of, is_tensor, say, solution_function

X = np.array([-1.5, 0.5, 2.0])
UPSTREAM = np.array([1.0, -2.0, 0.5])  # not all ones, so a backward that ignores `grad` shows up


def _library(function_class):
    """minigrad or torch: the library whose autograd.Function `function_class` subclasses, or None."""
    if not isinstance(function_class, type):
        return None
    if issubclass(function_class, minigrad.autograd.Function):
        return minigrad
    torch = sys.modules.get("torch")  # imported already if the learner's class comes from it
    if torch is not None and issubclass(function_class, torch.autograd.Function):
        return torch
    return None


def _run(function, x: np.ndarray, upstream: np.ndarray):
    """Apply a Function to float64 x, backward with `upstream`; return (y, x.grad) as arrays."""
    library = _library(function)
    t = library.tensor(x, dtype=library.float64, requires_grad=True)
    y = function.apply(t)
    y.backward(library.tensor(upstream, dtype=library.float64))
    return as_array(y), as_array(t.grad)


@checker
def square_function(answer) -> None:
    """answer: a Function subclass computing y = x^2 with dy/dx = 2x."""
    if answer is None:
        say(False, hint="Define `class Square(Function)` with forward and backward, then set `answer = Square`.")
        return
    if _library(answer) is None:
        got = f"the class {answer.__name__}" if isinstance(answer, type) else f"a {type(answer).__name__}"
        say(False, hint=f"`answer` should be your class itself, a subclass of Function; got {got}.")
        return
    try:
        y, grad = _run(answer, X, UPSTREAM)
    except Exception as error:  # noqa: BLE001 - the learner's code failed: explain, do not raise
        say(False, hint=f"Running Square.apply(x) and backward failed with {type(error).__name__}: {error}")
        return
    if y is None or y.shape != X.shape or not np.allclose(y, X ** 2):
        say(False, hint=f"forward should return x ** 2: for x = {X.tolist()} expected {(X ** 2).tolist()}, got "
                        f"{None if y is None else y.tolist()}.")
    elif grad is not None and grad.shape == X.shape and np.allclose(grad, 2 * X):
        say(False, hint="backward returns 2x, but it must multiply by the gradient it receives: return grad * 2 * x. "
                        "(With upstream gradient 1 the two agree, which is why this bug hides.)")
    else:
        say(grad is not None and grad.shape == X.shape and np.allclose(grad, 2 * X * UPSTREAM),
            ok="Correct! forward gives x^2 and backward gives grad * 2x, even for an upstream gradient that is not 1.",
            hint=f"With upstream gradient {UPSTREAM.tolist()}, x.grad should be grad * 2x = "
                 f"{(2 * X * UPSTREAM).tolist()}, got {None if grad is None else grad.tolist()}.")


# The derivative each candidate of exercise 2 claims to implement, worked out by hand.
CANDIDATES = {
    "MyTanh": (np.array([-1.0, 0.3, 2.0]), lambda x: 1 - np.tanh(x) ** 2),
    "MyExp": (np.array([-1.0, 0.3, 2.0]), np.exp),
    "MyLog": (np.array([0.5, 1.0, 2.0]), lambda x: 1 / x),
}


@checker
def verdicts(answer, candidates) -> None:
    """answer: one bool per candidate, True where its backward is right (as gradcheck says)."""
    if not isinstance(candidates, (list, tuple)):
        candidates = []
    names = [getattr(f, "__name__", "?") for f in candidates]
    if sorted(names) != sorted(CANDIDATES) or any(_library(f) is None for f in candidates):
        say(False, hint=f"Call the checker with the three classes: check.verdicts(answer, [{', '.join(CANDIDATES)}]).")
        return
    truth = []
    for function in candidates:
        x, derivative = CANDIDATES[function.__name__]
        _, grad = _run(function, x, UPSTREAM)
        truth.append(bool(grad is not None and np.allclose(grad, UPSTREAM * derivative(x))))
    if answer is None:
        say(False, hint="Run gradcheck(F.apply, (x,), raise_exception=False) for each candidate and collect the "
                        "results, e.g. `answer = [gradcheck(...), gradcheck(...), gradcheck(...)]`.")
    elif not isinstance(answer, (list, tuple)) or len(answer) != len(truth) or \
            not all(isinstance(a, (bool, np.bool_)) for a in answer):
        say(False, hint=f"Give one True/False per candidate ({', '.join(names)}), in that order: what gradcheck "
                        "returned for each.")
    elif not any(answer) and any(truth):
        say(False, hint="All False: gradcheck in float32 fails even a right backward (its finite differences are "
                        "too coarse). Make x with dtype=torch.float64, then run gradcheck again.")
    else:
        got = [bool(a) for a in answer]
        wrong = [n for n, g, t in zip(names, got, truth) if g != t]
        if not any(got) and any(truth):
            say(False, hint="All False: was x float32? gradcheck compares with finite differences, (f(x + eps) - "
                            "f(x - eps)) / 2eps with a tiny eps; in float32 (about 7 significant digits) that "
                            "difference is mostly rounding error, so gradcheck says False even for a right backward "
                            "(and warns). Make x with dtype=torch.float64.")
            return
        say(not wrong,
            ok="Correct! " + ", ".join(f"{n}: {'right' if t else 'wrong'}" for n, t in zip(names, truth)) +
               ". MyExp's backward uses x where the derivative of e^x is e^x itself.",
            hint=f"Look again at {', '.join(wrong)}: gradcheck compares its backward with finite differences.")


def _mul_nodes_and_factor(a: float) -> "tuple[int, float]":
    """The lesson's f(a), followed in plain Python: how many multiplications run, and f(a) / a (= the gradient,
    since every step multiplies by a constant)."""
    b, count, factor = a * 2, 1, 2.0
    while abs(b) < 10:
        b, count, factor = b * 2, count + 1, factor * 2
    if b < 0:
        b, count, factor = 100 * b, count + 1, factor * 100
    return count, factor


@checker
def recorded_graph(answer) -> None:
    """answer: (number of MulBackward0 nodes in the graph of f(a), the tensor a after backward) at a = 0.3.
    By hand: b = 0.6 -> 1.2 -> 2.4 -> 4.8 -> 9.6 -> 19.2: 1 + 5 multiplications, each by 2, so a.grad = 2^6."""
    count, factor = _mul_nodes_and_factor(0.3)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        say(False, hint="Set `answer = (number_of_mul_nodes, a)`: a whole number and the tensor a after backward.")
        return
    nodes, a = answer
    nodes = as_whole_number(nodes) if not isinstance(nodes, (bool, np.bool_)) else None
    if nodes is None:
        say(False, hint="The first entry is a count of MulBackward0 nodes: a whole number, like 3.")
        return
    if not (is_tensor(a) and a.requires_grad):
        say(False, hint="The second entry is the tensor a itself (created with requires_grad=True), after "
                        "f(a).backward(): the checker reads a.grad.")
        return
    value = as_number(a)
    if value is None or not np.isclose(value, 0.3):
        say(False, hint="a should be 0.3: run the exercise cell that creates it again.")
        return
    grad = gradient_of(a)
    if nodes == count - 1:
        say(False, hint=f"{nodes} counts the doublings of the loop; the first line of f, b = a * 2, is a "
                        "multiplication too.")
    elif nodes != count:
        say(False, hint=f"Not {nodes}. Follow the loop by hand from b = 2a = 0.6, doubling while |b| < 10, or "
                        "walk from out.grad_fn along next_functions[0][0], counting the MulBackward0 nodes.")
    elif grad is None:
        say(False, hint="The count is right. a.grad is empty: call backward() on f(a) (once) before checking.")
    elif np.isclose(float(grad.reshape(())), 2 * factor):
        say(False, hint="The count is right; a.grad is twice the expected gradient: backward ran twice and "
                        "gradients add up. Run the exercise cell again to start from a fresh a.")
    else:
        say(np.isclose(float(grad.reshape(())), factor),
            ok=f"Correct! {count} multiplications by 2 were recorded for a = 0.3, so a.grad = 2^{count} = "
               f"{factor:g}: the product of the local derivatives on the path this input took.",
            hint=f"The count is right. a.grad should be the product of the local derivatives along the chain: "
                 f"each multiplication by 2 contributes a factor 2 (got {float(grad.reshape(())):g}).")


SOLUTIONS = {
    "square_function": """\
class Square(torch.autograd.Function):
    \"\"\"y = x^2,   dy/dx = 2x.\"\"\"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x        # the upstream gradient times the local derivative

answer = Square
check.square_function(answer)
""",
    "verdicts": """\
Function = torch.autograd.Function

class MyTanh(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.tanh()
        ctx.save_for_backward(y)
        return y
    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y ** 2)

class MyExp(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.exp()
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x            # wrong: the derivative of e^x is e^x

class MyLog(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.log()
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x

x = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
answer = [torch.autograd.gradcheck(F.apply, (x,), raise_exception=False) for F in (MyTanh, MyExp, MyLog)]
print(answer)
check.verdicts(answer, [MyTanh, MyExp, MyLog])
""",
    "recorded_graph": """\
def f(a):
    b = a * 2
    while b.abs() < 10:
        b = b * 2
    if b < 0:
        b = 100 * b
    return b

a = torch.tensor(0.3, requires_grad=True)
out = f(a)
out.backward()
mul_nodes, node = 0, out.grad_fn
while node is not None and node.name() == "MulBackward0":   # the graph of f is one chain
    mul_nodes += 1
    node = node.next_functions[0][0]
print(mul_nodes, "multiplications, a.grad =", a.grad)
answer = (mul_nodes, a)                   # the checker reads a.grad
check.recorded_graph(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)
