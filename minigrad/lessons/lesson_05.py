"""Checkers for lesson 05 (several variables): `from minigrad.lessons import lesson_05 as check`.

Expected values come from partial derivatives worked out by hand, evaluated with NumPy.
A checker never raises: it prints "Correct! ..." or a hint. `check.solution("name")` shows a solution.

>>> chain_rule_step((-1, 27))
Correct! ...
"""
from __future__ import annotations

import numpy as np

from ._tools import as_array, checker, gradient_of, is_tensor, is_the_tensor, say, solution_function


def _pair(answer) -> "np.ndarray | None":
    """Two plain numbers as an array of shape (2,), or None."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None
    got = as_array(answer)
    return got if got is not None and got.shape == (2,) else None


@checker
def partials_by_hand(answer) -> None:
    """answer: (df/dx, df/dy) of f(x, y) = x^2 y + 3y at x = 1.5, y = -2: (2xy, x^2 + 3)."""
    x, y = 1.5, -2.0
    expected = np.array([2 * x * y, x ** 2 + 3])
    got = _pair(answer)
    if got is None:
        say(False, hint="Set `answer = (df_dx, df_dy)`: two numbers.")
    elif np.allclose(got, [x ** 2 * y + 3 * y] * 2):
        say(False, hint="Those are values of f itself; the question asks for its partial derivatives.")
    elif np.isclose(got[0], expected[0]) and not np.isclose(got[1], expected[1]):
        say(False, hint="df/dx is right. For df/dy, hold x constant: x^2 y + 3y is (x^2 + 3) times y.")
    elif np.isclose(got[1], expected[1]) and not np.isclose(got[0], expected[0]):
        say(False, hint="df/dy is right. For df/dx, hold y constant: the derivative of x^2 y is 2x y, and 3y "
                        "does not change with x.")
    else:
        say(np.allclose(got, expected),
            ok=f"Correct! df/dx = 2xy = {expected[0]:g} and df/dy = x^2 + 3 = {expected[1]:g}.",
            hint="Differentiate with respect to one variable while holding the other constant: df/dx = 2xy, "
                 "df/dy = x^2 + 3, then put in x = 1.5, y = -2.")


_X = np.array([0.0, 1.0, 2.0])
_Y = np.array([3.0, -1.0, 0.5])


@checker
def autograd_partials(answer) -> None:
    """answer: the tensors (x, y) after g.backward(), for g = sum(sin(x) * y); the checker reads x.grad and
    y.grad (so they must come from autograd). By hand: (cos(x) y, sin(x))."""
    expected = (np.cos(_X) * _Y, np.sin(_X))
    if not isinstance(answer, (tuple, list)) or len(answer) != 2 or \
            not all(is_tensor(t) and t.requires_grad for t in answer):
        say(False, hint="Set `answer = (x, y)`: the two tensors (created with requires_grad=True), after "
                        "g.backward(). The checker reads x.grad and y.grad, so it sees autograd computed them.")
        return
    values = [as_array(t) for t in answer]
    if any(v is None or v.shape != (3,) for v in values) or \
            not (np.allclose(values[0], _X) and np.allclose(values[1], _Y)):
        say(False, hint=f"x and y should be {_X.tolist()} and {_Y.tolist()}: run the exercise cell that creates "
                        "them again.")
        return
    gx, gy = (gradient_of(t) for t in answer)
    if gx is None or gy is None:
        say(False, hint="One of the gradients is None: did you call g.backward() (g = (x.sin() * y).sum()) before "
                        "checking?")
    elif gx.shape != (3,) or gy.shape != (3,):
        say(False, hint="Each gradient should have the shape of its tensor, (3,).")
    elif np.allclose(gx, 2 * expected[0], atol=1e-6) and np.allclose(gy, 2 * expected[1], atol=1e-6):
        say(False, hint="Twice the gradient: backward ran twice and gradients add up. Re-create x and y first.")
    else:
        say(np.allclose(gx, expected[0], atol=1e-6) and np.allclose(gy, expected[1], atol=1e-6),
            ok="Correct! x.grad = cos(x) * y and y.grad = sin(x), the partial derivatives by hand.",
            hint=f"Expected x.grad = cos(x) * y = {np.round(expected[0], 4).tolist()} and y.grad = sin(x) = "
                 f"{np.round(expected[1], 4).tolist()}.")


@checker
def chain_rule_step(answer) -> None:
    """answer: (upstream, local) at the node of y**3 in e = 2x^4 - y^3 + 3z^2, y = 3: (-1, 3y^2 = 27)."""
    y = 3.0
    expected = np.array([-1.0, 3 * y ** 2])
    got = _pair(answer)
    if got is None:
        say(False, hint="Set `answer = (upstream, local)`: two numbers.")
    elif np.isclose(got[0], 1.0):
        say(False, hint="The upstream gradient is the derivative of e with respect to the output of y**3. e "
                        "*subtracts* y**3: what does the subtraction send back to its second input?")
    elif np.isclose(got[1], -3 * y ** 2):
        say(False, hint="The local derivative belongs to y**3 alone (d y^3 / dy = 3y^2), without the minus sign: "
                        "the minus comes from upstream.")
    else:
        say(np.allclose(got, expected),
            ok="Correct! The subtraction sends -1 upstream, y**3 has local derivative 3y^2 = 27, and their "
               "product -27 is y.grad.",
            hint="upstream = d e / d (y**3) (look at the sign in e), local = d (y**3) / d y at y = 3.")


_VJP_X = np.array([1.0, 2.0, 3.0])
_VJP_V = np.array([1.0, 0.0, -1.0])


@checker
def vector_jacobian_product(answer) -> None:
    """answer: the tensor x = [1, 2, 3] after y = x ** 2 went backward with gradient=v, v = [1, 0, -1]; the
    checker reads x.grad. By hand: J = diag(2x), so v^T J = v * 2x = [2, 0, -6]."""
    expected = _VJP_V * 2 * _VJP_X
    if not is_the_tensor(answer, _VJP_X, not_a_tensor="Set `answer = x` (the tensor created with requires_grad=True) "
                                                     "after y.backward(gradient=v): the checker reads x.grad.",
                         other_values=f"x should be {_VJP_X.tolist()}: run the exercise cell that creates it again."):
        return
    got = gradient_of(answer)
    if got is None:
        say(False, hint="x.grad is empty: compute y = x ** 2, then call y.backward(gradient=v). (y.backward() "
                        "alone raises 'grad can be implicitly created only for scalar outputs'.)")
    elif got.shape != expected.shape:
        say(False, hint=f"x.grad should have the shape of x, (3,), got {got.shape}.")
    elif np.allclose(got, 2 * _VJP_X):
        say(False, hint="That is 2x, the gradient of y.sum(), where every entry of y counts once (v all ones). "
                        "Pass v itself: y.backward(gradient=v).")
    elif np.allclose(got, 2 * expected):
        say(False, hint="Twice the expected gradient: backward ran twice and gradients add up. Re-create x first "
                        "(run the exercise cell again).")
    else:
        say(np.allclose(got, expected),
            ok="Correct! x.grad = v * 2x = [2, 0, -6]: the Jacobian of y = x^2 is diagonal (each y_i depends on x_i "
               "only), so v^T J multiplies each 2x_i by v_i.",
            hint=f"Expected v * 2x = {expected.tolist()}, got {got.tolist()}. Make y = x ** 2, then one "
                 "y.backward(gradient=v).")


SOLUTIONS = {
    "partials_by_hand": """\
x_, y_ = 1.5, -2.0
answer = (2 * x_ * y_, x_**2 + 3)      # hold the other variable constant
check.partials_by_hand(answer)
""",
    "autograd_partials": """\
x = torch.tensor([0., 1., 2.], requires_grad=True)
y = torch.tensor([3., -1., 0.5], requires_grad=True)
g = (x.sin() * y).sum()
g.backward()
print(x.grad, y.grad)
answer = (x, y)                        # the checker reads x.grad and y.grad
check.autograd_partials(answer)
""",
    "chain_rule_step": """\
answer = (-1, 3 * 3**2)      # e subtracts y**3; d(y^3)/dy = 3y^2 at y = 3
check.chain_rule_step(answer)
""",
    "vector_jacobian_product": """\
x = torch.tensor([1., 2., 3.], requires_grad=True)
v = torch.tensor([1., 0., -1.])
y = x ** 2
y.backward(gradient=v)       # x.grad = v * 2x: the Jacobian is diagonal, J_ii = 2 x_i
print(x.grad)
answer = x                   # the checker reads x.grad
check.vector_jacobian_product(answer)
""",
}

solution = solution_function(__name__, SOLUTIONS)
