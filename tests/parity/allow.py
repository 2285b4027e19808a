"""Deliberate differences: outcomes the suite accepts although they are not `same`.

Each entry quotes the paragraph of docs/architecture.md, "Where minigrad differs from PyTorch, on
purpose", that explains it, and matches as narrowly as it can (a category, a name, the words of the
difference). A missing feature is not a deliberate difference: it fails the suite until it is built.
tests/parity/test_classify.py checks that each entry's paragraph is still in docs/architecture.md (an
entry outliving its reason would hide a regression).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .runner import DIFFERENT, FALSE_ERROR, MISSING, Outcome


@dataclass(frozen=True)
class Allowed:
    paragraph: str       # words of the docs/architecture.md paragraph that explains it
    classes: tuple       # which outcome classes it may excuse
    pattern: str         # a regular expression searched in "category:name[label] | detail"

    def matches(self, outcome: Outcome) -> bool:
        return outcome.kind in self.classes and re.search(self.pattern, f"{outcome.case.ident} | {outcome.detail}") is not None


ALLOWED = [
    Allowed("An in-place op on a view of a tracked tensor is refused with an explanation",
            (FALSE_ERROR,), r"does not record in-place changes to a view"),
    Allowed("Writing into a tensor with broadcasting (`x[mask] = v`) records no `ExpandBackward0` node",
            (DIFFERENT,), r"__setitem__.*grad_fn chain torch \('CopySlices'.*'ExpandBackward0'"),
    Allowed("`x.sum(None)` and `x.mean(None)` record `SumBackward0` / `MeanBackward0`",
            (DIFFERENT,), r"dim=None.*grad_fn chain torch \('(Sum|Mean)Backward1'"),
    Allowed("Differentiating `norm` twice at x = 0 gives 0 in minigrad; PyTorch gives nan there",
            (DIFFERENT,), r"norm.*double.*values torch .*nan"),
    # A view made under no_grad of a leaf that requires grad, then v.requires_grad_(False): PyTorch's
    # flag still follows the base (True), minigrad's was fixed when the view was made and is now False.
    Allowed("A view's `requires_grad` is fixed when it is made; PyTorch's follows its base",
            (DIFFERENT,), r"inplace:Tensor\.requires_grad_\(False\)\[ng_view_leaf.*requires_grad torch True, minigrad False"),
    Allowed("`iter(x)` / `list(x)` records one `SelectBackward0` per item",
            (DIFFERENT,), r"__iter__.*grad_fn chain torch \('UnbindBackward0'.*minigrad \('SelectBackward0'"),
    Allowed("integer or bool `b` from a tracked `w` leaves `b` untracked",
            (DIFFERENT,), r"__setitem__\[[^]]*,(bool|int64),[^]]*\].*requires_grad torch True, minigrad False"),
    # The dtype names minigrad does not provide (any other missing name fails the suite).
    Allowed("Four dtypes only: float32, float64, int64 and bool",
            (MISSING, FALSE_ERROR), r"module 'minigrad' has no attribute '(float16|half|bfloat16|int32|int16|int8|uint8|complex64|complex128)'|"
            r"from_numpy\(\): minigrad has no dtype (int32|int16|int8|uint8|float16)"),
]


def excuse(outcome: Outcome) -> str:
    """The paragraph that allows this outcome, or ''."""
    for entry in ALLOWED:
        if entry.matches(outcome):
            return entry.paragraph
    return ""
