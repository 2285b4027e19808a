"""(4) Memory of one training step of the large MLP (batch 256, 64-256-256-10), measured with tracemalloc.

NumPy reports its array allocations to tracemalloc, so this counts the arrays minigrad makes. We
report the peak during forward and during backward, what is still allocated after backward, and
compare with two sizes that explain them: the arrays the graph saved for backward, and the
parameters plus their gradients (which is what should remain once backward has freed the graph).
The hand-written NumPy step is measured the same way as a baseline. (PyTorch allocates outside
Python's allocator, where tracemalloc cannot see, so it has no column here.)
"""
from __future__ import annotations

import gc
import tracemalloc

import numpy as np

import minigrad

from . import common
from .bench_mlp import HandMLP
from .common import table


def _mb(n: float) -> str:
    return f"{n / 2**20:.2f} MB"


def saved_bytes(root, exclude: set[int] = frozenset()) -> int:
    """Bytes of the distinct arrays the graph under `root` saved for backward (not those in `exclude`)."""
    arrays, stack, seen = {}, [root.grad_fn], set()
    while stack:  # walk the graph through its public attributes, iteratively
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        for t in getattr(node, "saved_tensors", ()):
            if t is not None:
                data = t if isinstance(t, np.ndarray) else t._data  # (a node may give bare arrays)
                base = data if data.base is None else data.base
                if id(base) not in exclude:
                    arrays[id(base)] = base.nbytes
        stack.extend(child for child, _ in node.next_functions)
    return sum(arrays.values())


def measure(lib) -> dict[str, int]:
    """One step of the large MLP with `lib` (minigrad or its second copy), measured with tracemalloc."""
    sizes, batch = [64, 256, 256, 10], 256
    rng = np.random.default_rng(0)
    X = rng.normal(size=(batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], size=batch)
    lib.manual_seed(0)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    mX, my = lib.tensor(X), lib.tensor(y)
    params = sum(p._data.nbytes for p in model.parameters())
    loss_fn(model(mX), my).backward()  # warm-up: first-call allocations are not the step's
    opt.step()  # (the momentum buffers are made at the first step)
    model.zero_grad()
    gc.collect()

    tracemalloc.start()
    loss = loss_fn(model(mX), my)
    after_forward, peak_forward = tracemalloc.get_traced_memory()
    # The parameters and the input existed before the step: count only what forward made and saved.
    saved = saved_bytes(loss, exclude={id(p._data) for p in model.parameters()} | {id(mX._data)})
    tracemalloc.reset_peak()
    loss.backward()
    after_backward, peak_backward = tracemalloc.get_traced_memory()
    grads = sum(p.grad._data.nbytes for p in model.parameters())
    del loss
    gc.collect()
    after_release, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    opt.step()
    after_step, peak_step = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    linears = [m for m in model if isinstance(m, nn.Linear)]
    return dict(saved=saved, params=params, after_forward=after_forward, peak_forward=peak_forward,
                peak_backward=peak_backward, after_backward=after_backward, after_release=after_release,
                grads=grads, step_peak=peak_step - after_release, step_held=after_step - after_release,
                scratch=sum(a.nbytes for a in getattr(opt, "_work", {}).values()),
                weights=[m.weight.detach().numpy() for m in linears], biases=[m.bias.detach().numpy() for m in linears],
                X=X, y=y)


def main(quick: bool = False) -> dict:
    libs = {"minigrad": minigrad}
    if common.BEFORE is not None:
        libs["minigrad (before)"] = common.BEFORE
    results = {name: measure(lib) for name, lib in libs.items()}
    first = results["minigrad"]
    hand = HandMLP(first["weights"], first["biases"], "ce")
    hand.step(first["X"], first["y"])
    gc.collect()
    tracemalloc.start()
    hand.step(first["X"], first["y"])  # forward, backward and update in one: its peak is the whole step
    _, peak_hand = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    labels = [
        ("saved", "arrays forward made and the graph saved (not params, not X)"),
        ("params", "parameters (and, equally, their gradients)"),
        ("after_forward", "held after forward (graph + outputs)"),
        ("peak_forward", "peak during forward"),
        ("peak_backward", "peak during backward"),
        ("after_backward", "held after backward (loss still referenced)"),
        ("after_release", "held after backward, loss dropped"),
        ("grads", "gradients made by backward"),
        ("step_peak", "optimizer step (SGD momentum, not the first): peak of new memory"),
        ("step_held", "optimizer step: new memory held after it"),
        ("scratch", "optimizer's scratch arrays (made at its first step, kept)"),
    ]
    rows = [[label] + [_mb(results[name][key]) for name in libs] for key, label in labels]
    rows.append(["NumPy by hand: peak of a whole step (fwd + bwd + update)", _mb(peak_hand)] + [""] * (len(libs) - 1))
    table("(4) Memory of one step, batch 256, 64-256-256-10 (tracemalloc; allocations made during the step)",
          rows, [""] + list(libs))
    return dict(results, peak_hand=peak_hand)
