"""Ways to make tensors: from data, filled with a value, random, or a range.

>>> import minigrad
>>> minigrad.tensor([[1, 2], [3, 4]]).dtype
minigrad.int64
>>> minigrad.ones(2, 3).shape
minigrad.Size([2, 3])
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _dtype
from ._random import Generator
from .tensor import Tensor, _sizes


# Seeded at import, so a script that never calls manual_seed still gives the same numbers every run.
default_generator = Generator(0)


def manual_seed(seed: int) -> Generator:
    """Seed the random numbers of rand, randn, randint and nn's initialisation.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0); a = minigrad.rand(2)
    >>> _ = minigrad.manual_seed(0); b = minigrad.rand(2)
    >>> minigrad.equal(a, b)
    True
    """
    if not -2 ** 63 <= int(seed) < 2 ** 64:  # PyTorch's range: a signed or an unsigned 64-bit seed
        raise ValueError("Overflow when unpacking long long")
    return default_generator.manual_seed(seed)


def get_default_dtype() -> _dtype.dtype:
    """The dtype of tensors made from Python floats: minigrad.float32."""
    return _dtype.default_float


def _not_implemented(kernel: str, dt) -> NotImplementedError:
    names = {"bool": "Bool", "int64": "Long", "float32": "Float", "float64": "Double"}  # PyTorch's names
    return NotImplementedError(f"\"{kernel}\" not implemented for '{names[dt.name]}'")


def initial_seed() -> int:
    return default_generator.initial_seed()


def _finish(array: np.ndarray, dtype, requires_grad: bool, name: str = "tensor") -> Tensor:
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(f"{name}(): argument 'requires_grad' must be bool, not {type(requires_grad).__name__}")
    dt = _dtype.resolve(dtype)
    if dt is not None and array.dtype != dt.numpy:
        array = array.astype(dt.numpy)
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    t = Tensor._make(array)
    if requires_grad:
        t.requires_grad = True  # checks the dtype, with PyTorch's message
    return t


def tensor(data: Any, dtype=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (a number, nested lists, a NumPy array or a tensor).

    Python floats become float32 and ints int64, as in PyTorch; NumPy arrays keep their dtype.

    >>> import minigrad
    >>> minigrad.tensor([1.0, 2.0], requires_grad=True)
    tensor([1., 2.], requires_grad=True)
    """
    if isinstance(data, Tensor):
        array = data._data.copy()
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, dtype=_dtype.from_numpy(data.dtype).numpy)
    else:
        if isinstance(data, (list, tuple)):
            data, inferred = _numbers_inside(data, dtype)
            dtype = dtype if dtype is not None else inferred
        try:
            array = np.array(data)
        except ValueError:
            raise ValueError(_ragged(data)) from None
        except OverflowError:  # NumPy's own words for an integer beyond even uint64
            array = np.array(data, dtype=object)
        if array.dtype.kind in "uO" or (array.dtype.kind == "f" and array.size and np.abs(array).max() >= 2.0 ** 63):
            array = _python_numbers(data, array, dtype)
        if array.dtype.kind == "f":
            if dtype is None:  # with a dtype, _finish casts once: no rounding through float32 first
                array = array.astype(_dtype.default_float.numpy)
        elif array.dtype.kind in "iu":
            array = array.astype(np.int64)
        elif array.dtype.kind != "b":
            if array.dtype.kind in "US":  # PyTorch's words: a string is not data
                raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
            leaf = _first_not_number(data)  # PyTorch names the item it could not read, not the list
            if dtype is not None:
                raise TypeError(f"must be real number, not {type(leaf).__name__}")
            raise RuntimeError(f"Could not infer dtype of {type(leaf).__name__}")
    return _finish(array, dtype, requires_grad)


_WIDER = (_dtype.bool_, _dtype.int64, _dtype.float32, _dtype.float64)  # the order in which dtypes promote


def _numbers_inside(data: list | tuple, dtype) -> tuple[Any, Any]:
    """Nested lists holding tensors or NumPy values, read as PyTorch reads them: a tensor is one number
    (`tensor([tensor(1.), 2.])` is [1., 2.]; a tensor of several numbers is PyTorch's error), and each
    tensor or NumPy value counts with its own dtype: `tensor([np.float64(1), 2])` is float64.
    Returns the data with the tensors replaced by numbers, and the dtype so inferred (None: plain lists)."""
    found, inferred = _item_dtypes(data)
    if not found:
        return data, None
    floating = (_dtype.resolve(dtype) or inferred or _dtype.default_float).is_floating_point
    rebuilt: list = []
    todo = [(data, rebuilt)]
    while todo:  # copy the nesting, replacing each tensor by its number
        source, target = todo.pop()
        for item in source:
            if isinstance(item, (list, tuple)):
                target.append([])
                todo.append((item, target[-1]))
            else:
                target.append(_one_number(item, floating))
    return rebuilt, inferred


