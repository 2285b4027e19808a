"""Grad mode: a switch that says whether new operations are recorded in the graph.

>>> import minigrad
>>> x = minigrad.ones(2, requires_grad=True)
>>> with minigrad.no_grad():
...     y = x * 2
>>> y.requires_grad
False
"""
from __future__ import annotations

import functools
import inspect
import threading
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

class _GradState(threading.local):
    enabled = True  # every thread starts with recording on


_state = _GradState()  # one switch per thread, as in PyTorch


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded."""
    return _state.enabled


def _set_enabled(mode: bool) -> None:
    _state.enabled = bool(mode)


class _GradMode:
    """Base of the three switches: a context manager that is also a decorator."""

    mode: bool = True

    def __enter__(self) -> None:
        self._previous = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc) -> None:
        _set_enabled(self._previous)

    def __call__(self, func: F) -> F:
        mode = self.mode
        if inspect.isgeneratorfunction(func):
            return _generator_in_mode(func, mode)  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = is_grad_enabled()
            _set_enabled(mode)
            try:
                return func(*args, **kwargs)
            finally:
                _set_enabled(previous)
        return wrapper  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"minigrad.{type(self).__name__}()"


def _generator_in_mode(func, mode: bool):
    """A decorated generator function runs in `mode` each time it resumes (not only when it is made), and
    its caller's mode is back between items, as PyTorch does: `next(gen)` under a decorated no_grad."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gen = func(*args, **kwargs)
        to_send = None
        while True:
            previous = is_grad_enabled()
            _set_enabled(mode)
            try:
                item = gen.send(to_send)
            except StopIteration as stop:
                return stop.value
            finally:
                _set_enabled(previous)
            to_send = yield item
    return wrapper


class _BareDecorator(_GradMode):
    """A switch that may also decorate without parentheses: `@no_grad` as well as `@no_grad()`."""

    def __new__(cls, func: F | None = None):
        switch = super().__new__(cls)
        return switch if func is None else switch(func)


class no_grad(_BareDecorator):
    """Do not record operations inside this block (or decorated function).

    Use it for updates of parameters and for values you compute only to look at, such as a
    gradient derived by hand. Tensors made inside have requires_grad=False.
    """

    mode = False


class enable_grad(_BareDecorator):
    """Record operations again inside a `no_grad` block."""

    mode = True


class set_grad_enabled(_GradMode):
    """Turn recording on or off: as a function call, a context manager or a decorator.

    >>> import minigrad
    >>> with minigrad.set_grad_enabled(False):
    ...     minigrad.is_grad_enabled()
    False
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        # Called as a plain function, it switches at once, as PyTorch's does.
        self._previous = is_grad_enabled()
        _set_enabled(self.mode)

    def __enter__(self) -> None:
        _set_enabled(self.mode)

    def __call__(self, func: F) -> F:
        _set_enabled(self._previous)  # used as a decorator: switch only while func runs
        return super().__call__(func)

    def __repr__(self) -> str:
        return f"minigrad.set_grad_enabled({self.mode})"
