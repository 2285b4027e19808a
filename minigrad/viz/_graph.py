"""What the drawing tools read from a graph, for each library that builds one: minigrad and PyTorch.

The picture builder, the stepper and the plots never ask which library made a tensor: they ask a
`Library` (one small class per library) for the few things they need: a node's name, its edges,
the leaf behind an AccumulateGrad, the value of a result, calling a node, its sequence number (which
orders the engine's walk).
Tensors themselves are read through the API both libraries share (`grad_fn`, `requires_grad`,
`shape`, `dtype`, `grad`, `detach().numpy()`), so only the graph's nodes need two spellings.

PyTorch stays optional: `library_of(x)` looks at the type's module name and imports nothing; the
torch half runs only for objects that are torch tensors, so torch is already imported by then.

>>> import minigrad
>>> lib = library_of(minigrad.tensor(1.0))
>>> lib.name, lib.node_name((minigrad.tensor(2.0, requires_grad=True) * 3).grad_fn)
('minigrad', 'MulBackward0')
"""
from __future__ import annotations

import contextlib
import sys
import weakref

import numpy as np

import minigrad

from ..autograd.graph import observe_nodes
from ..nn import Module
from ..tensor import Tensor

#: Tensors with at most this many elements show their values (and .grad) in the drawing; only
#: these have their values recorded by keep_values() (bigger ones: shape and dtype only).
MAX_VALUES = 6


class Info:
    """What one box shows of a tensor: read from a live tensor, or a copy recorded when it was made.

    value and grad are NumPy copies (None when the tensor is too big to print, or unknown).
    """

    __slots__ = ("shape", "dtype", "value", "grad", "requires_grad", "leaf")

    def __init__(self, shape, dtype, value=None, grad=None, requires_grad=False, leaf=False) -> None:
        self.shape, self.dtype, self.value, self.grad = tuple(shape), dtype, value, grad
        self.requires_grad, self.leaf = requires_grad, leaf

    def numel(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))


def _numpy(t) -> np.ndarray:
    """A NumPy copy of a tensor of either library (read through the public API)."""
    t = t.detach().cpu()
    try:
        return np.array(t.numpy())
    except TypeError:  # a dtype NumPy lacks (PyTorch's bfloat16, float8, ...): show it as float32
        return np.array(t.float().numpy())


def dtype_name(t) -> str:
    return str(t.dtype).rsplit(".", 1)[-1]  # "float32" from minigrad.float32 and from torch.float32


def snapshot(t) -> Info:
    """Shape, dtype and (for a small tensor) a copy of the value: what keep_values() records."""
    small = t.numel() <= MAX_VALUES
    return Info(t.shape, dtype_name(t), _numpy(t) if small else None, None, bool(t.requires_grad),
                t.grad_fn is None)


def describe(t, record: Info | None = None) -> Info:
    """A live tensor as a box shows it: its value now, its .grad where it has one (a leaf, or a result
    that called retain_grad()), else the gradient keep_values() recorded for it."""
    info = snapshot(t)
    grad = None
    if t.grad_fn is None or t.retains_grad:  # reading .grad of any other result makes PyTorch warn
        g = t.grad
        if g is not None:  # a big gradient is drawn as "[3, 4] tensor": its shape is all we need (no copy)
            grad = _numpy(g) if g.numel() <= MAX_VALUES else np.broadcast_to(np.float32(0), tuple(g.shape))
    if grad is None and record is not None:
        grad = record.grad
    info.grad = grad
    return info


class _GradRecorder:
    """A tensor hook that adds the gradient reaching a result into its record (as retain_grad would).

    It holds only the record (NumPy copies), never the tensor or its node: no reference cycle."""

    __slots__ = ("info",)

    def __init__(self, info: Info) -> None:
        self.info = info

    def __call__(self, grad) -> None:
        if grad is None:  # an undefined gradient (PyTorch's gradcheck sends some): nothing to add
            return
        try:
            g = _numpy(grad)
            self.info.grad = g if self.info.grad is None or self.info.grad.shape != g.shape else self.info.grad + g
        except Exception:  # a drawing aid must never break the backward pass it watches
            pass


