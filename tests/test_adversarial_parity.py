"""Everyday PyTorch calls with generated odd arguments, run once with `T = torch` and once with
`T = minigrad`: both must give the same value, or an error of the same type. The programs come from an
independent tester's differential run (creation with odd sizes and data, scalar conversion, `.grad`
assignment, nn.Module state dicts, optimizer and random-number arguments); each group below failed before
the fix it guards."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigrad

torch = pytest.importorskip("torch")


def _plain(value):
    """A value with the library's name taken out, so torch's and minigrad's answers compare as equal."""
    if isinstance(value, (torch.Tensor, minigrad.Tensor)):
        return ("tensor", str(value.dtype).split(".")[-1], tuple(value.shape), value.detach().tolist(),
                value.requires_grad)
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [_plain(v) for v in value]
    if isinstance(value, (torch.dtype, minigrad.dtype)):
        return str(value).split(".")[-1]
    if isinstance(value, (int, float, bool, str, type(None))):
        return value
    return repr(value).replace("torch.", "").replace("minigrad.", "")


def _outcome(code: str, library) -> tuple:
    env = {"T": library, "nn": library.nn, "optim": library.optim, "np": np}
    library.manual_seed(0)
    try:
        exec(code, env)  # noqa: S102 - the generated programs below, nothing else
    except Exception as e:  # noqa: BLE001 - the kind of error is what is compared
        return ("error", type(e).__name__)
    return ("value", _plain(env["r"]))


def _differences(programs: list[str]) -> list[str]:
    found = []
    for code in programs:
        expected, got = _outcome(code, torch), _outcome(code, minigrad)
        if expected != got:
            found.append(f"{code!r}\n    torch: {expected}\n    minigrad: {got}")
    return found


LAYERS = "m = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)); sd = m.state_dict()\n"
STATE_DICT_EDITS = ["pass", "sd['x'] = T.zeros(1)", "del sd['0.bias']", "sd['0.bias'] = T.zeros(5)",
                    "sd['0.bias'] = [1.0, 2.0]", "sd['0.bias'] = None", "sd['x'] = T.zeros(1); del sd['2.weight']",
                    "sd['0.weight'] = T.zeros(3, 2); sd['y'] = 1"]


def test_load_state_dict_keys_shapes_and_types_as_in_pytorch():
    programs = [LAYERS + f"{edit}\nr = str(m.load_state_dict(sd{strict}))"
                for edit, strict in itertools.product(STATE_DICT_EDITS, ["", ", strict=True", ", strict=False"])]
    programs += [LAYERS + f"{edit}\ntry: m.load_state_dict(sd)\nexcept RuntimeError: pass\nr = m[0].bias"
                 for edit in STATE_DICT_EDITS]  # a refused state dict changes nothing
    programs += [LAYERS + f"m[{i}].{name} = nn.Parameter(T.zeros({shape})); r = [n for n, _ in m.named_parameters()]"
                 for i, (name, shape) in itertools.product((0, 2), (("weight", "1"), ("bias", "2")))]
    assert _differences(programs) == []
