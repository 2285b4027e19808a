"""Modules: the building blocks of a network, each holding its parameters (PyTorch's `torch.nn`).

A Module is an object whose attributes may be Parameters (tensors to train) or other Modules. It
notices them when they are assigned, so `model.parameters()` can hand all of them to an optimizer
and `model.named_parameters()` can name them in a drawing of the graph.

>>> import minigrad
>>> from minigrad import nn
>>> _ = minigrad.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
>>> model
Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): ReLU()
  (2): Linear(in_features=3, out_features=1, bias=True)
)
>>> [name for name, _ in model.named_parameters()]
['0.weight', '0.bias', '2.weight', '2.bias']
>>> model(minigrad.ones(5, 2)).shape
minigrad.Size([5, 1])
"""
from __future__ import annotations

import contextvars
import math
import operator
from typing import Any, Callable, Iterator, NamedTuple

import numpy as np

from .. import _dtype
from .._parameters import zero_grads  # shared with optim, which does not import nn
from ..creation import empty
from ..autograd.grad_mode import no_grad
from ..ops import _ieee
from ..tensor import Size, Tensor
from . import functional as F
from . import init

# Is a Module call running in this thread (or task)? Then its errstate is on: see Module.__call__.
_in_module_call: contextvars.ContextVar = contextvars.ContextVar("minigrad_in_module_call", default=False)


class Parameter(Tensor):
    """A tensor that is a parameter of a Module: it requires grad, and a Module assigned one registers it.

    >>> import minigrad
    >>> from minigrad import nn
    >>> nn.Parameter(minigrad.zeros(2))
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = empty(0)
        super().__init__(data, requires_grad=requires_grad)
        if isinstance(data, Tensor):
            self._versions = data._version_counter()  # same memory as `data`: changes to either are seen by both

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class IncompatibleKeys(NamedTuple):
    """What load_state_dict did not match: its repr says so in PyTorch's words when all keys matched."""
    missing_keys: list
    unexpected_keys: list

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"

    __str__ = __repr__


