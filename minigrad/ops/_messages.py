"""PyTorch's words for shapes that do not fit together (broadcasting, expand).

>>> broadcast_message((2, 3), (4,))
'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1'
>>> expand_error((2,), (3, 2))
''
"""
from __future__ import annotations

import builtins




def expand_error(have: tuple, shape: tuple) -> str:
    """PyTorch's words for why a tensor of shape `have` cannot be expanded to `shape` ('' if it can)."""
    lead = len(shape) - len(have)
    if lead < 0:
        return (f"expand(tensor of shape {list(have)}, size={list(shape)}): the number of sizes provided "
                f"({len(shape)}) must be greater or equal to the number of dimensions in the tensor ({len(have)})")
    for i in range(len(have) - 1, -1, -1):  # (the last dimension first, as PyTorch checks them)
        n, s = have[i], shape[lead + i]
        if n != s and n != 1:
            return (f"The expanded size of the tensor ({s}) must match the existing size ({n}) at non-singleton "
                    f"dimension {lead + i}.  Target sizes: {list(shape)}.  Tensor sizes: {list(have)}")
    return ""


def broadcast_message(a: tuple, b: tuple) -> str:
    """PyTorch's words for two shapes that do not broadcast."""
    n = builtins.max(len(a), len(b))  # this module defines its own max (the tensor op)
    for i in range(1, n + 1):
        sa = a[-i] if i <= len(a) else 1
        sb = b[-i] if i <= len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            return (f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                    f"at non-singleton dimension {n - i}")
    return f"shapes {list(a)} and {list(b)} cannot be broadcast together"
