"""keep_values(): record every value for drawing, so a lesson's graphs show every box's number.

Outside a lesson, a result nothing holds any more is freed, and its box in a drawing says "not
kept". While keep_values() is on, each operation's result (its value if small, its shape and dtype
always) and the constants it was given are copied when the operation runs, and the gradient that
reaches each result during backward is added up as retain_grad() would: drawings then show a value
and, after backward, a gradient on every box, as micrograd's drawings do.

>>> import minigrad
>>> from minigrad import viz
>>> with viz.keep_values():
...     x = minigrad.tensor(2.0, requires_grad=True)
...     y = (x * 3 + 1) ** 2
>>> "not kept" in viz.draw(y, names={"x": x, "y": y}).source
False

For minigrad the records are kept in a dictionary keyed weakly by node (minigrad.autograd.graph.
observe_nodes); for PyTorch in each node's `metadata` dict (a torch.overrides.TorchFunctionMode sees
each operation). Either way the copies go when the graph goes, and no node points to its result.
"""
from __future__ import annotations

from ._graph import Library, loaded_libraries

_state = {"on": False}


def _switch(on: bool) -> None:
    _state["on"] = on
    for library in loaded_libraries():
        library.start_recording() if on else library.stop_recording()


def ensure_recording(library: Library) -> None:
    """Called when a library's tensor is drawn: PyTorch imported after keep_values() starts recording now."""
    if _state["on"]:
        library.start_recording()


def is_on() -> bool:
    return _state["on"]


class keep_values:
    """Keep every result's value (and gradient) for drawing: `keep_values()` on, `keep_values(False)` off.

        viz.keep_values()                  # on for the rest of the session (a lesson's set-up cell)
        with viz.keep_values(): ...        # on inside the block, as before afterwards
        viz.keep_values(False)             # off

    Call it after `import torch` when drawing PyTorch's graphs (else recording starts at the first
    drawing of a PyTorch tensor). Only what is computed while it is on has its values kept.
    """

    def __init__(self, on: bool = True) -> None:
        if not isinstance(on, bool):
            raise TypeError(f"keep_values(on): on must be True or False, got {type(on).__name__}")
        self._before = _state["on"]
        _switch(on)

    def __enter__(self) -> "keep_values":
        return self

    def __exit__(self, *exc) -> None:
        _switch(self._before)

    def __repr__(self) -> str:  # stable: shown when a set-up cell ends with viz.keep_values()
        return f"<minigrad.viz.keep_values: {'on' if _state['on'] else 'off'}>"


__all__ = ["keep_values"]