class Module:
    """Base class of every layer and model. Subclass it, make parameters and sub-modules in
    `__init__` (after `super().__init__()`), and say how to compute the output in `forward`.

    >>> import minigrad
    >>> from minigrad import nn
    >>> class Line(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.slope = nn.Parameter(minigrad.tensor(2.0))
    ...     def forward(self, x):
    ...         return self.slope * x
    >>> Line()(minigrad.tensor(3.0))
    tensor(6., grad_fn=<MulBackward0>)
    """

    training: bool

    def __init__(self) -> None:
        # Set through object.__setattr__: our own __setattr__ needs these dicts to exist already.
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})  # tensors that are state but not parameters (register_buffer)
        object.__setattr__(self, "_non_persistent_buffers_set", set())  # buffers that state_dict leaves out
        object.__setattr__(self, "training", True)

    # ---------------------------------------------------------------- registration
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        modules = self.__dict__.get("_modules")
        if isinstance(value, (Parameter, Module)) and params is None:
            raise AttributeError(f"cannot assign {'parameters' if isinstance(value, Parameter) else 'module'} "
                                 f"before Module.__init__() call: call super().__init__() first in "
                                 f"{type(self).__name__}.__init__")
        if isinstance(value, Parameter):
            if name not in params:  # (replacing a parameter keeps its place in parameters(), as in PyTorch)
                self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            if name not in modules:
                self._forget(name)
            modules[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' (nn.Parameter or "
                                f"None expected); wrap it: self.{name} = nn.Parameter(tensor)")
            params[name] = None
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")  # (PyTorch's words)
            modules[name] = None
        elif name in self.__dict__.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (torch.nn.Buffer, "
                                "torch.Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str) -> None:
        """Remove `name` from wherever it was, before it is registered again as something else."""
        self.__dict__.pop(name, None)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self.__dict__.get("_buffers", {}).pop(name, None)
        self.__dict__.get("_non_persistent_buffers_set", set()).discard(name)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: parameters and modules live in their dicts.
        d = self.__dict__
        if name in d.get("_parameters", ()):
            return d["_parameters"][name]
        if name in d.get("_modules", ()):
            return d["_modules"][name]
        if name in d.get("_buffers", ()):
            return d["_buffers"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._modules:
            del self._modules[name]
        elif name in self.__dict__.get("_buffers", ()):
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        else:
            object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                            "(nn.Parameter or None required)")
        self._forget(name)
        self._parameters[name] = param

    def add_module(self, name: str, module: "Module | None") -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name)
        self._modules[name] = module

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Keep `tensor` in the module as state that is not a parameter (a running mean, a fixed mask):
        `self.name` reads it, `buffers()` lists it, `to()` converts it, and state_dict saves it (unless
        persistent=False). An optimizer never sees it: it is not in parameters().

        >>> import minigrad
        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.register_buffer("steps", minigrad.zeros(1))
        >>> list(layer.state_dict())
        ['weight', 'bias', 'steps']
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    # ---------------------------------------------------------------- walking the tree
    def named_modules(self, prefix: str = "", remove_duplicate: bool = True) -> Iterator[tuple[str, "Module"]]:
        """This module and every module inside it, depth first, each once (under every name it has, with
        remove_duplicate=False), with its dotted name."""
        seen = set()
        stack = [(prefix, self)]
        while stack:  # a stack, not recursion; children pushed in reverse so they come out in order
            name, module = stack.pop()
            if remove_duplicate and id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{n}" if name else n, m) for n, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator["Module"]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self) -> Iterator["Module"]:
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name ('0.weight'), each once (under every name it has, with
        remove_duplicate=False: what state_dict lists), in registration order.

        `dict(model.named_parameters())` is what `minigrad.viz.draw(loss, names=...)` takes to label
        the parameters in a drawing.
        """
        return self._named_members(lambda module: module._parameters, prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter, each once: what an optimizer needs (`optim.SGD(model.parameters(), lr=0.1)`)."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every buffer (register_buffer) with its dotted name, each once (with remove_duplicate=True),
        in registration order, module by module as named_modules() walks them.

        >>> import minigrad
        >>> from minigrad import nn
        >>> model = nn.Sequential(nn.Linear(2, 1))
        >>> model[0].register_buffer("mask", minigrad.ones(1))
        >>> [name for name, _ in model.named_buffers()]
        ['0.mask']
        """
        return self._named_members(lambda module: module.__dict__.get("_buffers", {}), prefix, recurse, remove_duplicate)

    def _named_members(self, members: Callable[["Module"], dict], prefix: str, recurse: bool,
                       remove_duplicate: bool) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, tensor) for the tensors `members(module)` gives of each module (its parameters,
        its buffers), module by module as named_modules() walks them; each once if remove_duplicate."""
        seen = set()
        modules = self.named_modules(prefix, remove_duplicate) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, t in members(module).items():
                if t is None or (remove_duplicate and id(t) in seen):
                    continue
                seen.add(id(t))
                yield (f"{module_name}.{name}" if module_name else name), t

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer, each once (the tensors of named_buffers())."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ---------------------------------------------------------------- training
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (backward adds to .grad; it does not overwrite it)."""
        zero_grads(self.parameters(), set_to_none)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Set requires_grad on every parameter (False freezes the module: backward leaves its parameters'
        .grad as None and an optimizer does not move them); returns self, as PyTorch's does.

        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 1).requires_grad_(False)
        >>> [p.requires_grad for p in layer.parameters()]
        [False, False]
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def train(self, mode: bool = True) -> "Module":
        """Put this module and all inside it in training mode (or evaluation mode for mode=False)."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode: the same as train(False)."""
        return self.train(False)

    def apply(self, fn) -> "Module":
        """Call fn(module) on every module inside this one, children before their parent; returns self.

        >>> from minigrad import nn
        >>> nn.Sequential(nn.Linear(2, 2), nn.ReLU()).apply(lambda m: print(type(m).__name__)) and None
        Linear
        ReLU
        Sequential
        """
        stack = [(self, False)]  # a stack, not recursion: (module, its children already done?)
        while stack:
            module, children_done = stack.pop()
            if children_done:
                fn(module)
                continue
            stack.append((module, True))
            stack.extend((child, False) for child in reversed(list(module.children())))
        return self

    def to(self, *args, **kwargs) -> "Module":
        """Convert the parameters (and their gradients) to a floating dtype, in place; returns self.

        `model.to(minigrad.float64)`, `model.to(dtype=...)`, `model.to("cpu")` (minigrad only has the
        CPU, so a device changes nothing), `model.to("cpu", minigrad.float64)`. The Parameter objects
        stay the same (an optimizer made before keeps working), as in PyTorch.
        """
        dtype = kwargs.pop("dtype", None)
        devices = [kwargs.pop("device", None)]
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) or arg is None:
                devices.append(arg)
            else:
                dtype = arg
        for device in devices:
            _check_device(device)
        if dtype is None:
            return self
        dt = _dtype.resolve(dtype)
        if not dt.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dt}")
        with no_grad():
            for p in self.parameters():
                if p.dtype.is_floating_point and p.dtype is not dt:
                    p.data = p.data.to(dt)
                    if p.grad is not None:
                        p.grad = p.grad.to(dt)
            for module in self.modules():  # floating buffers follow, as in PyTorch (int64 ones stay)
                for name, b in module._buffers.items():
                    if b is not None and b.dtype.is_floating_point and b.dtype is not dt:
                        module._buffers[name] = b.to(dt)
        return self

    def double(self) -> "Module":
        """The same as to(minigrad.float64)."""
        return self.to(_dtype.float64)

    def float(self) -> "Module":
        """The same as to(minigrad.float32)."""
        return self.to(_dtype.float32)

    def cpu(self) -> "Module":
        """minigrad only has the CPU: returns self."""
        return self

    def state_dict(self, *, prefix: str = "", keep_vars: bool = False) -> dict[str, Tensor]:
        """{prefix + name: value} of the parameters and persistent buffers, module by module (each
        module's parameters, then its buffers), detached (the same memory); with keep_vars=True the
        tensors themselves."""
        return {prefix + name: t if keep_vars else t.detach() for name, t in self._state_tensors()}

    def _state_tensors(self) -> Iterator[tuple[str, Tensor]]:
        """(name, tensor) of what state_dict saves, in PyTorch's order; a shared module under each of its names."""
        for module_name, module in self.named_modules(remove_duplicate=False):
            dot = module_name + "." if module_name else ""
            for name, p in module._parameters.items():
                if p is not None:
                    yield dot + name, p
            for name, b in module.__dict__.get("_buffers", {}).items():
                if b is not None and name not in module._non_persistent_buffers_set:
                    yield dot + name, b

    def load_state_dict(self, state_dict: dict, strict: bool = True) -> IncompatibleKeys:
        """Copy values into the parameters of the same names (NumPy arrays and PyTorch tensors work too).

        Returns the keys that did not match (with strict=False; strict=True raises for them), as PyTorch does.

        >>> import minigrad
        >>> layer = minigrad.nn.Linear(2, 1)
        >>> layer.load_state_dict(layer.state_dict())
        <All keys matched successfully>
        """
        own = dict(self._state_tensors())  # (the names state_dict gives)
        missing = [name for name in own if name not in state_dict]
        unexpected = [name for name in state_dict if name not in own]
        errors = []  # every problem at once, in PyTorch's words and order
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if strict and missing:
            errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
        arrays = {}
        for name, value in state_dict.items():
            if name not in own:
                continue
            if not isinstance(value, (Tensor, np.ndarray)) and not hasattr(value, "detach"):
                errors.append(f'While copying the parameter named "{name}", expected torch.Tensor or Tensor-like '
                              f"object from checkpoint but received {type(value)}")
                continue
            array = value._data if isinstance(value, Tensor) else np.asarray(
                value.detach().cpu().numpy() if hasattr(value, "detach") else value)
            if tuple(array.shape) != tuple(own[name].shape):
                errors.append(f"size mismatch for {name}: copying a param with shape {Size(array.shape)!r} from "
                              f"checkpoint, the shape in current model is {Size(own[name].shape)!r}.")
                continue
            arrays[name] = array
        if errors:  # (nothing is copied then: a half-loaded model would be worse than none)
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        for name, array in arrays.items():
            init._fill(own[name], np.asarray(array))
        return IncompatibleKeys(missing, unexpected)

    # ---------------------------------------------------------------- calling
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        # IEEE results without NumPy's RuntimeWarnings, as PyTorch gives them: a training run that
        # diverges reaches inf and nan silently there. Once per outermost module call rather than in
        # every op (or every submodule's call): np.errstate costs about 0.7 us, as much as a small op.
        if _in_module_call.get():  # (a submodule: the outermost call's errstate is still on)
            return self.forward(*args, **kwargs)
        token = _in_module_call.set(True)
        try:
            with _ieee():
                return self.forward(*args, **kwargs)
        finally:
            _in_module_call.reset(token)

    # ---------------------------------------------------------------- printing
    def extra_repr(self) -> str:
        """What goes between the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self) -> str:
        # PyTorch's layout: settings on one line, or each child on its own line, indented.
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        body = ([extra] if extra else []) + lines
        return f"{type(self).__name__}(\n  " + "\n  ".join(body) + "\n)"


def _check_device(device) -> None:
    """minigrad computes with NumPy on the CPU: 'cpu' (or 'cpu:0') is the only device."""
    if device is None or str(device).split(":")[0] == "cpu":
        return
    raise RuntimeError(f"minigrad runs on the CPU only (NumPy): device {device!r} is not available; use 'cpu', "
                       "or leave the device out")


class Linear(Module):
    """y = x W^T + b, with W of shape (out_features, in_features).

    Starting values as PyTorch's: W and b uniform in [-1/sqrt(in_features), 1/sqrt(in_features)].

    >>> import minigrad
    >>> from minigrad import nn
    >>> layer = nn.Linear(2, 16)
    >>> layer.weight.shape, layer.bias.shape
    (minigrad.Size([16, 2]), minigrad.Size([16]))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=None) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        dt = _dtype.resolve(dtype) or _dtype.default_float
        self.weight = Parameter(empty(out_features, in_features, dtype=dt))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dt))
        else:
            self.register_parameter("bias", None)  # still listed, as None, so `layer.bias` works
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: kaiming_uniform_(a=sqrt(5)) for W, i.e. U(-1/sqrt(in), 1/sqrt(in)); the same for b."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"linear(): argument 'input' must be a Tensor, not {type(input).__name__}")
        params = self._parameters  # (read once: self.weight goes through Module.__getattr__)
        weight, bias, data = params["weight"], params["bias"], input._data
        if data.ndim and data.shape[-1] == self.in_features and data.dtype is weight._data.dtype:
            return F._linear(input, weight, bias)  # (the checks below on arrays: this runs every step)
        if input.ndim == 0 or input.shape[-1] != self.in_features:
            shape = tuple(input.shape)
            rows = "x".join(map(str, shape[:-1] or (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{shape[-1] if shape else 1} and "
                               f"{self.in_features}x{self.out_features}): {self!r} expects inputs of shape "
                               f"(*, {self.in_features}), got {shape}")
        try:
            return F.linear(input, self.weight, self.bias)
        except RuntimeError as e:
            if input.dtype is self.weight.dtype:
                raise
            # Another dtype than the weights' (refused, as by PyTorch): its words, then how to fix it
            words = self.weight.dtype.name
            raise RuntimeError(f"{str(e).split('; ')[0]}: {self!r} has {words} weights, the input is "
                               f"{input.dtype.name}; convert the input with x.to(minigrad.{words})") from None

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class ReLU(Module):
    """max(x, 0), elementwise."""

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input)


class Tanh(Module):
    """tanh(x), elementwise."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Sigmoid(Module):
    """1 / (1 + e**-x), elementwise."""

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Softmax(Module):
    """e**x / sum(e**x) along `dim`."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along `dim`."""

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)