def _item_dtypes(data: list | tuple) -> tuple[bool, Any]:
    """(whether the nested lists hold a tensor or a NumPy value, the widest dtype of their items or None)."""
    kinds, found, todo = [], False, [data]
    while todo:  # (a loop, not recursion, over the nested lists)
        item = todo.pop()
        if isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, (Tensor, np.ndarray, np.generic)):
            found = True
            kinds.append(item.dtype if isinstance(item, Tensor) else _dtype.from_numpy(item.dtype))
        else:
            kinds.append(_dtype.bool_ if isinstance(item, bool) else _dtype.int64 if isinstance(item, int)
                         else _dtype.default_float if isinstance(item, float) else None)
    known = [k for k in kinds if k is not None]
    return found, (max(known, key=_WIDER.index) if known else None)


def _one_number(item, floating: bool):
    """An item of nested lists as the number PyTorch reads: a tensor gives its one number."""
    # Reading integers, PyTorch asks each tensor (and NumPy float32) for an integer index, which only a
    # one-number integer tensor gives; reading floats, it asks for one number. Its words for each.
    if not floating and isinstance(item, np.floating) and not isinstance(item, float):
        raise TypeError(f"'numpy.{type(item).__name__}' object cannot be interpreted as an integer")
    if not isinstance(item, Tensor):
        return item
    if item.numel() != 1 or not (floating or item.dtype in (_dtype.int64, _dtype.bool_)):
        if floating:
            raise ValueError("only one element tensors can be converted to Python scalars")
        raise TypeError("only integer tensors of a single element can be converted to an index")
    return item.item()


def _first_not_number(data: Any) -> Any:
    """The first item of nested lists that is not a number (`data` itself when it is no list)."""
    todo = [data]
    while todo:  # (a loop, not recursion, in the order PyTorch reads the items)
        item = todo.pop(0)
        if isinstance(item, (list, tuple)):
            todo[:0] = item
        elif not isinstance(item, (int, float, bool, np.number, np.bool_, Tensor)):
            return item
    return data


def _ragged(data) -> str:
    """PyTorch's words for nested lists whose rows differ in length (the first row sets each length)."""
    shape, first = [], data
    while isinstance(first, (list, tuple)):
        shape.append(len(first))
        first = first[0] if first else None
    todo = [(data, 0)]
    while todo:  # (a loop, not recursion, over the nested lists)
        item, depth = todo.pop(0)
        if depth < len(shape):
            length = len(item) if isinstance(item, (list, tuple)) else None
            if length != shape[depth]:
                got = length if length is not None else type(item).__name__
                return f"expected sequence of length {shape[depth]} at dim {depth} (got {got})"
            todo.extend((sub, depth + 1) for sub in item)
        elif isinstance(item, (list, tuple)):
            return f"too many dimensions at dim {depth}: a sequence where a number was expected"
    return "tensor(): the nested lists are ragged (rows of different lengths)"


def _python_numbers(data: Any, array: np.ndarray, dtype) -> np.ndarray:
    """NumPy's array of Python numbers where some integer lies beyond int64 (NumPy then picks uint64, object
    or float64): PyTorch reads such data as int64 unless a float is among it or a dtype is given, and an
    integer that does not fit int64 is its ValueError."""
    numbers, todo = [], [data]
    while todo:  # (a loop, not recursion, over the nested lists)
        item = todo.pop()
        if isinstance(item, (list, tuple)):
            todo.extend(item)
        else:
            numbers.append(item)
    if not all(isinstance(n, (int, float)) for n in numbers):
        return array  # not numbers: tensor() says it cannot infer a dtype
    floating = dtype is not None and _dtype.resolve(dtype).is_floating_point
    if not floating and not any(isinstance(n, float) for n in numbers):
        if any(isinstance(n, int) and not -2 ** 63 <= n < 2 ** 63 for n in numbers):
            raise ValueError("Overflow when unpacking long long")
        return array.astype(np.int64)
    return array.astype(np.float64)