class Library:
    """The graph as one library spells it. Subclasses: MinigradLibrary, TorchLibrary."""

    name = ""
    module = None  # the library's top-level module: tensor(), no_grad(), ones_like(), float64

    def node_name(self, node) -> str:
        return node.name()

    def is_accumulate(self, node) -> bool:
        return self.node_name(node) == "AccumulateGrad"

    def sequence_nr(self, node) -> int:
        raise NotImplementedError

    def call(self, node, grad) -> tuple:
        """node(grad): the gradients for the node's inputs, one per input (None where none is needed).

        PyTorch returns a bare tensor from a node with one input; this always gives a tuple."""
        out = node(grad)
        return tuple(out) if isinstance(out, (tuple, list)) else (out,)

    def reader(self) -> "GraphReader":
        return GraphReader(self)

    # keep_values() support: records of results, made while recording is on
    def record_of(self, node):
        raise NotImplementedError

    def start_recording(self) -> None:
        raise NotImplementedError

    def stop_recording(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def reading(self):
        """While the tools read a graph, their own reads are not recorded (and, for PyTorch, do not go
        through its modes: a Python dispatch mode turns the wrapped number of `x * 2` into a plain 2,
        which `detach()` then refuses)."""
        yield


class GraphReader:
    """Reads one graph for one drawing: the result of a node, the constants it was given.

    Also remembers tensors it meets on the way (results named by the caller, saved tensors), so a
    library whose nodes do not point to their results (PyTorch) can still show them.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self.results: dict = {}  # node -> a live tensor it produced

    def know(self, t) -> None:
        """A tensor the caller holds (a named variable, a root): its box can show its value."""
        if t.grad_fn is not None:
            self.results.setdefault(t.grad_fn, t)

    def result(self, node):
        """(live tensor or None, recorded Info or None, Info with shape only or None) for node's result."""
        return self.results.get(node), self.library.record_of(node), None

    def constants(self, node) -> tuple:
        """One entry per input: a live tensor, a recorded Info, or None (unknown / not a constant)."""
        raise NotImplementedError

    def saved(self, node) -> list | None:
        """The tensors `node` saved for backward, or None once a backward freed them."""
        raise NotImplementedError


class MinigradLibrary(Library):
    """minigrad's nodes: `inputs` and `output` are held weakly, `sequence_nr` is an attribute."""

    name = "minigrad"

    def __init__(self) -> None:
        self.module = minigrad
        self._records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._handle = None

    def sequence_nr(self, node) -> int:
        return node.sequence_nr

    def reader(self) -> "GraphReader":
        return _MinigradReader(self)

    def record_of(self, node):
        return self._records.get(node) if self._records else None

    def _observe(self, node, result) -> None:
        info = snapshot(result)
        consts = tuple(snapshot(t) if child is None and t is not None else None
                       for (child, _), t in zip(node.next_functions, node.inputs))
        self._records[node] = _Record(info, consts)
        if info.value is not None:
            result.register_hook(_GradRecorder(info))

    def start_recording(self) -> None:
        if self._handle is None:
            self._handle = observe_nodes(self._observe)

    def stop_recording(self) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None


class _Record:
    """What keep_values() recorded for one node: its result, and the constants it was given."""

    __slots__ = ("result", "constants")

    def __init__(self, result: Info, constants: tuple) -> None:
        self.result, self.constants = result, constants


class _MinigradReader(GraphReader):
    def result(self, node):
        out = self.results.get(node)
        if out is None:
            out = node.output  # a weak reference: None once nothing holds the tensor
            if out is not None and out.grad_fn is not node:  # changed in place since: it holds a later value
                out = None
        rec = self.library.record_of(node)
        return out, rec.result if rec else None, None

    def constants(self, node) -> tuple:
        try:
            inputs = node.inputs
        except AttributeError:  # a node type without recorded inputs
            inputs = (None,) * len(node.next_functions)
        rec = self.library.record_of(node)
        recorded = rec.constants if rec else (None,) * len(inputs)
        return tuple(t if t is not None else r for t, r in zip(inputs, recorded))

    def saved(self, node) -> list | None:
        try:
            return [t for t in node.saved_tensors if t is not None]
        except RuntimeError:  # freed by a backward without retain_graph
            return None


#: Saved-tensor names of PyTorch's nodes and the input each one is (self, other, ...), by node name.
_SAVED_INPUT = {None: {"_saved_self": 0, "_saved_other": 1, "_saved_vec": 1, "_saved_mat2": 1, "_saved_tensor": 1,
                       "_saved_exponent": 1, "_saved_target": 1},
                "AddmmBackward0": {"_saved_mat1": 1, "_saved_mat2": 2}}
_RECORD_KEY = "minigrad.viz"


class TorchLibrary(Library):
    """PyTorch's nodes: names carry a C++ namespace ("torch::autograd::AccumulateGrad"), the order is
    `_sequence_nr()`, there is no `inputs`/`output`: results are known from the caller's variables,
    from saved tensors, from keep_values()'s records (kept in the node's `metadata` dict, which lives
    as long as the C++ node) and, for shape and dtype, from `_input_metadata`."""

    name = "torch"

    def __init__(self, torch) -> None:
        self.module = torch
        self._mode = None

    def node_name(self, node) -> str:
        return node.name().rsplit("::", 1)[-1]

    def sequence_nr(self, node) -> int:
        return node._sequence_nr()

    def call(self, node, grad) -> tuple:
        """node(grad), then each gradient summed back to its input's shape: PyTorch's engine does that
        after calling a node (a broadcast input, x.max() * x, gets a gradient of x's shape from
        MulBackward0), so a node called directly returns it unreduced."""
        grads = super().call(node, grad)
        fitted = []
        for (child, nr), g in zip(node.next_functions, grads):
            if g is not None and child is not None:
                shape = (child.variable.shape if self.is_accumulate(child) else child._input_metadata[nr].shape)
                if tuple(g.shape) != tuple(shape):
                    g = g.sum_to_size(tuple(shape))
            fitted.append(g)
        return tuple(fitted)

    def reader(self) -> "GraphReader":
        return _TorchReader(self)

    def record_of(self, node):
        try:
            return node.metadata.get(_RECORD_KEY)
        except (AttributeError, RuntimeError):
            return None

    def _record(self, out, args, kwargs) -> None:
        torch = self.module
        if not isinstance(out, torch.Tensor):
            return
        node = out.grad_fn
        if node is None or _RECORD_KEY in node.metadata:
            return
        info = snapshot(out)
        node.metadata[_RECORD_KEY] = _Record(info, _constants(node, args, kwargs, torch))
        if info.value is not None:
            out.register_hook(_GradRecorder(info))

    def start_recording(self) -> None:
        if self._mode is None:
            self._mode = _recording_modes(self)
            for mode in self._mode:
                mode.__enter__()

    def stop_recording(self) -> None:
        if self._mode is not None:
            modes, self._mode = self._mode, None
            for mode in reversed(modes):
                mode.__exit__(None, None, None)

    @contextlib.contextmanager
    def reading(self):
        if self._mode is None:
            yield
            return
        self.stop_recording()
        try:
            yield
        finally:
            self.start_recording()


def _constants(node, args: tuple, kwargs: dict | None, torch) -> tuple:
    """The constant inputs of the op that made `node`, one entry per edge ((Info, weak reference) or a
    number's Info where the edge is (None, 0), else None).

    The call's arguments are not in the node's input order (F.linear(x, w, b) records Addmm(b, x, w.T)),
    but the constants are: an edge is (None, 0) exactly for an input that does not require grad. So the
    arguments that do not require grad are matched, in order, to those edges, if there are as many of
    them; python numbers count only when tensors alone do not match (`y * 2` records (y, 2)). Else the
    constants are left unknown ("not kept") rather than guessed.
    """
    slots = [i for i, (child, _) in enumerate(node.next_functions) if child is None]
    consts = [None] * len(node.next_functions)
    if not slots:
        return tuple(consts)
    flat = [a for arg in args for a in (arg if isinstance(arg, (list, tuple)) else (arg,))]
    flat += [v for v in (kwargs or {}).values() if isinstance(v, torch.Tensor)]
    found = [a for a in flat if isinstance(a, torch.Tensor) and not a.requires_grad]
    if len(found) != len(slots):
        found = [a for a in flat if (isinstance(a, torch.Tensor) and not a.requires_grad) or
                 (isinstance(a, (int, float)) and not isinstance(a, bool))]
    if len(found) != len(slots):
        return tuple(consts)
    for i, a in zip(slots, found):  # a tensor is held weakly: alive, its box can carry its name
        consts[i] = (snapshot(a), weakref.ref(a)) if isinstance(a, torch.Tensor) else _number_info(a, torch)
    return tuple(consts)


def _number_info(v, torch) -> Info:
    """A python number given to an op, as PyTorch wraps it: a 0-dim int64 or float64 tensor."""
    return snapshot(torch.tensor(v))


#: Torch functions that record exactly one node, so keep_values() need not look inside them (entering
#: a TorchDispatchMode for every call costs more than the call): arithmetic, elementwise, reductions.
_ONE_NODE = frozenset(
    f"__{op}__" for op in ("add", "radd", "iadd", "sub", "rsub", "isub", "mul", "rmul", "imul", "truediv", "rtruediv",
                           "itruediv", "pow", "rpow", "neg", "abs", "getitem")) | frozenset(
    ("add", "sub", "mul", "div", "pow", "neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sqrt",
     "square", "sum", "mean", "clone", "clamp", "maximum", "minimum", "t", "view", "reshape", "unsqueeze",
     "squeeze", "softmax", "log_softmax", "mm", "mv", "dot", "add_", "sub_", "mul_", "div_"))


def _recording_modes(library: TorchLibrary) -> tuple:
    """keep_values() for PyTorch: a TorchFunctionMode records the result of every call of a torch
    function. A call that can record nodes (grad mode on, an argument that requires grad) runs under a
    TorchDispatchMode that holds the small results of the operations the call is made of (F.linear is
    t() then addmm(): the t() result has a node of its own that no Python-level call returns); they
    are recorded once the call has returned and autograd has given them their nodes. Nothing is held
    between calls, and backward's own operations never go through Python."""
    torch = library.module
    from torch.utils._python_dispatch import TorchDispatchMode  # torch is optional: imported once in use

    inner: list = []  # (result, args, kwargs) of the operations inside the current call
    not_recording = {torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad}

    class HoldInnerResults(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if isinstance(out, torch.Tensor) and out.numel() <= MAX_VALUES:
                inner.append((out, args, kwargs))
            return out

    def records_nodes(func, args, kwargs) -> bool:
        if func in not_recording or not torch.is_grad_enabled():
            return False
        return any(isinstance(a, torch.Tensor) and a.requires_grad
                   for arg in list(args) + list((kwargs or {}).values())
                   for a in (arg if isinstance(arg, (list, tuple)) else (arg,)))

    class RecordValues(torch.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if not records_nodes(func, args, kwargs):
                return func(*args, **(kwargs or {}))
            mark = len(inner)
            try:
                if getattr(func, "__name__", None) in _ONE_NODE:  # nothing inside to hold: skip the cost
                    out = func(*args, **(kwargs or {}))
                else:
                    with HoldInnerResults():
                        out = func(*args, **(kwargs or {}))
                library._record(out, args, kwargs)
                for t, a, k in inner[mark:]:
                    library._record(t, a, k)
            except Exception:  # a drawing aid must never break the computation it watches:
                if "out" not in locals():  # the call itself failed: its error is the user's to see
                    raise
            finally:
                del inner[mark:]
            return out

    return (RecordValues(),)


class _TorchReader(GraphReader):
    def _saved(self, node) -> dict:
        """{attribute: tensor} of what the node saved; None once backward freed it."""
        saved = {}
        for attr in dir(node):
            if attr.startswith("_saved_"):
                try:
                    v = getattr(node, attr)
                except RuntimeError as err:
                    if "second time" in str(err):  # freed by backward
                        return None
                    continue  # e.g. changed in place since it was saved: not the value the node saw
                if isinstance(v, self.library.module.Tensor):
                    saved[attr] = v
        return saved

    def saved(self, node) -> list | None:
        saved = self._saved(node)
        return None if saved is None else list(saved.values())

    def constants(self, node) -> tuple:
        saved = self._saved(node) or {}
        for v in saved.values():  # a saved result: its producer's box can show it
            if v.grad_fn is not None:
                self.results.setdefault(v.grad_fn, v)
        rec = self.library.record_of(node)
        n = len(node.next_functions)
        recorded = [None] * n
        for i, r in enumerate(rec.constants if rec else ()):
            if isinstance(r, tuple):  # (Info, weak reference): the live tensor if it is still there
                r = r[1]() if r[1]() is not None else r[0]
            recorded[i] = r
        found = [None] * n
        for attr, i in _SAVED_INPUT.get(self.library.node_name(node), _SAVED_INPUT[None]).items():
            if attr in saved and i < n and node.next_functions[i][0] is None:
                found[i] = saved[attr]
        Tensor = self.library.module.Tensor
        # a live tensor first (it has an identity, so it can have a name), then a recorded copy
        return tuple(r if isinstance(r, Tensor) else f if f is not None else r for f, r in zip(found, recorded))

    def result(self, node):
        rec = self.library.record_of(node)
        meta = None
        try:  # shape and dtype of the result, for a big one (whose value a drawing would not print anyway)
            m = node._input_metadata[0]
            meta = Info(tuple(m.shape), str(m.dtype).rsplit(".", 1)[-1])
            if meta.numel() <= MAX_VALUES:  # a small one is "not kept", as minigrad draws it
                meta = None
        except (AttributeError, IndexError, RuntimeError, TypeError):
            pass
        return self.results.get(node), rec.result if rec else None, meta


_libraries: dict = {}


def library_of(obj) -> Library | None:
    """The Library whose tensor `obj` is, or None (nothing is imported to find out)."""
    if isinstance(obj, Tensor):
        return minigrad_library()
    torch = sys.modules.get("torch")
    if torch is not None and type(obj).__module__.split(".")[0] == "torch" and isinstance(obj, torch.Tensor):
        return torch_library()
    return None


def minigrad_library() -> MinigradLibrary:
    if "minigrad" not in _libraries:
        _libraries["minigrad"] = MinigradLibrary()
    return _libraries["minigrad"]


def torch_library() -> TorchLibrary:
    """PyTorch's Library (imports torch: call it only once a torch object has been seen)."""
    if "torch" not in _libraries:
        import torch  # optional: only here, once the caller has seen a torch object

        _libraries["torch"] = TorchLibrary(torch)
    return _libraries["torch"]


def loaded_libraries() -> list:
    """The libraries in use: minigrad, and PyTorch if something already imported it."""
    libs = [minigrad_library()]
    if sys.modules.get("torch") is not None:
        libs.append(torch_library())
    return libs


def is_module(obj) -> bool:
    """An nn.Module of minigrad or of PyTorch (for names: its parameters get named_parameters() names)."""
    if isinstance(obj, Module):
        return True
    torch = sys.modules.get("torch")
    return torch is not None and type(obj).__module__.split(".")[0] == "torch" and isinstance(obj, torch.nn.Module)
