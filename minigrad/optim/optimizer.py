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

from typing import Any, Iterable

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
        self._plans: dict[int, _Plan] = {}  # what a step keeps for each group, by id(group): see _plan
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
        index, start = {}, 0  # (a parameter listed twice, as PyTorch numbers it: its last place in the
        for g in self.param_groups:  # first group that lists it)
            index.update({id(p): i for i, p in enumerate(g["params"], start) if id(p) not in index})
            start += len(g["params"])
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

    def _plan(self, group: dict[str, Any], numbers: tuple, two: bool = True) -> _Plan:
        """What a step keeps for `group` between steps, checked and brought up to date: a _Plan.

        Its `entries` hold, for each parameter of the group by position, (data, work0, work1,
        single): `work0` and `work1` are scratch arrays shaped like the parameter's array `data`
        (see _scratch; work1 None unless `two` are asked for: the second is made only if used),
        `single` whether data is float32 (whose steps take their numbers as float32: see
        _single). Kept so that a step does not look them up again for every parameter: a step
        runs its loop's lines for every parameter at every training step, and their Python is
        part of what minigrad costs beyond NumPy's arithmetic (issue #14); so the checks are
        identity checks, a few per group and one per parameter. A step walks
        `zip(plan.params, plan.entries)` and checks each entry before using it (`p._data is data`,
        else _fresh_entry); here the plan as a whole is made again when the group's params list is
        another object, changed length, or a second scratch array is asked for the first time. So
        a parameter given a new array (p.data = ...), a params list edited in place, groups added
        or replaced, or load_state_dict (which makes new group dicts) are all seen.

        `numbers` (what the step computed from the group's settings, read every step so that
        changed settings are seen) are kept with their np.float32 twins (`numbers32`), made again
        whenever they differ from the last step's (comparing costs less than making them: about
        0.3 us each)."""
        params = group["params"]
        plan = self._plans.get(id(group))  # (the plan holds its group: no other dict can have that id meanwhile)
        if plan is None or plan.params is not params or len(plan.entries) != len(params) or (two and not plan.two):
            if len(self._plans) >= len(self.param_groups):  # forget the plans of groups no longer here
                self._plans = {id(g): q for g in self.param_groups if (q := self._plans.get(id(g))) and q.group is g}
            # (entries only for the parameters that have a gradient now: the scratch arrays are as large
            # as the largest parameter they serve, and a frozen one needs none)
            entries = [self._entry(p, two) if p._grad is not None else _NO_ENTRY for p in params]
            plan = self._plans[id(group)] = _Plan(group, params, entries, two)
        if plan.numbers != numbers or not numbers[0]:  # (0.0 == -0.0: a first number of 0, SGD's lr, is made anew)
            plan.numbers, plan.numbers32 = numbers, _single(*numbers)
        return plan

    def _fresh_entry(self, plan: _Plan, p: Tensor) -> tuple:
        """The entry of p for this step when the plan's was made for another array (p.data = ..., the
        params list edited in place) or not made yet (p had no gradient then). The step walks the
        entries without their positions, so the plan's own entry is not replaced: the whole plan is
        made again at the next step instead (setting its `params` to None fails _plan's check)."""
        plan.params = None
        return self._entry(p, plan.two)

    def _entry(self, p: Tensor, two: bool = True) -> tuple:
        """The (data, work0, work1, single) of a plan's entries for p as it is now (see _plan)."""
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


class _Plan:
    """What a step keeps for one parameter group between steps (see Optimizer._plan): the group and
    its params list it was made for, one entry per parameter, whether they have two scratch arrays,
    and the group's numbers of the last step with their np.float32 twins."""

    __slots__ = ("group", "params", "entries", "two", "numbers", "numbers32")

    def __init__(self, group: dict[str, Any], params: list, entries: list[tuple], two: bool) -> None:
        self.group, self.params, self.entries, self.two = group, params, entries, two
        self.numbers = self.numbers32 = None


_NO_ENTRY = (None, None, None, None)  # an entry of a plan not made yet (no parameter's array is None)


def _single(*numbers: float) -> tuple:
    """The numbers as 0-dim float32 arrays, for the steps of float32 parameters: the same value NumPy
    rounds a Python float to when it meets a float32 array, given ready. (A Python float costs each
    NumPy call about 0.3 us to convert, and an np.float32 about 0.2 us more than a 0-dim array: as much
    as the arithmetic on a small parameter. The results are the same.)"""
    return tuple(_read_only(np.array(n, dtype=np.float32)) for n in numbers)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # (shared by every step until the settings change: never written)
    return array


def _adjusted(g: np.ndarray, data: np.ndarray, weight_decay: Any, maximize: bool, work: np.ndarray) -> np.ndarray:
    """The gradient g with maximize and weight decay applied, as PyTorch's SGD and Adam do first, into
    `work` (never into g: it is the user's .grad): -g, and/or + weight_decay * data."""
    if weight_decay:  # -g + wd * p is wd * p - g exactly: one pass each
        np.multiply(data, weight_decay, out=work)
        return np.subtract(work, g, out=work) if maximize else np.add(work, g, out=work)
    return np.negative(g, out=work)


def _bump_version(p: Tensor) -> None:
    """p's version + 1, as any in-place change makes it: a graph that saved the old p refuses to backward.
    The usual case written out; Tensor._bump_version makes the counter on first use (p._versions None),
    and finds the one shared by a tensor detached in place (whose `value` cannot be set)."""
    try:
        p._versions.value += 1
    except AttributeError:
        p._bump_version()


def _check(name: str, value: float, low: float = 0.0) -> None:
    if not value >= low:  # also catches nan
        raise ValueError(f"Invalid {name} value: {value}")
