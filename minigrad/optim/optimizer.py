"""The Optimizer base: holds the parameters (in groups) and the per-parameter state.

>>> import minigrad
>>> from minigrad import optim
>>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.1)
>>> (w * w).sum().backward()        # grad = 2w = [2, 4]
>>> opt.step()                      # w - 0.1 * grad
>>> w
tensor([0.8000, 1.6000], requires_grad=True)
>>> opt.zero_grad(); w.grad is None
True
"""
from __future__ import annotations

import warnings

from typing import Any, Iterable, Iterator

import numpy as np

from .._parameters import zero_grads
from ..tensor import Tensor


class Optimizer:
    """Base class of the optimizers: subclasses implement `step()`.

    `param_groups` is a list of dicts, each with a 'params' list and the settings (lr, ...) used for
    those parameters; `state` maps each parameter to what the optimizer remembers about it (a
    momentum buffer, Adam's moment estimates), as tensors. `state_dict()` / `load_state_dict()`
    save and restore both.
    """

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            f"but got {params.dtype} tensor; pass [tensor] or model.parameters()")
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        self._work: dict[tuple, np.ndarray] = {}  # scratch arrays of step(): see _scratch
        self._views: dict[tuple, np.ndarray] = {}  # their views shaped like the parameters
        self._plans: dict[int, list] = {}  # each group's scratch views and numbers: see _work_arrays
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters with its own settings (the others come from the defaults)."""
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor (one made by an operation, with a grad_fn); "
                                 "optimize the leaf tensors you created, e.g. model.parameters()")
        if len({id(p) for p in params}) != len(params):  # (PyTorch keeps both: a step updates p twice)
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append({**self.defaults, **group, "params": params})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients before the next backward (which adds to .grad, it does not replace it)."""
        for group in self.param_groups:
            zero_grads(group["params"], set_to_none)

    def step(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define step()")

    def state_dict(self) -> dict[str, Any]:
        """What the optimizer remembers, in PyTorch's layout, to save and resume training later:

            {"state": {index: {"momentum_buffer": tensor, ...}},        (only parameters with state)
             "param_groups": [{"lr": ..., ..., "params": [index, ...]}]}

        Parameters are numbered in the order of the groups, so the dict holds no reference to them and
        a new optimizer over another model of the same shape can load it. The tensors are the
        optimizer's own (as in PyTorch): copy the dict (copy.deepcopy) to keep a snapshot.
        """
        index = {id(p): i for i, p in enumerate(p for g in self.param_groups for p in g["params"])}
        return {"state": {index[id(p)]: dict(s) for p, s in self.state.items()},
                "param_groups": [{**g, "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Take the settings and the state of `state_dict` (from state_dict()) for this optimizer's parameters,
        matched by position; the groups must have the same sizes. Tensors are copied."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(own["params"]) for g, own in zip(groups, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        by_index = {}
        for g, own in zip(groups, self.param_groups):
            by_index.update(zip(g["params"], own["params"]))
        self.state = {}
        for i, saved in state_dict["state"].items():
            p = by_index[int(i)]
            self.state[p] = {k: _copy_state(v, p) for k, v in saved.items()}
        self.param_groups = [{**g, "params": own["params"]} for g, own in zip(groups, self.param_groups)]

    def _gradients(self, group: dict[str, Any], numbers: tuple, maximize: bool,
                   two: bool = True) -> Iterator[tuple[Tensor, np.ndarray, np.ndarray, np.ndarray, Any, tuple]]:
        """(p, data, g, work0, work1, numbers) for every parameter p of `group` that has a gradient: what
        every step() walks over. data is p's array; g its gradient as a NumPy array with maximize
        and weight decay (the last of `numbers`, 0 for none) applied as PyTorch's SGD and Adam do
        first; work0 and work1 scratch arrays shaped like p (work1 None unless `two`), g being
        work0 when maximize or weight decay applied (else p.grad's own array: read it, never
        write it, it is the user's .grad); numbers: `numbers` (what the step computed from the
        group's settings) in p's precision (np.float32 for a float32 p, see _single).

        Read every step, so that settings changed between steps are seen; per parameter only what
        is needed (see _work_arrays: a generator costs about 35 ns a parameter, a dict lookup as much)."""
        entries, numbers32 = self._work_arrays(group, numbers)
        weight_decay = numbers[-1]
        for i, p in enumerate(group["params"]):
            grad = p._grad
            if grad is None:
                if p.grad_fn is not None:  # a parameter that became a non-leaf: .grad warns, as PyTorch's
                    p.grad
                continue
            data = p._data
            entry = entries[i]
            if entry[0] is not data or (two and entry[2] is None):
                entry = entries[i] = self._entry(p, two)
            _, work0, work1, single = entry
            own = numbers32 if single else numbers
            g = grad._data
            if weight_decay:  # into work0: -g + wd * p is wd * p - g exactly, one pass each
                np.multiply(data, own[-1], out=work0)
                g = np.subtract(work0, g, out=work0) if maximize else np.add(work0, g, out=work0)
            elif maximize:
                g = np.negative(g, out=work0)
            yield p, data, g, work0, work1, own

    def _work_arrays(self, group: dict[str, Any], numbers: tuple) -> tuple[list[tuple], tuple]:
        """What a step keeps for `group` between steps: (entries, numbers32).

        `entries`: (data, work0, work1, single) for each parameter of the group, by position:
        `work0` and `work1` are scratch arrays shaped like the parameter's array `data` (see
        _scratch), kept so that a step does not look them up again for every parameter. A step
        checks each entry before using it (`entry[0] is p._data`, see _entry), and the list as a
        whole is remade when the group or its params list is another object or changed length, so a
        parameter given a new array (p.data = ...), a params list edited in place, groups added or
        replaced, or load_state_dict (which makes new group dicts) are all seen.

        `numbers32`: `numbers` (what the step computed from the group's settings this time) as
        np.float32 (see _single), made again whenever they differ from the last step's (comparing
        costs less than making them: about 0.3 us each)."""
        params = group["params"]
        plan = self._plans.get(id(group))
        if plan is None or plan[0] is not group or plan[1] is not params or len(plan[2]) != len(params):
            if len(self._plans) >= len(self.param_groups):  # forget the plans of groups no longer here
                self._plans = {id(g): q for g in self.param_groups if (q := self._plans.get(id(g))) and q[0] is g}
            plan = self._plans[id(group)] = [group, params, [_NO_ENTRY] * len(params), None, None]
        if plan[3] != numbers or not numbers[0]:  # (0.0 == -0.0: a first number of 0, SGD's lr, is made anew)
            plan[3], plan[4] = numbers, _single(*numbers)
        return plan[2], plan[4]

    def _entry(self, p: Tensor, two: bool = True) -> tuple:
        """The (data, work0, work1, single) of _work_arrays for p as it is now; single: float32 (whose
        steps take their numbers as np.float32: see _single). work1 is None unless `two` are asked
        for (the second scratch array is as large as the largest parameter: made only if used)."""
        return p._data, self._scratch(p, 0), self._scratch(p, 1) if two else None, p._data.dtype == np.float32

    def _scratch(self, p: Tensor, which: int) -> np.ndarray:
        """A work array shaped like p (which = 0 or 1: two that may be used at once), for the
        intermediate results of a step, which NumPy then writes with out= instead of allocating new
        arrays every step (for a 256x256 weight each new array is 256 KB that the allocator may have
        to fetch from the system again). One flat array per dtype and `which`, as large as the
        largest parameter, shared by all parameters (a step handles one at a time); kept by the
        optimizer but not in its state, which is PyTorch's (state_dict saves only that)."""
        data = p._data
        view = self._views.get((data.shape, data.dtype, which))
        if view is None:  # (the views are kept too: making one costs about as much as a small update)
            key = (data.dtype, which)
            flat = self._work.get(key)
            if flat is None or flat.size < data.size:
                flat = self._work[key] = np.empty(data.size, data.dtype)
                self._views = {k: v for k, v in self._views.items() if k[1:] != key}  # views of the old one
            view = self._views[data.shape, data.dtype, which] = flat[:data.size].reshape(data.shape)
        return view

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines + [")"])


def _copy_state(value: Any, p: Tensor) -> Any:
    """A loaded state value: tensors copied (a buffer shaped like p takes p's dtype), the rest as is."""
    if not isinstance(value, Tensor) and not hasattr(value, "detach"):
        return value
    array = value._data if isinstance(value, Tensor) else np.asarray(value.detach().cpu().numpy())
    if array.shape == tuple(p.shape) and array.ndim:
        array = array.astype(p._data.dtype)
    return Tensor._make(np.array(array, copy=True))


def _implementation_options(differentiable: bool, **same_results) -> dict:
    """PyTorch's switches that choose an implementation (foreach, fused, capturable): minigrad has one,
    which gives the same numbers, so they are kept in the group as given. differentiable=True (a step
    that autograd records) is not built."""
    if differentiable:
        raise NotImplementedError("minigrad's optimizers take their step outside autograd: differentiable=True is "
                                  "not supported (leave it False)")
    return dict(same_results, differentiable=False)


_NO_ENTRY = (None, None, None, None)  # an entry of _work_arrays not made yet (no array is None)


def _single(*numbers: float) -> tuple:
    """The numbers as np.float32, for the steps of float32 parameters: the same value NumPy rounds a
    Python float to when it meets a float32 array, given ready (a Python float costs each NumPy call
    about 0.1 us to convert, as much as the arithmetic on a small parameter)."""
    return tuple(map(np.float32, numbers))


def _bump_version(p: Tensor) -> None:
    """p's version + 1, as any in-place change makes it: a graph that saved the old p refuses to backward.
    (Tensor._bump_version, whose counter is made on first use, with the usual case written out.)"""
    versions = p._versions
    if versions is None:
        p._bump_version()
    else:
        versions.value += 1


def _check(name: str, value: float, low: float = 0.0) -> None:
    if not value >= low:  # also catches nan
        raise ValueError(f"Invalid {name} value: {value}")
