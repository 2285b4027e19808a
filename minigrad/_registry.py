"""The op registry: which functions are Tensor methods and minigrad functions, and every op's node.

An op module says, next to the op, how it is reached: a function is decorated with
`tensor_method("name", ...)` (x.name(...); `function=True` adds minigrad.name(x, ...)), and a family
base class registers its members' methods from a class attribute (UnaryElementwise's `method`);
Tensor's own parts kept in other files (tensor_autograd.py, tensor_conversion.py) register with
`tensor_members`. `attach(Tensor)` runs once, at the end of minigrad/tensor.py, and sets each
registered function on Tensor as it is (then each one registered later, as it comes): calling x.exp()
costs what a hand-written method would, with no lookup in between. This module imports nothing of
minigrad, so any module may register whatever has been loaded before it.

Every Op subclass is listed in OPS as it is defined; `formulas()` gathers their formulas by node name
(what the backward stepper and docs/api.md show).

>>> import minigrad
>>> METHODS["exp"] is minigrad.Tensor.exp, "exp" in FUNCTIONS
(True, True)
>>> formulas()["ExpBackward0"]
'z = exp(a):  dz/da = exp(a)'
"""
from __future__ import annotations

from typing import Callable

METHODS: dict[str, Callable] = {}  # Tensor attribute name -> the function that is that method (self first)
FUNCTIONS: list[str] = []  # the names that are also minigrad.<name>(input, ...)
OPS: list[type] = []  # every built-in op class, in definition order


def tensor_method(*names: str, function: bool = False) -> Callable:
    """Register the decorated function as Tensor.<name> for each name (and minigrad.<name> for each
    name not starting with _ when function=True). The function itself becomes the method."""
    def register(fn: Callable) -> Callable:
        for name in names:
            add_method(name, fn, function and not name.startswith("_"))
        return fn
    return register


_attached: list = []  # the class attach() set the methods on (Tensor), once it has run


def add_method(name: str, fn: Callable, function: bool = False) -> None:
    if name in METHODS:
        raise RuntimeError(f"Tensor.{name} is registered twice")
    METHODS[name] = fn
    if function:
        FUNCTIONS.append(name)
    for cls in _attached:  # registered after attach (a module imported later): set it now
        _set(cls, name, fn)


_CLASS_ONLY = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__firstlineno__",
               "__static_attributes__", "__annotations__", "__slots__"}


def tensor_members(holder: type) -> type:
    """Register every member of class `holder` (methods, properties, dunders) as a Tensor member of the
    same name: a part of Tensor written as a class of its own, in its own module."""
    for name, member in vars(holder).items():
        if name not in _CLASS_ONLY:
            add_method(name, member)
    return holder


def attach(cls: type) -> None:
    """Set every registered method on `cls` (Tensor), and any registered later as it comes (whichever
    module Python happens to load first). A name Tensor defines itself is an error: one place per method."""
    for name, fn in METHODS.items():
        _set(cls, name, fn)
    _attached.append(cls)


def _set(cls: type, name: str, fn: Callable) -> None:
    if name in vars(cls):
        raise RuntimeError(f"Tensor.{name} is both defined in the class and registered by an op module")
    setattr(cls, name, fn)


def formulas() -> dict[str, str]:
    """{node name: its formula as text} for every op that states one (the stepper's and the docs' table)."""
    table: dict[str, str] = {}
    for op in OPS:
        given = {op.node_name: op.formula, **op.node_formulas} if op.formula else dict(op.node_formulas)
        for name, text in given.items():
            if table.setdefault(name, text) != text:
                raise RuntimeError(f"two formulas for {name}: {table[name]!r} and {text!r}")
    return table


def elementwise_nodes() -> set[str]:
    """The node names whose local derivative is one number per element (the stepper shows it)."""
    names: set[str] = set()
    for op in OPS:
        if op.elementwise:
            names.add(op.node_name)
    return names