def as_tensor(data: Any, dtype=None) -> Tensor:
    """Like `tensor`, but returns `data` itself when it is already a tensor of that dtype."""
    if isinstance(data, Tensor):  # the tensor itself, or in the dtype asked for (tracked, as PyTorch's .to)
        return data if dtype is None else data.to(dtype)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array (of float32, float64, int64 or bool: the dtypes minigrad has)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    if array.dtype not in (np.float32, np.float64, np.int64, np.bool_):
        raise TypeError(f"from_numpy(): minigrad has no dtype {array.dtype} to share this array's memory with; "
                        f"use minigrad.tensor(array) for a copy, or convert it with array.astype(...) to float32, "
                        f"float64, int64 or bool")
    return Tensor(array)


def _whole(value, name: str, argument: str) -> int:
    """A whole-number argument such as randint's high: an int, a NumPy integer or a 0-dim integer tensor
    (PyTorch takes each), never a bool or a float (PyTorch refuses those rather than round them)."""
    if isinstance(value, Tensor) and value.ndim == 0 and value.dtype is _dtype.int64:
        return int(value.item())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}(): argument '{argument}' must be int, not {type(value).__name__}")
    return int(value)


def _shape(size: tuple) -> tuple:
    """The size of a new tensor, given as f(2, 3) or f((2, 3)): whole numbers (0-dim integer tensors
    too, as PyTorch takes them), none negative."""
    shape = tuple(int(s.item()) if isinstance(s, Tensor) and s.ndim == 0 and s.dtype is _dtype.int64 else s
                  for s in _sizes(size))
    for s in shape:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"the size of a tensor is whole numbers, e.g. (2, 3); got {type(s).__name__} in {shape!r}")
    if any(s < 0 for s in shape):
        negative = next(s for s in shape if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: {list(shape)}")
    return tuple(int(s) for s in shape)


def _given(sizes: tuple, size, name: str) -> tuple:
    """The size given as f(2, 3), f((2, 3)) or f(size=(2, 3)), as PyTorch accepts it (and refuses none:
    f() is no 0-dim tensor, f(()) is)."""
    if size is None:
        if not sizes:
            raise TypeError(_NO_SIZE.get(name) or f'{name}() missing 1 required positional arguments: "size"')
        return sizes
    if sizes:
        raise TypeError("give the size once: f(2, 3), f((2, 3)) or f(size=(2, 3))")
    return (size,)


# PyTorch's words for rand() and randn() without a size (its overloads of the two, listed)
_NO_SIZE = {name: (f"{name}() received an invalid combination of arguments - got (), but expected one of:\n"
                   " * (tuple of ints size, *, minigrad.Generator generator, Tensor out = None, minigrad.dtype dtype = "
                   "None, minigrad.layout layout = None, minigrad.device device = None, bool pin_memory = False, bool "
                   "requires_grad = False)\n"
                   " * (tuple of ints size, *, Tensor out = None, minigrad.dtype dtype = None, minigrad.layout layout = "
                   "None, minigrad.device device = None, bool pin_memory = False, bool requires_grad = False)\n")
            for name in ("rand", "randn")}


def _filled(size: tuple, value, dtype, requires_grad: bool) -> Tensor:
    if isinstance(value, Tensor) and value.ndim == 0:
        value = value.item()
    if not isinstance(value, (int, float, bool, np.number, np.bool_)):
        raise TypeError(f"full(): argument 'fill_value' must be Number, not {type(value).__name__}")
    dt = _dtype.resolve(dtype) or (_dtype.default_float if isinstance(value, float) else
                                   _dtype.bool_ if isinstance(value, bool) else _dtype.int64)
    if dt is _dtype.int64 and isinstance(value, (float, np.floating)) and not -2.0 ** 63 <= value < 2.0 ** 63:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")  # (nan and inf too)
    return _finish(np.full(_shape(size), value, dtype=dt.numpy), None, requires_grad)


def zeros(*sizes, size=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros, float32 unless `dtype` says otherwise."""
    return _filled(_given(sizes, size, "zeros"), 0.0, dtype, requires_grad)


def ones(*sizes, size=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones, float32 unless `dtype` says otherwise.

    >>> import minigrad
    >>> minigrad.ones(2, 4, requires_grad=True)
    tensor([[1., 1., 1., 1.],
            [1., 1., 1., 1.]], requires_grad=True)
    """
    return _filled(_given(sizes, size, "ones"), 1.0, dtype, requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` (a tuple) filled with `fill_value`, of its dtype unless `dtype` says otherwise."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    return _filled(tuple(size), fill_value, dtype, requires_grad)


def empty(*sizes, size=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Like zeros (NumPy's uninitialised memory would make outputs differ between runs)."""
    return zeros(*_given(sizes, size, "empty"), dtype=dtype, requires_grad=requires_grad)


def empty_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    """Like zeros_like (see empty: the same output on every run)."""
    return zeros(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def zeros_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return zeros(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return ones(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    return full(t.shape, fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad)


def rand(*sizes, size=None, dtype=None, requires_grad: bool = False,
         generator: Generator | None = None) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    shape = _shape(_given(sizes, size, "rand"))  # (the size is checked first, as in PyTorch)
    dt = _dtype.resolve(dtype) or _dtype.default_float
    if not dt.is_floating_point:
        raise _not_implemented("check_uniform_bounds", dt)
    return _finish((generator or default_generator).uniform(shape, 0.0, 1.0, dt.numpy.name), None, requires_grad)


def randn(*sizes, size=None, dtype=None, requires_grad: bool = False,
          generator: Generator | None = None) -> Tensor:
    """Standard normal random numbers (mean 0, standard deviation 1)."""
    shape = _shape(_given(sizes, size, "randn"))
    dt = _dtype.resolve(dtype) or _dtype.default_float
    if not dt.is_floating_point and np.prod(shape) > 0:  # (PyTorch runs no kernel, so no check, for 0 numbers)
        raise _not_implemented("normal_kernel_cpu", dt)
    return _finish((generator or default_generator).normal(shape, 0.0, 1.0, dt.numpy.name), None, requires_grad)


def _in_memory_order(t: Tensor, make) -> Tensor:
    """make(shape, permuted) filled in t's memory order, as PyTorch's *_like do (preserve_format): for a
    transposed t the random numbers run down its columns. A t whose memory is not one dense block is
    filled row by row."""
    order = sorted(range(t.ndim), key=lambda d: -t._data.strides[d])  # outermost dimension in memory first
    if order == list(range(t.ndim)) or not np.transpose(t._data, order).flags.c_contiguous:
        return make(t.shape, False)
    made = make(tuple(t.shape[d] for d in order), True)
    return _finish(np.transpose(made._data, np.argsort(order)), None, made.requires_grad)


def rand_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return _in_memory_order(t, lambda shape, _: rand(shape, dtype=dtype or t.dtype, requires_grad=requires_grad))


def randn_like(t: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    dt = _dtype.resolve(dtype) or t.dtype
    if not dt.is_floating_point and t.numel() > 0:
        raise _not_implemented("normal_kernel_cpu", dt)

    def make(shape, permuted):  # (a permuted result is not contiguous: PyTorch fills it pair by pair)
        values = default_generator.normal(shape, 0.0, 1.0, dt.numpy.name, serial=permuted)
        return _finish(values, None, requires_grad)
    return _in_memory_order(t, make)


def randint(low: int = 0, high: int | None = None, size: tuple | None = None, *, dtype=None,
            generator: Generator | None = None, requires_grad: bool = False) -> Tensor:
    """Random integers in [low, high): randint(high, size) or randint(low, high, size), as in PyTorch.

    >>> import minigrad
    >>> minigrad.randint(5, (4,)).shape
    minigrad.Size([4])
    """
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=...)
        low, high = 0, low
    low, high = _whole(low, "randint", "low"), _whole(high, "randint", "high")
    for i, s in enumerate(size if isinstance(size, (tuple, list)) else ()):
        if isinstance(s, (tuple, list)):  # (the other creators take f((2, 3)); randint's size is one tuple)
            raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos {i}")
    if size is None:
        raise TypeError("randint() missing the size: call randint(high, size) or randint(low, high, size), "
                        "e.g. randint(10, (3,))")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _finish((generator or default_generator).randint(low, high, _shape(size)), dtype, requires_grad, "randint")


def randperm(n: int, dtype=None, generator: Generator | None = None) -> Tensor:
    """0, 1, ..., n - 1 in a random order."""
    n = _whole(n, "randperm", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    return _finish((generator or default_generator).randperm(int(n)), dtype, False)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """Numbers from start (default 0) up to, not including, end: int64 unless one of them is a float.

    >>> import minigrad
    >>> minigrad.arange(4)
    tensor([0, 1, 2, 3])
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign: arange({start}, {end}, {step}) "
                           "would be empty going the wrong way; swap the bounds or flip the step's sign")
    floats = any(isinstance(v, float) for v in (start, end, step))
    dt = _dtype.resolve(dtype) or (_dtype.default_float if floats else _dtype.int64)
    if dt is _dtype.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    return _finish(np.arange(start, end, step, dtype=np.float64 if floats else np.int64), dt, requires_grad)


def linspace(start: float, end: float, steps: int, dtype=None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced numbers from start to end, both included."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"linspace(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    return _finish(np.linspace(start, end, steps), dtype or _dtype.default_float, requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m), dtype or _dtype.default_float, requires_grad)
