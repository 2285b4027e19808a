"""Every user mistake the issue lists gets a clear error (PyTorch's wording where it has one).

Each case is one snippet run with `T = minigrad` (and `T = torch` when importable). `phrases` must
all appear in minigrad's message; `shared` are the key phrases that PyTorch's message contains too,
checked against the real PyTorch so the claim "same wording" is tested, not assumed.
"""
from __future__ import annotations

import warnings

import pytest

import minigrad
from helpers import try_torch

CASES = {
    "backward on a non-scalar without gradient": (
        "x = T.ones(2, requires_grad=True)\n(x * 2).backward()",
        RuntimeError, ["grad can be implicitly created only for scalar outputs", "[2]", "gradient="],
        ["grad can be implicitly created only for scalar outputs"]),
    "second backward through a freed graph": (
        "x = T.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
        RuntimeError, ["Trying to backward through the graph a second time", "retain_graph=True"],
        ["Trying to backward through the graph a second time", "Specify retain_graph=True"]),
    "saved tensors read after they were freed": (
        "x = T.ones(2, requires_grad=True)\ny = x * x\ny.sum().backward()\ny.grad_fn.saved_tensors",
        RuntimeError, ["after they have already been freed"], None),
    "backward on a tensor that does not require grad": (
        "x = T.ones(2)\nx.sum().backward()",
        RuntimeError, ["does not require grad and does not have a grad_fn"],
        ["element 0 of tensors does not require grad and does not have a grad_fn"]),
    "requires_grad on an integer tensor": (
        "T.tensor([1, 2], requires_grad=True)",
        RuntimeError, ["floating point", "can require gradients", "int64", "dtype="],
        ["floating point", "can require gradients"]),
    "requires_grad_() on an integer tensor": (
        "T.arange(3).requires_grad_()",
        RuntimeError, ["floating point", "can require gradients"], ["floating point", "can require gradients"]),
    ".numpy() on a tensor that requires grad": (
        "T.ones(2, requires_grad=True).numpy()",
        RuntimeError, ["Can't call numpy() on Tensor that requires grad", "tensor.detach().numpy()"],
        ["Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."]),
    "shapes that do not broadcast": (
        "T.ones(2, 3) + T.ones(4)",
        RuntimeError, ["size of tensor a (3)", "size of tensor b (4)", "non-singleton dimension 1"],
        ["The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"]),
    "shapes that do not broadcast (mul, leading dims)": (
        "T.ones(5, 2, 3) * T.ones(4, 1, 1)",
        RuntimeError, ["size of tensor a (5)", "size of tensor b (4)", "dimension 0"],
        ["The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0"]),
    "matmul shape mismatch": (
        "T.ones(2, 3) @ T.ones(4, 5)",
        RuntimeError, ["mat1 and mat2 shapes cannot be multiplied", "2x3", "4x5"],
        ["mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"]),
    "matmul shape mismatch (vector)": (
        "T.ones(2, 3) @ T.ones(4)",
        RuntimeError, ["size mismatch, got input (2), mat (2x3), vec (4)"],
        ["size mismatch, got input (2), mat (2x3), vec (4)"]),
    "matmul batch mismatch": (
        "T.ones(5, 2, 3) @ T.ones(4, 3, 2)",
        RuntimeError, ["size of tensor a (5)", "size of tensor b (4)"],
        ["The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0"]),
    "matmul of a 0-d tensor": (
        "T.tensor(2.0) @ T.ones(2)",
        RuntimeError, ["both arguments to matmul need to be at least 1D"],
        ["both arguments to matmul need to be at least 1D"]),
    "saved tensor modified in place": (
        "x = T.ones(2, requires_grad=True)\ny = x * 1\nz = y * y\ny.add_(1)\nz.sum().backward()",
        RuntimeError, ["modified by an inplace operation", "is at version 1; expected version 0",
                       "output 0 of AddBackward0", "MulBackward0", ".clone()"],
        ["one of the variables needed for gradient computation has been modified by an inplace operation",
         "is at version 1; expected version 0 instead"]),
    "leaf tensor used in place (setattr of a saved leaf)": (
        "x = T.ones(2, requires_grad=True)\nw = T.ones(2)\ny = x * w\nwith T.no_grad():\n    w.mul_(2)\n"
        "y.sum().backward()",
        RuntimeError, ["modified by an inplace operation", "a leaf tensor", "version 1"],
        ["modified by an inplace operation", "is at version 1; expected version 0 instead"]),
    "in-place on a leaf that requires grad": (
        "x = T.ones(2, requires_grad=True)\nx.add_(1)",
        RuntimeError, ["a leaf Variable that requires grad is being used in an in-place operation"],
        ["a leaf Variable that requires grad is being used in an in-place operation."]),
    "setitem on a leaf that requires grad": (
        "x = T.ones(2, requires_grad=True)\nx[0] = 2.0",
        RuntimeError, ["leaf Variable that requires grad is being used in an in-place operation"],
        ["leaf Variable that requires grad is being used in an in-place operation"]),
    "requires_grad change on a non-leaf": (
        "x = T.ones(2, requires_grad=True)\n(x * 2).requires_grad_(False)",
        RuntimeError, ["you can only change requires_grad flags of leaf variables", "detach()"],
        ["you can only change requires_grad flags of leaf variables"]),
    "gradient of the wrong shape": (
        "x = T.ones(2, requires_grad=True)\n(x * 2).backward(T.ones(3))",
        RuntimeError, ["Mismatch in shape", "[3]", "[2]"], ["Mismatch in shape: grad_output[0] has a shape of"]),
    "view of a non-contiguous tensor": (
        "T.ones(2, 3).t().view(6)",
        RuntimeError, ["view size is not compatible", "Use .reshape(...) instead"],
        ["view size is not compatible with input tensor's size and stride", "Use .reshape(...) instead."]),
    "reshape to the wrong size": (
        "T.ones(2, 3).reshape(4)", RuntimeError, ["shape '[4]' is invalid for input of size 6"],
        ["shape '[4]' is invalid for input of size 6"]),
    "dimension out of range": (
        "T.ones(2, 3).sum(3)", IndexError, ["Dimension out of range", "[-2, 1]", "got 3"],
        ["Dimension out of range (expected to be in range of [-2, 1], but got 3)"]),
    "index out of range": (
        "T.ones(2)[5]", IndexError, ["index 5 is out of bounds", "size 2"], ["index 5 is out of bounds"]),
    "too many indices": (
        "T.ones(2)[0, 0]", IndexError, ["too many indices for tensor of dimension 1"],
        ["too many indices for tensor of dimension 1"]),
    "item of a many-element tensor": (
        "T.ones(2).item()", RuntimeError, ["a Tensor with 2 elements cannot be converted to Scalar"],
        ["a Tensor with 2 elements cannot be converted to Scalar"]),
    "truth value of a many-element tensor": (
        "bool(T.ones(2))", RuntimeError, ["Boolean value of Tensor with more than one value is ambiguous"],
        ["Boolean value of Tensor with more than one value is ambiguous"]),
    "retain_grad without requires_grad": (
        "T.ones(2).retain_grad()", RuntimeError, ["can't retain_grad on Tensor that has requires_grad=False"],
        ["can't retain_grad on Tensor that has requires_grad=False"]),
    "autograd.grad of an unused input": (
        "x = T.ones(2, requires_grad=True)\nz = T.ones(2, requires_grad=True)\n"
        "T.autograd.grad((x * 2).sum(), [x, z])",
        RuntimeError, ["index 1", "allow_unused=True"],
        ["The differentiated Tensor at index 1 appears to not have been used in the graph",
         "Set allow_unused=True"]),
    "autograd.grad w.r.t. a tensor without grad": (
        "x = T.ones(2, requires_grad=True)\nT.autograd.grad((x * 2).sum(), [T.ones(2)])",
        RuntimeError, ["does not require grad"], ["One of the differentiated Tensors does not require grad"]),
    "mean of an integer tensor": (
        "T.tensor([1, 2]).mean()", RuntimeError, ["mean(): could not infer output dtype", ".float()"],
        ["mean(): could not infer output dtype"]),
    "float result written into an integer tensor": (
        "x = T.tensor([1, 2])\nx += 1.5", RuntimeError, ["can't be cast to the desired output type"],
        ["can't be cast to the desired output type"]),
    "in-place result that does not fit": (
        "x = T.ones(3)\nx += T.ones(2, 3)", RuntimeError, ["output with shape [3] doesn't match the broadcast shape [2, 3]"],
        ["output with shape [3] doesn't match the broadcast shape [2, 3]"]),
    "cat of mismatched shapes": (
        "T.cat([T.ones(2, 3), T.ones(2, 4)])", RuntimeError, ["Sizes of tensors must match except in dimension 0",
                                                             "Expected size 3 but got size 4"],
        ["Sizes of tensors must match except in dimension 0"]),
    "stack of mismatched shapes": (
        "T.stack([T.ones(2), T.ones(3)])", RuntimeError, ["stack expects each tensor to be equal size", "[2]", "[3]"],
        ["stack expects each tensor to be equal size"]),
    "negation of a bool tensor": (
        "-T.tensor([True])", RuntimeError, ["Negation, the `-` operator, on a bool tensor is not supported"],
        ["Negation, the `-` operator, on a bool tensor is not supported"]),
    "expand to an incompatible size": (
        "T.ones(2, 3).expand(4, 3)", RuntimeError, ["expanded size of the tensor", "[2, 3]", "[4, 3]"],
        ["The expanded size of the tensor", "must match the existing size", "at non-singleton dimension"]),
    "float tensor as an index": (
        "T.ones(3)[T.tensor([0.0])]", IndexError, ["tensors used as indices must be long, int, byte or bool tensors"],
        ["tensors used as indices must be long, int, byte or bool tensors"]),
    "where with a non-bool condition": (
        "T.where(T.tensor([1, 0]), T.ones(2), T.zeros(2))", RuntimeError, ["where expected condition to be a boolean"],
        ["where expected condition to be a boolean tensor"]),
    "clamp without bounds": (
        "T.ones(2).clamp()", RuntimeError, ["At least one of 'min' or 'max' must not be None"],
        ["At least one of 'min' or 'max' must not be None"]),
    # Dimensions, sizes and dtypes: each once gave a NumPy error from deep inside, or a silent change.
    "unsqueeze at a dimension out of range": (
        "T.ones(2, 3).unsqueeze(5)", IndexError, ["Dimension out of range (expected to be in range of [-3, 2], but got 5)"],
        ["Dimension out of range (expected to be in range of [-3, 2], but got 5)"]),
    "transpose of a dimension out of range": (
        "T.ones(2, 3).transpose(0, 3)", IndexError, ["Dimension out of range"], ["Dimension out of range"]),
    "squeeze of a dimension out of range": (
        "T.ones(2, 3).squeeze(4)", IndexError, ["Dimension out of range"], ["Dimension out of range"]),
    "permute with too few dimensions": (
        "T.ones(2, 3).permute(0)", RuntimeError, ["input.dim() = 2 is not equal to len(dims) = 1"],
        ["input.dim() = 2 is not equal to len(dims) = 1"]),
    "a reduction over the same dim twice": (
        "T.ones(2, 3).mean(dim=(0, 0))", RuntimeError, ["dim 0 appears multiple times in the list of dims"],
        ["dim 0 appears multiple times in the list of dims"]),
    "a dim that is not a number": (
        "T.ones(2, 3).sum(dim='a')", TypeError, ["dim must be an int", "str"], None),
    "a tensor of negative size": (
        "T.zeros((2, -3))", RuntimeError, ["negative dimension -3"], None),
    "randn of negative size": (
        "T.randn(-1)", RuntimeError, ["Trying to create tensor with negative dimension -1: [-1]"],
        ["Trying to create tensor with negative dimension -1: [-1]"]),
    "a size that is not whole numbers": (
        "T.zeros(2.0)", TypeError, ["whole numbers", "float"], None),
    "arange with step 0": (
        "T.arange(0, 10, 0)", RuntimeError, ["step must be nonzero"], ["step must be nonzero"]),
    "arange going the wrong way": (
        "T.arange(10, 0, 1)", RuntimeError, ["upper bound and lower bound inconsistent with step sign"],
        ["upper bound and lower bound inconsistent with step sign"]),
    "linspace with negative steps": (
        "T.linspace(0, 1, -2)", RuntimeError, ["number of steps must be non-negative"],
        ["number of steps must be non-negative"]),
    "eye of negative size": (
        "T.eye(-1)", RuntimeError, ["n must be greater or equal to 0, got -1"], ["n must be greater or equal to 0, got -1"]),
    "full with a fill value that is not a number": (
        "T.full((2,), 'a')", TypeError, ["full(): argument 'fill_value'", "must be Number, not str"],
        ["must be Number, not str"]),
    "clamp with a bound that is not a number": (
        "T.ones(2).clamp(min='a')", TypeError, ["clamp()", "'min' must be a number", "str"], None),
    "a bool mask of the wrong shape": (
        "T.ones(3)[T.tensor([True, False])]", IndexError,
        ["The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3] at index 0"],
        ["The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3] at index 0"]),
    "a dtype minigrad does not have": (
        "T.ones(2, dtype='float16')", TypeError, ["float32, float64, int64 and bool", "'float16'"], None),
    "a hook that changes the gradient's shape": (
        "x = T.ones(2, 3, requires_grad=True)\nx.register_hook(lambda g: T.ones(5))\nx.sum().backward()",
        RuntimeError, ["hook '<lambda>' has changed the size of value", "[5]", "[2, 3]"],
        ["hook '<lambda>' has changed the size of value"]),
    "a gradient of another dtype assigned to .grad": (
        "x = T.ones(2, requires_grad=True)\nx.grad = T.ones(2, dtype=T.float64)",
        RuntimeError, ["attempting to assign a gradient with dtype 'float64'", "float32"],
        ["attempting to assign a gradient with dtype"]),
    "requires_grad_ given a string": (
        "T.ones(2).requires_grad_('yes')", TypeError,
        ["requires_grad_(): argument 'requires_grad' (position 1) must be bool, not str"],
        ["requires_grad_(): argument 'requires_grad' (position 1) must be bool, not str"]),
    "requires_grad set to a number": (
        "x = T.ones(2)\nx.requires_grad = 1", RuntimeError, ["requires_grad must be a bool"], ["requires_grad must be a bool"]),
    "a matrix product of two dtypes": (
        "T.ones(2, 3) @ T.ones(3, 2, dtype=T.float64)", RuntimeError,
        ["expected m1 and m2 to have the same dtype, but got: float != double", "float32", "float64"],
        ["expected m1 and m2 to have the same dtype, but got: float != double"]),
    "relu of a number": (
        "T.nn.functional.relu(5)", TypeError, ["relu(): argument 'input' (position 1) must be Tensor, not int"],
        ["relu(): argument 'input' (position 1) must be Tensor, not int"]),
    "cat along a dimension out of range": (
        "T.cat([T.ones(2), T.ones(2)], dim=1)", IndexError,
        ["Dimension out of range (expected to be in range of [-1, 0], but got 1)"],
        ["Dimension out of range (expected to be in range of [-1, 0], but got 1)"]),
    "stack along a dimension out of range": (
        "T.stack([T.ones(2), T.ones(2)], dim=3)", IndexError,
        ["Dimension out of range (expected to be in range of [-2, 1], but got 3)"],
        ["Dimension out of range (expected to be in range of [-2, 1], but got 3)"]),
    "batches of X and y with different numbers of rows": (
        "from minigrad import data\ndata.batches(T.ones(4, 2), T.ones(3), 2)", ValueError,
        ["same number of rows", "(4, 2)", "(3,)"], None),
}