class Sequential(Module):
    """Modules applied one after the other: the output of each is the input of the next.

    >>> from minigrad import nn
    >>> model = nn.Sequential(nn.Linear(2, 4), nn.Tanh())
    >>> len(model), model[1]
    (2, Tanh())
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: argument {i} is {type(module).__name__}, not a Module "
                                f"(did you mean nn.{type(module).__name__.capitalize()}() rather than a function?)")
            self.add_module(str(i), module)

    def __getitem__(self, index: int | slice) -> "Module":
        items = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*items[index])
        if not -len(items) <= index < len(items):
            raise IndexError(f"index {index} is out of range for a Sequential of {len(items)} modules")
        return items[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def append(self, module: Module) -> "Sequential":
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input


class _Loss(Module):
    # Keyword only: PyTorch's losses take weight, size_average, reduce first (see nn.functional).
    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__()
        F._check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:  # PyTorch prints MSELoss() whatever the reduction
        return ""


class MSELoss(_Loss):
    """The mean (or sum, or each) of the squared differences (input - target)**2.

    >>> import minigrad
    >>> from minigrad import nn
    >>> nn.MSELoss()(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
    tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Softmax followed by the negative log-likelihood of the right class: input (N, C) raw scores,
    target (N,) class indices (int64); rows whose class is `ignore_index` are left out.

    >>> import minigrad
    >>> from minigrad import nn
    >>> nn.CrossEntropyLoss()(minigrad.zeros(2, 4), minigrad.tensor([1, 3]))
    tensor(1.3863)
    """

    def __init__(self, *, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(input, target, ignore_index=self.ignore_index, reduction=self.reduction)


class Dropout(Module):
    """Zero each element with probability p in training (scaling the others by 1 / (1 - p)); no change in eval.

    The scaling keeps each element's expected value; in evaluation mode (model.eval()) the input itself
    comes back.

    The elements kept come from minigrad's seeded generator: the same seed gives the same mask.

    >>> import minigrad
    >>> from minigrad import nn
    >>> drop = nn.Dropout(p=0.5)
    >>> drop
    Dropout(p=0.5, inplace=False)
    >>> _ = minigrad.manual_seed(0)
    >>> drop(minigrad.ones(6))
    tensor([0., 0., 2., 0., 0., 0.])
    >>> drop.eval()(minigrad.ones(2))
    tensor([1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        F._check_dropout_probability(p, 0, 1)
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class ModuleList(Module):
    """A list of modules whose parameters the module holding it registers (unlike a plain Python list).

    A plain list would hide its modules from parameters() and so from the optimizer. A ModuleList has
    no forward: loop over it in yours.

    >>> from minigrad import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> layers.append(nn.ReLU())
    ModuleList(
      (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)
      (3): ReLU()
    )
    >>> len(layers), len(list(layers.parameters()))
    (4, 6)
    """

    def __init__(self, modules=None) -> None:
        super().__init__()
        if modules is not None:
            self += modules

    def _index(self, index) -> str:
        """The key in _modules of position `index` (negative counts from the end), as PyTorch's check words it."""
        index = operator.index(index)
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return str(index % len(self))

    def __getitem__(self, index: int | slice) -> "Module | ModuleList":
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._index(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._index(index), module)

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice):
            for key in list(self._modules)[index]:
                del self._modules[key]
        else:
            del self._modules[self._index(index)]
        # Renumber: the keys stay 0, 1, 2, ... so that indexing and state_dict names follow the order.
        modules = list(self._modules.values())
        self._modules.clear()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __iadd__(self, modules) -> "ModuleList":
        return self.extend(modules)

    def __add__(self, other) -> "ModuleList":
        return ModuleList([*self, *other])

    def append(self, module: Module) -> "ModuleList":
        """Add a module at the end; returns the list."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules) -> "ModuleList":
        """Add each module of an iterable at the end; returns the list."""
        if isinstance(modules, (Tensor, str, bytes)) or not hasattr(modules, "__iter__"):
            raise TypeError(f"ModuleList.extend should be called with an iterable, but got {type(modules).__name__}")
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put a module before position `index` (0 to len(self); a larger index appends)."""
        index = operator.index(index)
        if index < 0:  # PyTorch 2.13's insert fails on these with KeyError: '-1' (after moving modules)
            raise KeyError(f"ModuleList.insert takes a position from 0 to {len(self)}, got {index}: PyTorch's "
                           "insert does not count from the end")
        if not isinstance(module, Module):  # (PyTorch's stores it anyway: the list then breaks later)
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m

    def pop(self, key: int | slice) -> Module:
        """Remove the module at position `key` and return it."""
        module = self[key]
        del self[key]
        return module

    def __repr__(self) -> str:
        # PyTorch's layout, runs of modules with the same repr shown once: "(0-2): 3 x Linear(...)".
        reprs = [repr(m) for m in self]
        if not reprs:
            return f"{type(self).__name__}()"
        runs = []  # [first index, last index, repr]
        for i, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [(f"({a}): " if a == b else f"({a}-{b}): {b - a + 1} x ") + text.replace("\n", "\n  ")
                 for a, b, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"
