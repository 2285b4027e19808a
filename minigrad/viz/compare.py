"""Manual and automatic gradients side by side, with their errors and a pass/fail mark per entry.

>>> import minigrad
>>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> (x ** 2).sum().backward()
>>> result = compare(2 * x.detach(), x.grad, names=["d/dx"])
>>> result.passed
True
>>> print(result)
name  manual  autograd  max abs err  max rel err  ok
d/dx  [2, 4]  [2, 4]    0            0            PASS
the entry matches (rtol=1e-05, atol=1e-08)
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from ._graph import library_of
from ._picture import fmt_number, fmt_values


@dataclass
class Row:
    """One compared entry: its values and how far apart they are."""

    name: str
    manual: np.ndarray
    auto: np.ndarray
    max_abs_err: float
    max_rel_err: float
    passed: bool


def _array(value, name: str, side: str) -> np.ndarray:
    if value is None:
        hint = " (was backward() called? a non-leaf keeps .grad only after retain_grad())" if side == "automatic" else ""
        raise ValueError(f"compare(): the {side} gradient of {name!r} is None{hint}")
    if library_of(value) is not None:  # a tensor of minigrad or of PyTorch
        return value.detach().cpu().numpy().astype(np.float64)
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"compare(): the {side} gradient of {name!r} must be a tensor or numbers, "
                        f"got {type(value).__name__}") from None


def _entries(manual, auto, names) -> list[tuple[str, object, object]]:
    """Pair up the entries: single values, lists/tuples (same length) or dicts (same keys)."""
    if isinstance(manual, dict) or isinstance(auto, dict):
        if not (isinstance(manual, dict) and isinstance(auto, dict)):
            raise TypeError("compare(): if one side is a dict, the other must be a dict with the same keys")
        if list(manual) != list(auto) and set(manual) != set(auto):
            raise ValueError(f"compare(): the dicts have different keys: {sorted(map(str, manual))} "
                             f"vs {sorted(map(str, auto))}")
        return [(str(k), manual[k], auto[k]) for k in manual]
    if isinstance(manual, (list, tuple)) != isinstance(auto, (list, tuple)) and (
            library_of(manual) is not None or library_of(auto) is not None):
        pass  # a list of numbers against one tensor: a single entry, written out by hand
    elif isinstance(manual, (list, tuple)) or isinstance(auto, (list, tuple)):
        if not (isinstance(manual, (list, tuple)) and isinstance(auto, (list, tuple))):
            raise TypeError("compare(): if one side is a list, the other must be a list of the same length")
        if len(manual) != len(auto):
            raise ValueError(f"compare(): {len(manual)} manual gradients but {len(auto)} automatic ones")
    pairs = list(zip(manual, auto)) if isinstance(manual, (list, tuple)) and isinstance(auto, (list, tuple)) \
        else [(manual, auto)]
    if names is None:
        labels = ["gradient"] if len(pairs) == 1 else [str(i) for i in range(len(pairs))]
    else:
        labels = [names] if isinstance(names, str) else [str(n) for n in names]
        if len(labels) != len(pairs):
            raise ValueError(f"compare(): {len(pairs)} entries but {len(labels)} names")
    return [(label, m, a) for label, (m, a) in zip(labels, pairs)]


class Comparison:
    """The result of compare(): `.passed`, `.rows`; a table in Jupyter (HTML) and as text."""

    def __init__(self, rows: list[Row], rtol: float, atol: float) -> None:
        self.rows, self.rtol, self.atol = rows, rtol, atol
        self.passed = all(r.passed for r in rows)

    def __bool__(self) -> bool:
        return self.passed

    def _cells(self) -> list[list[str]]:
        return [[r.name, fmt_values(r.manual), fmt_values(r.auto), fmt_number(r.max_abs_err),
                 fmt_number(r.max_rel_err), "PASS" if r.passed else "FAIL"] for r in self.rows]

    def _summary(self) -> str:
        failed = sum(not r.passed for r in self.rows)
        tol = f"(rtol={self.rtol:g}, atol={self.atol:g})"
        n = len(self.rows)
        if not failed:
            return f"the entry matches {tol}" if n == 1 else f"all {n} entries match {tol}"
        return f"{failed} of {n} {'entry differs' if n == 1 else 'entries differ'} {tol}"

    def __str__(self) -> str:
        header = ["name", "manual", "autograd", "max abs err", "max rel err", "ok"]
        table = [header] + self._cells()
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
        return "\n".join(lines + [self._summary()])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left;padding:2px 10px'>{h}</th>" for h in
                       ["name", "manual", "autograd", "max abs err", "max rel err", ""])
        body = []
        for r, cells in zip(self.rows, self._cells()):
            mark = ("<span style='color:#1a7f37;font-weight:bold'>&#10004; pass</span>" if r.passed else
                    "<span style='color:#cf222e;font-weight:bold'>&#10008; FAIL</span>")
            tds = "".join(f"<td style='text-align:left;padding:2px 10px;font-family:monospace'>{html.escape(c)}</td>"
                          for c in cells[:5])
            body.append(f"<tr>{tds}<td style='padding:2px 10px'>{mark}</td></tr>")
        colour = "#1a7f37" if self.passed else "#cf222e"
        return (f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>"
                f"<p style='color:{colour};margin:4px 0'>{html.escape(self._summary())}</p>")


def compare(manual, auto, names=None, rtol: float = 1e-5, atol: float = 1e-8) -> Comparison:
    """Compare gradients computed by hand (`manual`) with autograd's (`auto`).

    Each may be one tensor (or number), a list/tuple of them, or a dict {name: tensor} (then the
    keys are the names). An entry passes when |manual - auto| <= atol + rtol * |auto| everywhere,
    the rule of minigrad.allclose / torch.allclose. Shapes must be equal.
    """
    rows = []
    for name, m, a in _entries(manual, auto, names):
        mv, av = _array(m, name, "manual"), _array(a, name, "automatic")
        if mv.shape != av.shape:
            raise ValueError(f"compare(): shape mismatch for {name!r}: manual gradient has shape "
                             f"{list(mv.shape)}, automatic has shape {list(av.shape)}")
        diff = np.abs(mv - av)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(diff == 0, 0.0, diff / np.abs(av))
        max_abs = float(diff.max()) if diff.size else 0.0
        max_rel = float(rel.max()) if rel.size else 0.0
        ok = bool(np.allclose(mv, av, rtol=rtol, atol=atol))
        rows.append(Row(name, mv, av, max_abs, max_rel, ok))
    return Comparison(rows, rtol, atol)