def _raise(code, T):
    with pytest.raises(Exception) as info:
        exec(code, {"T": T})
    return info


@pytest.mark.parametrize("case", list(CASES))
def test_error_message(case):
    code, kind, phrases, shared = CASES[case]
    info = _raise(code, minigrad)
    assert info.type is kind or issubclass(info.type, kind), f"{case}: {info.type.__name__}: {info.value}"
    message = str(info.value)
    for phrase in phrases:
        assert phrase in message, f"{case}: {phrase!r} not in {message!r}"
    assert "Traceback" not in message and "numpy" not in type(info.value).__module__
    torch = try_torch()
    if torch is not None and shared:
        t_info = _raise(code, torch)
        assert issubclass(t_info.type, kind), f"PyTorch raised {t_info.type.__name__} for {case}"
        for phrase in shared:
            assert phrase in str(t_info.value), f"PyTorch's wording changed? {phrase!r} not in {t_info.value}"
            assert phrase in message, f"{case}: PyTorch's phrase {phrase!r} not in minigrad's {message!r}"


def test_grad_of_non_leaf_warns_and_points_to_retain_grad():
    x = minigrad.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning) as record:
        assert y.grad is None
    message = str(record[0].message)
    assert "not a leaf Tensor" in message and "retain_grad()" in message
    torch = try_torch()
    if torch is not None:
        tx = torch.ones(2, requires_grad=True)
        with pytest.warns(UserWarning) as t_record:
            (tx * 2).grad
        t_message = str(t_record[0].message)
        key = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"
        assert key in t_message and key in message


def test_no_warning_for_leaf_or_retained_grad():
    x = minigrad.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is None and y.grad is None


def test_no_warning_for_a_non_leaf_whose_grad_backward_filled():
    # backward(inputs=[h]) fills a non-leaf h's .grad: PyTorch warns only while .grad is missing.
    for T in filter(None, (minigrad, try_torch())):
        x = T.ones(2, requires_grad=True)
        h = x * 2
        (h * 3).sum().backward(inputs=[h])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert h.grad.tolist() == [3.0, 3.0], T.__name__
        with pytest.warns(UserWarning, match="retain_grad"):
            assert (x * 5).grad is None  # still warns for a non-leaf with no gradient


def test_gradcheck_catches_a_wrong_derivative():
    """minigrad's own gradcheck must fail for a Function whose backward is wrong."""
    from minigrad.autograd import Function, GradcheckError, gradcheck

    class WrongSquare(Function):
        """y = x^2 with the wrong derivative x (instead of 2x)."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.data ** 2

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x

    x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradcheck(WrongSquare.apply, (x,))
    assert gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False
    assert gradcheck(lambda t: t ** 2, (x,))
