"""The classifier itself, on programs whose outcome is known: a check that cannot fail is no check."""
from __future__ import annotations

import numpy as np
import pytest

from .runner import CLEAR, DIFFERENT, FALSE_ERROR, LEAK, MISSING, SAME, VALUE, Case, compare, error_kind

torch = pytest.importorskip("torch")


def _outcome(program, mode="forward"):
    return compare(Case("test", "t", "", lambda T, ctx: program(T), mode), torch).kind


def test_same_values_and_same_errors_are_same():
    assert _outcome(lambda T: T.tensor([1.0, 2.0]) * 2) == SAME
    assert _outcome(lambda T: T.ones(2, 3).view(7)) in (SAME, CLEAR)


def test_a_different_value_dtype_or_flag_is_silently_different():
    assert _outcome(lambda T: T.tensor([1.0, 2.0]) * (2 if T is torch else 3)) == DIFFERENT
    assert _outcome(lambda T: T.tensor([1.0], dtype=T.float64 if T is torch else T.float32)) == DIFFERENT
    assert _outcome(lambda T: T.tensor([1.0], requires_grad=T is torch)) == DIFFERENT


def test_errors_are_sorted_by_who_raised_them():
    def numpy_inside(T):
        if T is torch:
            raise RuntimeError("shapes differ")
        return np.ones(2) + np.ones(3)  # NumPy's own ValueError

    def missing(T):
        return T.ones(2).no_such_method()

    def false_error(T):
        if T is torch:
            return T.ones(2)
        raise RuntimeError("refused")  # as if minigrad refused

    assert _outcome(numpy_inside) == LEAK
    assert _outcome(lambda T: T.ones(2) if T is not torch else T.ones(2).view(3)) == VALUE
    assert _outcome(lambda T: missing(T) if T is not torch else T.ones(2)) == MISSING
    assert _outcome(false_error) in (FALSE_ERROR, LEAK)


def test_python_internal_errors_are_leaks():
    try:
        1 / 0
    except ZeroDivisionError as exc:
        assert error_kind(exc) == "leak"


def test_gradients_are_compared():
    # The same ops and forward values on both sides; only the derivative differs when c differs.
    def program(c_torch, c_minigrad):
        def run(T, ctx):
            x = ctx.tensor((2,), "float64", requires_grad=True)
            c = c_torch if T is torch else c_minigrad
            return x * 2 + (x * c - (x * c).detach())
        return run

    assert compare(Case("test", "t", "", program(1.0, 1.0), "backward"), torch).kind == SAME
    assert compare(Case("test", "t", "", program(1.0, 3.0), "forward"), torch).kind == SAME
    assert compare(Case("test", "t", "", program(1.0, 3.0), "backward"), torch).kind == DIFFERENT


def test_every_allow_list_entry_cites_a_paragraph_that_is_still_there():
    import pathlib

    from .allow import ALLOWED
    doc = pathlib.Path(__file__).resolve().parents[2].joinpath("docs", "architecture.md").read_text()
    on_purpose = doc[doc.index("## Where minigrad differs from PyTorch, on purpose"):]
    for entry in ALLOWED:
        assert " ".join(entry.paragraph.split()) in " ".join(on_purpose.split()), entry.paragraph
