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


SIZES = ["3", "(2, 3)", "[2, 3]", "np.int64(3)", "T.tensor(3)", "2, T.tensor(3)", "()", "(0, 3)", "T.Size([2, 3])",
         "(2,)", "T.tensor(3.)", "T.tensor([2, 3])", "2.0", "-1"]


def test_creation_sizes_as_in_pytorch():
    programs = [f"r = T.{make}({size}{extra}).shape" for make, size, extra in
                itertools.product(["zeros", "ones", "empty", "rand", "randn"], SIZES,
                                  ["", ", dtype=T.float64", ", requires_grad=True", ", dtype=T.int64, requires_grad=True"])]
    programs += [f"r = T.randint(5, ({size},)).shape" for size in SIZES[:5]]
    programs += [f"r = T.{make}_like({data}).shape, T.{make}_like({data}).dtype" for make, data in itertools.product(
        ["empty", "randn"], ("T.tensor([1, 2])", "T.zeros(0, 2)", "T.zeros(0, dtype=T.int64)", "T.tensor([True])"))]
    assert _differences(programs) == []


NUMBERS = ["T.tensor(1.)", "T.tensor(2)", "T.tensor(True)", "T.tensor([1.5])", "T.tensor([[3]])", "T.tensor([1., 2.])",
           "T.tensor([1, 2])", "T.tensor([True, False])", "T.tensor(1., dtype=T.float64)", "np.float64(1.5)",
           "np.float32(1.5)", "np.int64(3)", "np.array([1., 2.])", "np.array([1, 2])", "2.5", "7", "True"]


def test_tensors_and_numpy_values_inside_lists_as_in_pytorch():
    """torch.tensor([a, b]) reads a tensor as one number and lets each tensor or NumPy value bring its dtype."""
    programs = [f"r = T.{make}([{a}, {b}]{extra})" for make, (a, b), extra in
                itertools.product(["tensor", "as_tensor"], itertools.combinations(NUMBERS, 2),
                                  ["", ", dtype=T.float64", ", dtype=T.int64"])
                if "np.array" not in a + b or a.startswith("np.array") and b.startswith("np.array")]
    # (an array beside a number is an error in both, of a type that differs: reported, not fixed)
    programs += [f"r = T.tensor([[{a}], [{a}]])" for a in NUMBERS]
    assert _differences(programs) == []


def test_random_arguments_as_in_pytorch():
    programs = [f"r = T.randint({high}, (3,))" for high in ("5", "5.0", "5.5", "True", "np.int64(5)", "T.tensor(5)")]
    programs += [f"r = T.randint({low}, {high}, (3,))" for low, high in (("0", "5.5"), ("1.0", "5"), ("-3", "3"))]
    programs += [f"r = T.randperm({n})" for n in ("3", "3.0", "True", "np.int64(3)", "T.tensor(3)", "-1")]
    programs += [f"T.manual_seed({seed}); r = T.rand(2)"
                 for seed in ("2**64", "2**64 - 1", "2**63", "-2**63", "-2**63 - 1", "np.int64(3)", "7")]
    assert _differences(programs) == []


SOURCES = ["T.tensor(2.5)", "T.tensor([2.5])", "T.tensor([[3]])", "T.tensor([1., 2.])", "T.tensor([])", "T.tensor(3)",
           "T.tensor([True])", "T.tensor(2.5, requires_grad=True)", "T.zeros(1, 0)", "T.tensor(-2**63)"]
READS = ["t.item()", "t.tolist()", "float(t)", "int(t)", "bool(t)", "len(t)", "complex(t)", "t.__index__()",
         "[1, 2, 3][t]", "t.dim(), t.numel(), t.nelement(), t.ndimension()", "t.element_size()", "round(t)"]


def test_reading_numbers_out_of_tensors_as_in_pytorch():
    assert _differences([f"t = {source}; r = {read}" for source, read in itertools.product(SOURCES, READS)]) == []


