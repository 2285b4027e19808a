"""Write docs/api.md: everything minigrad offers, one line each, read from the code itself.

    .venv/bin/python docs/make_api.py            # rewrite docs/api.md
    .venv/bin/python docs/make_api.py --check    # exit 1 if docs/api.md is out of date (a test runs this)

Each entry is the name, its signature, and the first line of its docstring, so the page is as
correct as the code and cannot drift from it. Names PyTorch has and minigrad lacks are simply absent:
what is listed here is what a ported program may use.
"""
from __future__ import annotations

import inspect
import os
import sys

import minigrad
from minigrad import autograd, data, nn, ops, optim, viz
from minigrad.nn import functional

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api.md")


def _summary(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _signature(obj, drop_first: bool = False, returns: bool = True) -> str:
    """`(a, b=1) -> T` as the source writes it, without quotes; drop_first leaves out self."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    if drop_first:
        sig = sig.replace(parameters=list(sig.parameters.values())[1:])
    if not returns:
        sig = sig.replace(return_annotation=inspect.Signature.empty)
    return str(sig).replace("'", "").replace('"', "")


def _entry(prefix: str, name: str, obj) -> str:
    if isinstance(obj, property):  # an attribute: x.shape, not x.shape()
        returns = _signature(obj.fget).partition(" -> ")[2]
        head, summary = f"{prefix}{name}" + (f" -> {returns}" if returns else ""), _summary(obj.fget)
    elif isinstance(obj, type):  # a class: its constructor's parameters (none shown if it takes none of its own)
        own_init = any("__init__" in vars(k) for k in obj.__mro__ if k.__module__.startswith("minigrad"))
        params = _signature(obj.__init__, drop_first=True, returns=False) if own_init else "()"
        head, summary = f"{prefix}{name}{params}", _summary(obj)
    else:
        head, summary = f"{prefix}{name}{_signature(obj, drop_first=prefix == 'x.')}", _summary(obj)
    return f"- `{head}`" + (f": {summary}" if summary else "")


def _section(title: str, prefix: str, names_objects) -> list[str]:
    lines = [f"## {title}", ""]
    lines += [_entry(prefix, name, obj) for name, obj in sorted(names_objects, key=lambda p: p[0].lower())]
    return lines + [""]


def _public(module, names=None):
    names = names if names is not None else getattr(module, "__all__", None) or dir(module)
    for name in names:
        if name.startswith("_"):
            continue
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        if getattr(obj, "__module__", "").startswith("minigrad") or callable(obj):
            yield name, obj


def _tensor_members():
    for name, obj in vars(minigrad.Tensor).items():
        if name.startswith("_"):
            continue
        if isinstance(obj, property):
            yield name, obj
        elif callable(obj):
            yield name, getattr(minigrad.Tensor, name)


def _operations() -> list[str]:
    """Every built-in op (the nodes a graph can show), read from the op definitions themselves: its node
    name, where it is defined, and its formula (the text the backward stepper shows) or its docstring."""
    lines = ["## Operations (the nodes of a graph)", "",
             "Each op is defined once, in `minigrad/ops/<family>.py`, with its derivative; the backward stepper",
             "shows the same formula text.", ""]
    rows = []
    for op in ops.OPS:
        where = f"{op.__module__.rsplit('.', 1)[-1]}.{op.__name__}"
        rows.append((op.node_name, where, op.formula or _summary(op)))
        rows += [(name, where, text) for name, text in op.node_formulas.items()]
    lines += [f"- `{name}` ({where}): {text}" for name, where, text in sorted(rows, key=lambda r: (r[0].lower(), r[1]))]
    return lines + [""]


def page() -> str:
    top = [(n, o) for n, o in _public(minigrad) if not isinstance(o, (minigrad.dtype, type(None)))
           and n not in ("Tensor", "Size") and (callable(o))]
    dtypes = sorted(n for n in dir(minigrad) if isinstance(getattr(minigrad, n), minigrad.dtype))
    modules = [(n, o) for n, o in _public(nn) if isinstance(o, type)]
    lines = ["# minigrad's API", "",
             "Generated from the code by `docs/make_api.py` (do not edit by hand): each name with its signature and",
             "the first line of its docstring. The names and meanings are PyTorch's, so `import minigrad as torch`",
             "runs a program that keeps to this list. `help(name)` in a notebook shows the whole docstring.", "",
             f"dtypes: {', '.join(f'`minigrad.{d}`' for d in dtypes)}.", ""]
    lines += _section("minigrad", "minigrad.", top)
    lines += _section("Tensor methods and properties", "x.", _tensor_members())
    lines += _operations()
    lines += _section("minigrad.autograd", "minigrad.autograd.", _public(autograd))
    lines += _section("minigrad.nn (modules)", "nn.", modules)
    lines += _section("minigrad.nn.functional", "F.", [(n, o) for n, o in _public(functional)
                                                        if inspect.isfunction(o) and o.__module__ == functional.__name__])
    lines += _section("minigrad.optim", "optim.", _public(optim))
    lines += _section("minigrad.data (toy data sets for the lessons)", "minigrad.data.", _public(data, data.__all__))
    lines += _section("minigrad.viz (pictures)", "minigrad.viz.", _public(viz))
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = page()
    if "--check" in argv:
        current = open(HERE, encoding="utf-8").read() if os.path.exists(HERE) else ""
        if current != text:
            print("docs/api.md is out of date: run .venv/bin/python docs/make_api.py")
            return 1
        return 0
    with open(HERE, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
