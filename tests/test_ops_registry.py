"""One place per operation: the op definitions in minigrad/ops are what Tensor, minigrad, the backward
stepper and docs/api.md read, so none of them repeats an op's method, formula or node name."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import minigrad
from minigrad import ops
from minigrad import _registry
from minigrad.viz import stepper


def test_registered_methods_are_the_functions_themselves():
    # No wrapper between x.exp() and the op's code: the registry adds no call per use.
    assert len(_registry.METHODS) > 100
    for name, fn in _registry.METHODS.items():
        assert inspect.getattr_static(minigrad.Tensor, name) is fn, name
    assert minigrad.Tensor.__add__ is ops.add and minigrad.Tensor.__mul__ is ops.mul


def test_every_registered_function_is_a_minigrad_function():
    x = minigrad.tensor([0.5, 2.0])
    for name in _registry.FUNCTIONS:
        fn = getattr(minigrad, name)
        assert callable(fn) and f"x.{name}(" in fn.__doc__, name
    assert minigrad.exp(x).tolist() == x.exp().tolist()


def test_a_method_cannot_be_registered_twice_or_shadow_the_class():
    with pytest.raises(RuntimeError, match="registered twice"):
        _registry.add_method("exp", lambda x: x)

    class Holder:
        def exp(self):
            return 1

    saved = dict(_registry.METHODS)
    try:
        with pytest.raises(RuntimeError, match="both defined in the class"):
            _registry.attach(Holder)
    finally:
        assert _registry.METHODS == saved


def test_node_names_are_derived_unless_pytorch_differs():
    assert ops.Exp.node_name == "ExpBackward0" and "node_name" not in inspect.getsource(ops.Exp)
    assert ops.PowTensor.node_name == "PowBackward1"  # PyTorch's overload number, given explicitly
    names = [op.node_name for op in ops.OPS]
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    for y in (x.exp(), x.sum(), x.sum(0), x.mean(), x * x, x.view(2, 1)):
        assert y.grad_fn.name() in names or y.grad_fn.name() in {n for op in ops.OPS for n in op.node_formulas}


def test_the_stepper_and_the_api_page_read_the_op_formulas():
    assert stepper.FORMULAS == ops.formulas() and stepper.ELEMENTWISE == ops.elementwise_nodes()
    assert stepper.FORMULAS["ExpBackward0"] is ops.Exp.formula
    page = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text()
    for op in ops.OPS:
        assert f"- `{op.node_name}` (" in page, op.node_name
        if op.formula:
            assert f": {op.formula}" in page, op.node_name


def test_every_op_states_its_derivative_and_formula_where_it_has_one():
    rule = re.compile(r"d\w*/d\w+|[Tt]he gradient|the gradient's")
    for op in ops.OPS:
        assert rule.search(op.__doc__ or ""), op.__name__
    # the elementwise families: every op gives its formula text (the stepper shows its local derivative)
    for op in ops.OPS:
        if issubclass(op, (ops.UnaryElementwise, ops.BinaryElementwise)) and op.elementwise:
            assert op.formula and op.node_name in stepper.ELEMENTWISE, op.__name__


def test_a_unary_op_is_its_numpy_function_and_its_derivative():
    # The family base does the rest: integer input to float32, the formula, the method, the function.
    own = {name for name in vars(ops.Sin) if not name.startswith("_")} - {"node_name"}  # (set by the base classes)
    assert own == {"numpy", "method", "formula", "gradient"}
    x = minigrad.tensor([0.0, 1.0], requires_grad=True)
    x.sin().sum().backward()
    assert minigrad.allclose(x.grad, x.detach().cos())
    assert minigrad.tensor([0, 1]).sin().dtype is minigrad.float32
