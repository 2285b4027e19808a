"""Inference mode: PyTorch's stricter no_grad, for code that will never be differentiated (evaluation).

What minigrad keeps of it: inside `inference_mode()` recording is off (`is_grad_enabled()` is False,
results do not require grad) and `is_inference_mode_enabled()` is True; `inference_mode(False)` turns
both back (recording on, even inside no_grad, as PyTorch's does). It is a context manager and a
decorator (with or without parentheses), one switch per thread.

What it leaves out: PyTorch also marks every tensor made inside as an *inference tensor*
(`x.is_inference()`) and refuses to let one be saved for a backward later ("Inference tensors cannot be
saved for backward..."), be changed in place or get requires_grad outside the mode; and an
`enable_grad()` inside inference mode records nothing there. minigrad's tensors carry no such mark, so
those errors are not raised and enable_grad() inside records as usual: code that runs under minigrad's
inference_mode may fail under PyTorch's, never the other way round.

>>> import minigrad
>>> x = minigrad.ones(2, requires_grad=True)
>>> with minigrad.inference_mode():
...     y = x * 2
>>> y.requires_grad, minigrad.is_inference_mode_enabled()
(False, False)
"""
from __future__ import annotations

import functools
import inspect
import threading
from typing import Callable, TypeVar

from .autograd.grad_mode import _GradMode, _set_enabled, is_grad_enabled

F = TypeVar("F", bound=Callable)

__all__ = ["inference_mode", "is_inference_mode_enabled"]


class _InferenceState(threading.local):
    enabled = False  # every thread starts outside inference mode


_state = _InferenceState()


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()` (and not inside an `inference_mode(False)` within it).

    >>> import minigrad
    >>> minigrad.is_inference_mode_enabled()
    False
    """
    return _state.enabled


class inference_mode(_GradMode):
    """Turn inference mode on (mode=True, the default) or off: a context manager or a decorator.

    On: nothing is recorded, as under no_grad. Off: recording is on again. Unlike PyTorch, the tensors
    made inside are ordinary tensors (see minigrad/_inference.py for what that leaves out).

    >>> import minigrad
    >>> @minigrad.inference_mode()
    ... def evaluate(x):
    ...     return x * 2
    >>> evaluate(minigrad.ones(1, requires_grad=True)).requires_grad
    False
    """

    def __new__(cls, mode=True):
        # As PyTorch's: anything but a bool is the function of a bare @inference_mode.
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self._previous = (is_grad_enabled(), _state.enabled)
        # PyTorch's guard sets both switches: inference on means recording off, and the other way round.
        _set_enabled(not self.mode)
        _state.enabled = bool(self.mode)

    def __exit__(self, *exc) -> None:
        grad, _state.enabled = self._previous
        _set_enabled(grad)

    def clone(self) -> "inference_mode":
        """A new switch of the same mode (each call of a decorated function enters its own)."""
        return type(self)(self.mode)

    def __call__(self, func: F) -> F:
        if inspect.isgeneratorfunction(func):
            return _generator_in_inference_mode(func, self)  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper  # type: ignore[return-value]

    def __repr__(self) -> str:
        # A fixed text (PyTorch's default repr carries a memory address, which differs every run).
        return f"minigrad.inference_mode(mode={self.mode})"


def _generator_in_inference_mode(func, switch: inference_mode):
    """A decorated generator function runs in the mode each time it resumes, its caller's mode between items."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gen = func(*args, **kwargs)
        to_send = None
        while True:
            with switch.clone():
                try:
                    item = gen.send(to_send)
                except StopIteration as stop:
                    return stop.value
            to_send = yield item
    return wrapper
