"""Printing tensors: the exact text PyTorch prints, with `minigrad.` where it says `torch.`.

Notebooks written for minigrad show their outputs next to PyTorch's, so `repr` has to match
character for character: the same precision, alignment, line breaks, `...` summaries and suffixes.

>>> import numpy as np
>>> print(format_tensor(np.ones((2, 4), np.float32), "float32", ["requires_grad=True"]))
tensor([[1., 1., 1., 1.],
        [1., 1., 1., 1.]], requires_grad=True)
>>> print(format_tensor(np.array([1.0, 2.5]), "float64"))
tensor([1.0000, 2.5000], dtype=minigrad.float64)

How PyTorch decides what to print (its defaults; `set_printoptions` changes them):

* Every element of a tensor is written in one shared style, chosen from the finite non-zero
  elements that will be shown: scientific (`1.0000e-05`) when the largest is more than 1000
  times the smallest, above 1e8 or below 1e-4; otherwise `1.` when all are whole numbers,
  otherwise fixed-point with 4 decimals (`0.5000`).
* Elements are right-aligned to a common width, and rows wrap to fit 80 characters.
* Above 1000 elements only the first and last 3 items of each dimension are shown, with `...`.
* float32 (the default dtype), int64 and bool print no dtype; float64 prints `dtype=...`.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any, Iterator, Sequence

import numpy as np

__all__ = ["format_tensor", "set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4  # digits after the decimal point
    threshold: float = 1000  # summarize tensors with more elements than this
    edgeitems: int = 3  # items kept at each end of a summarized dimension
    linewidth: int = 80  # characters per line before values wrap
    sci_mode: "bool | None" = None  # None: choose scientific notation from the values


_OPTIONS = _PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision: "int | None" = None, threshold: "float | None" = None,
                     edgeitems: "int | None" = None, linewidth: "int | None" = None,
                     profile: "str | None" = None, sci_mode: "bool | None" = None) -> None:
    """Change how tensors print, like `torch.set_printoptions` (same arguments, same order).

    >>> set_printoptions(precision=2)
    >>> print(format_tensor(np.array([1.12345], np.float32), "float32"))
    tensor([1.12])
    >>> set_printoptions(profile="default")

    As in PyTorch, `sci_mode` is reset to None (automatic) by any call that does not pass it.
    """
    if profile is not None:
        for name, value in _PROFILES[profile].items():
            setattr(_OPTIONS, name, value)
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            setattr(_OPTIONS, name, value)
    _OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for `set_printoptions`."""
    return dataclasses.asdict(_OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Use other print options inside a `with` block only."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ---------------------------------------------------------------- the whole repr

_PREFIX = "tensor("
_DTYPES = ("float32", "float64", "int64", "bool")
_QUIET_DTYPES = ("float32", "int64", "bool")  # PyTorch infers these from the printed values


def format_tensor(array: np.ndarray, dtype_name: str, extras: Sequence[str] = ()) -> str:
    """PyTorch's `repr` of a tensor holding `array` as `dtype_name`, followed by `extras`.

    `extras` are finished suffixes such as "requires_grad=True" or "grad_fn=<SumBackward0>".

    >>> format_tensor(np.array(3.0, np.float32), "float32", ["grad_fn=<SumBackward0>"])
    'tensor(3., grad_fn=<SumBackward0>)'
    >>> format_tensor(np.zeros((0, 3), np.float32), "float32")
    'tensor([], size=(0, 3))'
    """
    if dtype_name not in _DTYPES:
        raise ValueError(f"cannot print dtype {dtype_name!r}; expected one of {_DTYPES}")
    array = np.asarray(array).astype(dtype_name, copy=False)
    if isinstance(extras, str):  # one suffix passed on its own, not a list of characters
        extras = [extras]
    indent = len(_PREFIX)
    suffixes = []
    if array.size == 0:
        body = "[]"
        if array.ndim != 1:  # `[]` alone reads as shape (0,); any other shape is spelled out
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype_name != "float32":  # no values to tell an int or bool tensor from a float one
            suffixes.append(f"dtype=minigrad.{dtype_name}")
    else:
        if not _OPTIONS.edgeitems:  # nothing but `...` is shown, so the shape is given instead
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype_name not in _QUIET_DTYPES:
            suffixes.append(f"dtype=minigrad.{dtype_name}")
        body = _values_str(array, dtype_name, indent)
    return _add_suffixes(_PREFIX + body, [*suffixes, *extras], indent)


def _add_suffixes(text: str, suffixes: Sequence[str], indent: int) -> str:
    """Append `, suffix` to the last line, or start a new line when it would get too long."""
    # PyTorch measures the last line as two characters longer than it really is, so suffixes
    # move to their own line a little early; we count the same way to print the same text.
    line_length = len(text) - text.rfind("\n") + 1
    parts = [text]
    for suffix in suffixes:
        # Lines break where PyTorch breaks them, so measure "dtype=torch.float64", the suffix
        # PyTorch prints, rather than the three characters longer "dtype=minigrad.float64".
        length = len(suffix.replace("dtype=minigrad.", "dtype=torch."))
        if line_length + length + 2 > _OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_length = indent + length
        else:
            parts.append(", " + suffix)
            line_length += length + 2
    return "".join(parts) + ")"


# ---------------------------------------------------------------- the values

def _values_str(array: np.ndarray, dtype_name: str, indent: int) -> str:
    """The bracketed values of a non-empty array, e.g. `[[1., 2.],\\n        [3., 4.]]`."""
    summarize = array.size > _OPTIONS.threshold
    # The style and width come only from the elements that will be shown: a hidden huge value
    # in the middle of a summarized tensor does not switch the rest to scientific notation.
    element = _ElementFormat(_shown_part(array, summarize), dtype_name in ("float32", "float64"))
    return _nested_str(array, indent, summarize, element)


def _kept_indices(length: int, summarize: bool) -> "tuple[list[int], bool, list[int]]":
    """Which items of a dimension are printed: (head, whether `...` follows, tail)."""
    edge = _OPTIONS.edgeitems
    if summarize and length > 2 * edge:
        return list(range(edge)), True, list(range(length - edge, length))
    return list(range(length)), False, []


def _shown_part(array: np.ndarray, summarize: bool) -> np.ndarray:
    """The elements that will be printed, with the summarized-away ones dropped."""
    for axis, length in enumerate(array.shape):
        head, cut, tail = _kept_indices(length, summarize)
        if cut:
            array = np.take(array, head + tail, axis=axis)
    return array


def _nested_str(array: np.ndarray, indent: int, summarize: bool, element: "_ElementFormat") -> str:
    """Brackets within brackets; `indent` is the column of this level's opening bracket."""
    if array.ndim == 0:
        return element.format(array.item())
    head, cut, tail = _kept_indices(array.shape[0], summarize)
    if array.ndim == 1:
        return _row_str(array, head, cut, tail, indent, element)
    rows = [_nested_str(array[i], indent + 1, summarize, element) for i in head]
    if cut:
        rows.append("...")
    rows += [_nested_str(array[i], indent + 1, summarize, element) for i in tail]
    # Sub-arrays start on a new line, under the first one; 3-D and up also get blank lines
    # between blocks, one more for each extra dimension.
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _row_str(row: np.ndarray, head: list[int], cut: bool, tail: list[int],
             indent: int, element: "_ElementFormat") -> str:
    """One innermost dimension, wrapped so that each line holds as many elements as fit."""
    items = [element.format(value) for value in row[head].tolist()]
    if cut:
        # Between values the dots take one more space (" ...", filling lines like an element);
        # with edgeitems=0 they stand alone.
        items.append(" ..." if head else "...")
    items += [element.format(value) for value in row[tail].tolist()]
    # Each element takes its width plus ", ". The width is that of the widest finite value, so
    # a wider "nan" or "-0." can make a line run a little past linewidth, as in PyTorch.
    per_line = max(1, (_OPTIONS.linewidth - indent) // (element.width + 2))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


class _ElementFormat:
    """How each element of one tensor is written: a shared style and a right-aligned width."""

    def __init__(self, shown: np.ndarray, is_float: bool) -> None:
        self.is_float = is_float
        self.scientific = False
        self.whole_numbers = True
        self.width = 1
        if not is_float:  # ints and bools print as Python prints them
            for value in shown.reshape(-1).tolist():
                self.width = max(self.width, len(str(value)))
            return
        # nan, inf and zeros say nothing about the scale of the data, so only the finite
        # non-zero values choose the style and the width.
        values = shown[np.isfinite(shown) & (shown != 0)]
        if values.size == 0:
            return  # all zeros or non-finite: print like whole numbers, `0.`, `nan`
        self.whole_numbers = bool(np.all(values == np.ceil(values)))
        magnitudes = np.abs(values).astype(np.float64)
        smallest, largest = magnitudes.min(), magnitudes.max()
        if _OPTIONS.sci_mode is None:
            with np.errstate(over="ignore"):  # 1e308 / 5e-324 is inf, which is simply "> 1000"
                spread = largest / smallest
            self.scientific = bool(spread > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
        else:
            self.scientific = _OPTIONS.sci_mode
        for value in values.tolist():
            self.width = max(self.width, len(self._text(value)))

    def _text(self, value: "float | int | bool") -> str:
        """`value` in this tensor's style, before alignment."""
        if not self.is_float:
            return str(value)
        digits = _OPTIONS.precision
        if self.scientific:
            return f"{value:.{digits}e}"
        if self.whole_numbers:
            # The trailing point marks a float tensor ("1." rather than "1"); nan and inf
            # are already unmistakably floats.
            return f"{value:.0f}" + ("." if math.isfinite(value) else "")
        return f"{value:.{digits}f}"

    def format(self, value: "float | int | bool") -> str:
        """`value` written in this tensor's style and right-aligned to the common width."""
        return self._text(value).rjust(self.width)