GRADS = ["T.tensor([3., 4.])", "T.tensor([3., 4., 5.])", "T.tensor([3, 4])", "T.tensor([3., 4.], dtype=T.float64)",
         "[3., 4.]", "None", "3.0", "np.array([3., 4.])", "T.tensor(3.)"]


def test_assigning_grad_as_in_pytorch():
    programs = [f"x = T.tensor([1., 2.], requires_grad=True); x.grad = {grad}; r = x.grad" for grad in GRADS]
    programs += [f"x = T.tensor([1., 2.], requires_grad=True); x.grad = {grad}; (x * 2).sum().backward(); r = x.grad"
                 for grad in GRADS]
    assert _differences(programs) == []


OPTIMIZER_CALLS = ["[w], lr=T.tensor(0.1)", "[w], lr=T.tensor(0.1, dtype=T.float64)", "[w], lr=-1.0", "[], lr=0.1",
                   "[w * 2], lr=0.1", "w, lr=0.1", "[w], lr=0.1, weight_decay=-0.5", "[w], 0.3", "iter([w]), lr=0.1",
                   "[{'params': [w], 'lr': 0.5}], lr=0.1", "[{'params': [w]}, {'params': [w]}], lr=0.1"]


def test_optimizer_arguments_as_in_pytorch():
    programs = [f"w = T.ones(2, requires_grad=True); o = optim.{name}({call})\n"
                "(w * 2).sum().backward(); o.step(); o.step(); r = w"
                for name, call in itertools.product(["SGD", "Adam"], OPTIMIZER_CALLS)]
    assert _differences(programs) == []


def test_unreadable_data_and_odd_arguments_named_as_in_pytorch():
    programs = [f"r = T.tensor({data}{extra})" for data, extra in itertools.product(
        ["None", "[None]", "[1, None]", "[[1], [None]]", "{1, 2}", "[{1}, 2]", "object()"],
        ["", ", dtype=T.float64", ", dtype=T.float32"])]
    programs += [f"r = T.linspace(0, 1, {steps})" for steps in ("2.0", "True", "-1", "np.int64(3)", "0")]
    programs += [LAYERS + f"r = list(m.state_dict({args}).items())" for args in ("prefix='net.'", "keep_vars=True")]
    assert _differences(programs) == []


SHARED = ("class M(nn.Module):\n    def __init__(self):\n        super().__init__(); self.a = nn.Linear(1, 1); "
          "self.b = self.a; self.w = nn.Parameter(T.ones(2)); self.v = self.w\nm = M()\n")


def test_shared_parameters_and_modules_as_in_pytorch():
    """A parameter or module kept under two names: parameters() lists it once, state_dict under each name."""
    programs = [SHARED + f"r = {read}" for read in (
        "[n for n, _ in m.named_parameters()]", "[n for n, _ in m.named_parameters(remove_duplicate=False)]",
        "list(m.state_dict())", "[n for n, _ in m.named_modules()]",
        "[n for n, _ in m.named_modules(remove_duplicate=False)]", "len(list(m.parameters()))",
        "str(m.load_state_dict(m.state_dict()))")]
    programs.append(SHARED + "sd = m.state_dict(); del sd['v']; r = str(m.load_state_dict(sd, strict=False))")
    assert _differences(programs) == []


def test_grad_mode_decorators_on_generator_functions_match_pytorch():
    torch = pytest.importorskip("torch")
    results = []
    for L in (minigrad, torch):
        x = L.ones(2, requires_grad=True)
        seen = []
        for deco, outer in ((L.no_grad(), True), (L.enable_grad(), False), (L.set_grad_enabled(False), True)):
            @deco
            def gen():
                yield x * 2
                seen.append(L.is_grad_enabled())
                yield x * 3
            with L.set_grad_enabled(outer):
                it = gen()
                first = next(it)
                between = L.is_grad_enabled()
            second = next(it)
            seen.extend([first.requires_grad, between, second.requires_grad, L.is_grad_enabled()])
        results.append(seen)
    assert results[0] == results[1], results
