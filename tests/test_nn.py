"""minigrad.nn: modules, losses and functional, checked against values worked out by hand,
finite differences (float64) and, where torch is importable, PyTorch with the same weights."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minigrad
import minigrad.nn.functional as F
from minigrad import nn, optim
from tests.helpers import check_gradients


def t(values, **kw):
    return minigrad.tensor(values, **kw)


# ============================================================== Module bookkeeping
class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(t(2.0))
        self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
        self.head = nn.Linear(3, 1, bias=False)
        self.not_a_param = t([1.0, 2.0])  # a plain tensor: an attribute, not a parameter

    def forward(self, x):
        return self.head(self.body(x)) * self.scale


def test_parameters_are_registered_in_order_with_dotted_names():
    m = TwoLayer()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "body.0.weight", "body.0.bias", "head.weight"]
    assert [p.shape for p in m.parameters()] == [(), (3, 2), (3,), (1, 3)]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad and p.is_leaf for p in m.parameters())
    assert [n for n, _ in m.named_children()] == ["body", "head"]
    assert [n for n, _ in m.named_modules()] == ["", "body", "body.0", "body.1", "head"]
    assert m.head.bias is None
    assert [n for n, _ in m.named_parameters(recurse=False)] == ["scale"]


def test_shared_parameter_is_listed_once():
    lin = nn.Linear(2, 2)
    m = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(m.parameters())) == 2
    assert [n for n, _ in m.named_parameters()] == ["0.weight", "0.bias"]


def test_reassigning_and_deleting_attributes():
    m = TwoLayer()
    m.scale = nn.Parameter(t(5.0))
    assert m.scale.item() == 5.0
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'.*nn.Parameter"):
        m.scale = t(1.0)
    m.scale = None  # allowed, as in PyTorch
    assert "scale" not in [n for n, _ in m.named_parameters()]
    del m.head
    assert [n for n, _ in m.named_children()] == ["body"]
    with pytest.raises(AttributeError, match="'TwoLayer' object has no attribute 'head'"):
        m.head


def test_parameter_before_init_is_a_clear_error():
    class Forgot(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(t(1.0))

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call.*super\(\).__init__\(\)"):
        Forgot()


def test_forward_is_called_and_missing_forward_is_reported():
    m = TwoLayer()
    y = m(minigrad.ones(4, 2))
    assert y.shape == (4, 1) and y.grad_fn is not None

    class NoForward(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        NoForward()(t(1.0))


def test_zero_grad_set_to_none_and_to_zero():
    m = TwoLayer()
    m(minigrad.ones(4, 2)).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    grads = [p.grad for p in m.parameters()]
    m.zero_grad(set_to_none=False)
    assert all(p.grad is g for p, g in zip(m.parameters(), grads))  # same tensors, filled with zeros
    assert all(float(p.grad.abs().sum()) == 0.0 for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


@pytest.mark.parametrize("lib", ["minigrad", "torch"])
def test_requires_grad_false_freezes_a_layer(lib):
    """Module.requires_grad_(False), as in PyTorch: the frozen layer's .grad stay None after backward and
    an optimizer step leaves its weights as they were, while the other layer still learns."""
    torch_or_minigrad = minigrad if lib == "minigrad" else pytest.importorskip("torch")
    lib_nn, lib_optim = torch_or_minigrad.nn, torch_or_minigrad.optim
    model = lib_nn.Sequential(lib_nn.Linear(2, 3), lib_nn.Tanh(), lib_nn.Linear(3, 1))
    assert model[0].requires_grad_(False) is model[0]
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = lib_optim.SGD(model.parameters(), lr=0.1)
    model(torch_or_minigrad.ones(4, 2)).sum().backward()
    optimizer.step()
    frozen, trained = [p.grad is None for p in model.parameters()], [p.requires_grad for p in model.parameters()]
    moved = [not torch_or_minigrad.equal(p.detach(), b) for p, b in zip(model.parameters(), before)]
    assert frozen == [True, True, False, False] and trained == [False, False, True, True]
    assert moved == [False, False, True, True]
    model.requires_grad_()
    assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(TypeError):
        model.requires_grad_("yes")


def test_train_eval_flags_reach_every_submodule():
    m = TwoLayer()
    assert all(mod.training for mod in m.modules())
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())
    with pytest.raises(ValueError, match="boolean"):
        m.train("yes")


def test_sequential_indexing_len_iter_and_bad_argument():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    s = nn.Sequential(a, b, c)
    assert len(s) == 3 and s[0] is a and s[-1] is c and list(s) == [a, b, c]
    assert isinstance(s[1:], nn.Sequential) and list(s[1:]) == [b, c]
    with pytest.raises(IndexError, match="index 3 is out of range for a Sequential of 3 modules"):
        s[3]
    with pytest.raises(TypeError, match="argument 1 is function, not a Module"):
        nn.Sequential(nn.Linear(2, 2), F.relu)


def test_repr_layout():
    m = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Sequential(nn.Linear(16, 1, bias=False), nn.Sigmoid()))
    assert repr(m) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=16, out_features=1, bias=False)\n"
        "    (1): Sigmoid()\n"
        "  )\n"
        ")")
    assert repr(nn.MSELoss()) == "MSELoss()" and repr(nn.CrossEntropyLoss(reduction="sum")) == "CrossEntropyLoss()"


def test_state_dict_round_trip():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    b.load_state_dict(a.state_dict())
    assert minigrad.equal(a.weight.detach(), b.weight.detach()) and minigrad.equal(a.bias.detach(), b.bias.detach())
    assert b.weight.requires_grad and isinstance(b.weight, nn.Parameter)
    with pytest.raises(RuntimeError, match=r"size mismatch for weight: copying a param with shape minigrad.Size\(\[2, 2\]\)"):
        b.load_state_dict({"weight": np.zeros((2, 2)), "bias": np.zeros(2)})
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "bias"'):
        b.load_state_dict({"weight": np.zeros((2, 3))})


def test_parameter_shares_memory_and_versions_with_its_tensor():
    base = t([1.0, 2.0])
    p = nn.Parameter(base)
    assert p.requires_grad and p.is_leaf and isinstance(p, minigrad.Tensor)
    base.add_(1.0)
    assert p.tolist() == [2.0, 3.0] and p._version == base._version == 1
    assert repr(p).startswith("Parameter containing:\ntensor([2., 3.]")
    assert type(p.detach()) is minigrad.Tensor


# ============================================================== Linear
def test_linear_by_hand():
    layer = nn.Linear(2, 2)
    layer.load_state_dict({"weight": np.array([[1.0, 2.0], [3.0, 4.0]]), "bias": np.array([0.5, -1.0])})
    x = t([[1.0, 1.0]], requires_grad=True)
    y = layer(x)
    assert y.tolist() == [[3.5, 6.0]]  # [1+2+0.5, 3+4-1]
    y.sum().backward()
    assert layer.weight.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]  # dy_i/dW_ij = x_j
    assert layer.bias.grad.tolist() == [1.0, 1.0]
    assert x.grad.tolist() == [[4.0, 6.0]]  # column sums of W


def test_linear_shapes_and_default_init_range():
    minigrad.manual_seed(0)
    layer = nn.Linear(100, 50)
    assert layer.weight.shape == (50, 100) and layer.bias.shape == (50,)
    assert layer.weight.dtype == minigrad.float32
    bound = 1 / math.sqrt(100)
    w = layer.weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(layer.bias.detach().numpy()).max() <= bound
    # U(-b, b) has standard deviation b / sqrt(3): 5000 draws put it within a few percent
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert abs(w.mean()) < 0.05 * bound
    minigrad.manual_seed(0)
    again = nn.Linear(100, 50)
    assert minigrad.equal(layer.weight.detach(), again.weight.detach())  # seeded: the same every run
    assert nn.Linear(3, 2, dtype=minigrad.float64).weight.dtype == minigrad.float64


def test_linear_accepts_batched_and_1d_inputs():
    layer = nn.Linear(3, 2)
    assert layer(minigrad.ones(3)).shape == (2,)
    assert layer(minigrad.ones(4, 5, 3)).shape == (4, 5, 2)


def test_linear_wrong_width_names_the_shapes():
    layer = nn.Linear(2, 16)
    with pytest.raises(RuntimeError) as e:
        layer(minigrad.ones(32, 3))
    msg = str(e.value)
    assert "mat1 and mat2 shapes cannot be multiplied (32x3 and 2x16)" in msg
    assert "Linear(in_features=2, out_features=16, bias=True) expects inputs of shape (*, 2), got (32, 3)" in msg


def test_linear_wrong_dtype_says_how_to_fix():
    """PyTorch's words (its names of the dtypes), then minigrad's: which dtypes, and how to fix it."""
    layer = nn.Linear(2, 1)
    with pytest.raises(RuntimeError, match=r"^mat1 and mat2 must have the same dtype, but got Long and Float: "
                                           r"Linear.*float32 weights, the input is int64; .*x.to\(minigrad.float32\)"):
        layer(minigrad.ones(4, 2, dtype=minigrad.int64))
    with pytest.raises(RuntimeError, match="^mat1 and mat2 must have the same dtype, but got Double and Float: "):
        layer(minigrad.ones(4, 2, dtype=minigrad.float64))
    with pytest.raises(RuntimeError, match=r"^expected m1 and m2 to have the same dtype, but got: double != float: "):
        nn.Linear(2, 1, bias=False)(minigrad.ones(4, 2, dtype=minigrad.float64))


# ============================================================== activations
def test_activations_by_hand():
    x = t([-1.0, 0.0, 2.0], requires_grad=True)
    y = nn.ReLU()(x)
    assert y.tolist() == [0.0, 0.0, 2.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]  # PyTorch's choice at 0: gradient 0

    z = t([0.0], requires_grad=True)
    nn.Tanh()(z).sum().backward()
    assert z.grad.tolist() == [1.0]  # 1 - tanh(0)**2
    z.grad = None
    s = nn.Sigmoid()(z)
    assert s.tolist() == [0.5]
    s.sum().backward()
    assert z.grad.tolist() == [0.25]  # s (1 - s)
    assert nn.Sigmoid()(t([-200.0, 200.0])).tolist() == [0.0, 1.0]  # no overflow warning or nan


# ============================================================== softmax family
def test_softmax_and_log_softmax_by_hand():
    x = t([[0.0, math.log(3.0)]])
    assert np.allclose(F.softmax(x, dim=1).numpy(), [[0.25, 0.75]])
    assert np.allclose(F.log_softmax(x, dim=1).numpy(), [[math.log(0.25), math.log(0.75)]])
    assert F.log_softmax(x, dim=1).grad_fn is None  # nothing requires grad


def test_softmax_as_a_tensor_method_and_a_top_level_function():
    # PyTorch offers x.softmax(dim), torch.softmax(x, dim) and their log_ versions besides F.softmax.
    x = t([[0.0, math.log(3.0)], [1.0, 1.0]])
    for name in ("softmax", "log_softmax"):
        expected = getattr(F, name)(x, dim=1).tolist()
        assert getattr(x, name)(1).tolist() == expected
        assert getattr(minigrad, name)(x, 1).tolist() == expected
        assert getattr(x, name)(dim=-1).tolist() == expected
    assert np.allclose(x.softmax(1).numpy(), [[0.25, 0.75], [0.5, 0.5]])


def test_softmax_of_an_empty_tensor_and_the_layout_it_returns():
    # Found by the random PyTorch-parity programs: an empty input raised NumPy's "zero-size array"
    # error, and a column-major input gave a column-major result that view() then refused.
    assert F.log_softmax(minigrad.ones(0, 3), dim=1).shape == (0, 3)
    assert F.softmax(minigrad.ones(0, 3), dim=0).shape == (0, 3)
    column_major = minigrad.tensor(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    assert column_major.softmax(1).view(1, 6).shape == (1, 6)
    assert column_major.log_softmax(0).view(6).shape == (6,)


def test_log_softmax_is_stable_for_large_scores():
    x = t([[1000.0, 0.0], [-1000.0, -1000.0]], requires_grad=True)
    y = F.log_softmax(x, dim=1)
    assert np.allclose(y.detach().numpy(), [[0.0, -1000.0], [-math.log(2), -math.log(2)]])
    y[:, 0].sum().backward()
    assert np.all(np.isfinite(x.grad.numpy()))
    assert np.allclose(x.grad.numpy(), [[0.0, 0.0], [0.5, -0.5]])  # [1 - p0, -p1] per row


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_family_gradients_match_finite_differences(dim):
    rng = np.random.default_rng(1)
    a = rng.normal(size=(3, 4))
    g = rng.normal(size=(3, 4))  # a random weighting, so every part of the Jacobian matters
    for fn in (F.softmax, F.log_softmax):
        check_gradients(lambda x: (fn(x, dim=dim) * minigrad.tensor(g, dtype=minigrad.float64)).sum(), a)


def test_log_softmax_second_derivative_matches_finite_differences():
    a = np.array([[0.3, -1.2, 2.0]])

    def first_derivative(x):
        # The finite-difference side evaluates under no_grad with plain tensors: make x a leaf there.
        with minigrad.enable_grad():
            x = x if x.requires_grad else x.detach().requires_grad_()
            (gx,) = minigrad.autograd.grad((F.log_softmax(x, dim=1)[:, 0]).sum(), x, create_graph=True)
        return (gx * minigrad.tensor([[1.0, 2.0, 3.0]], dtype=minigrad.float64)).sum()

    check_gradients(first_derivative, a)


def test_softmax_dim_out_of_range():
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        F.softmax(minigrad.ones(2, 3), dim=2)


# ============================================================== losses
def test_mse_by_hand_all_reductions():
    x = t([1.0, 2.0], requires_grad=True)
    y = t([1.0, 4.0])
    assert nn.MSELoss()(x, y).item() == 2.0  # (0 + 4) / 2
    assert nn.MSELoss(reduction="sum")(x, y).item() == 4.0
    assert nn.MSELoss(reduction="none")(x, y).tolist() == [0.0, 4.0]
    loss = nn.MSELoss()(x, y)
    assert loss.grad_fn.name() == "MseLossBackward0"
    loss.backward()
    assert x.grad.tolist() == [0.0, -2.0]  # 2 (x - y) / n
    x.grad = None
    nn.MSELoss(reduction="sum")(x, y).backward()
    assert x.grad.tolist() == [0.0, -4.0]  # 2 (x - y)
    x.grad = None
    nn.MSELoss(reduction="none")(x, y).backward(t([1.0, 10.0]))
    assert x.grad.tolist() == [0.0, -40.0]


def test_mse_gradients_for_both_arguments_match_finite_differences():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    for reduction in ("mean", "sum"):
        check_gradients(lambda x, y: F.mse_loss(x, y, reduction=reduction), a, b)
    check_gradients(lambda x, y: F.mse_loss(x, y, reduction="none") * minigrad.tensor(b, dtype=minigrad.float64), a, b)


def test_mse_rejects_shapes_that_would_broadcast():
    with pytest.raises(RuntimeError, match=r"target shape \(32,\) differs from input shape \(32, 1\).*view\(-1, 1\)"):
        F.mse_loss(minigrad.zeros(32, 1), minigrad.zeros(32))
    with pytest.raises(RuntimeError, match=r"mse_loss\(\): input and target are both minigrad.int64.*\.float\(\)"):
        nn.MSELoss()(minigrad.zeros(3, dtype=minigrad.int64), minigrad.zeros(3, dtype=minigrad.int64))
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        nn.MSELoss(reduction="avg")


def test_cross_entropy_by_hand():
    logits = t([[0.0, 0.0], [2.0, 0.0]], requires_grad=True)
    target = t([0, 0])
    loss = nn.CrossEntropyLoss()(logits, target)
    p = math.exp(2) / (math.exp(2) + 1)  # softmax of [2, 0] at class 0
    expected = (math.log(2) - math.log(p)) / 2
    assert abs(loss.item() - expected) < 1e-6
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert loss.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"
    loss.backward()
    # d/dlogits = (softmax - one_hot) / N
    assert np.allclose(logits.grad.numpy(), [[-0.25, 0.25], [(p - 1) / 2, (1 - p) / 2]])

    per_row = F.cross_entropy(logits.detach(), target, reduction="none")
    assert np.allclose(per_row.numpy(), [math.log(2), -math.log(p)])
    assert abs(F.cross_entropy(logits.detach(), target, reduction="sum").item() - 2 * expected) < 1e-6
    assert abs(F.cross_entropy(t([0.0, 0.0, 0.0]), t(1)).item() - math.log(3)) < 1e-6  # one sample, shape (C,)


def test_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 3))
    target = t([0, 2, 1, 2])
    weights = minigrad.tensor(rng.normal(size=4), dtype=minigrad.float64)
    check_gradients(lambda x: F.cross_entropy(x, target), a)
    check_gradients(lambda x: F.cross_entropy(x, target, reduction="sum"), a)
    check_gradients(lambda x: (F.cross_entropy(x, target, reduction="none") * weights).sum(), a)
    probs = minigrad.tensor(rng.dirichlet(np.ones(3), size=4), dtype=minigrad.float64)
    check_gradients(lambda x: F.cross_entropy(x, probs), a)


def test_cross_entropy_target_errors_name_the_problem():
    logits = minigrad.zeros(32, 3)
    with pytest.raises(RuntimeError, match=r"class indices with dtype int64.*got minigrad.float32 of shape \(32,\).*target.long\(\)"):
        F.cross_entropy(logits, minigrad.zeros(32))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(32\) to match target batch_size \(16\)"):
        F.cross_entropy(logits, minigrad.zeros(16, dtype=minigrad.int64))
    with pytest.raises(RuntimeError, match=r"target must have shape \(32,\).*got \(32, 1\)"):
        F.cross_entropy(logits, minigrad.zeros(32, 1, dtype=minigrad.int64))
    with pytest.raises(IndexError, match=r"Target 3 is out of bounds.*\[0, 2\]"):
        F.cross_entropy(logits, minigrad.full((32,), 3))
    with pytest.raises(RuntimeError, match=r"input of shape \(N, C\) or \(C,\)"):
        F.cross_entropy(minigrad.zeros(2, 3, 4), minigrad.zeros(2, 4, dtype=minigrad.int64))


def test_viz_can_name_module_parameters():
    viz = pytest.importorskip("minigrad.viz")
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    loss = nn.MSELoss()(model(minigrad.ones(4, 2)), minigrad.zeros(4, 1))
    source = viz.draw(loss, names=dict(model.named_parameters())).source
    for name in ("0.weight", "0.bias", "2.weight", "2.bias"):
        assert name in source


# ============================================================== against PyTorch
def _pair(torch, sizes, activation):
    """The same MLP in minigrad and in PyTorch: PyTorch's weights copied into minigrad."""
    torch.manual_seed(0)
    t_layers, m_layers = [], []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        t_layers.append(torch.nn.Linear(a, b))
        m_layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            t_layers.append(getattr(torch.nn, activation)())
            m_layers.append(getattr(nn, activation)())
    t_model, m_model = torch.nn.Sequential(*t_layers), nn.Sequential(*m_layers)
    m_model.load_state_dict(t_model.state_dict())
    return t_model, m_model


@pytest.mark.parametrize("activation", ["ReLU", "Tanh", "Sigmoid"])
def test_mlp_outputs_and_gradients_match_pytorch(activation):
    torch = pytest.importorskip("torch")
    t_model, m_model = _pair(torch, [3, 8, 8, 4], activation)
    assert repr(t_model) == repr(m_model)
    X = np.random.default_rng(4).normal(size=(16, 3)).astype(np.float32)
    y = np.random.default_rng(5).integers(0, 4, size=16)
    t_out = t_model(torch.from_numpy(X))
    m_out = m_model(minigrad.tensor(X))
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-5, atol=1e-6)
    t_loss = torch.nn.CrossEntropyLoss()(t_out, torch.from_numpy(y))
    m_loss = nn.CrossEntropyLoss()(m_out, minigrad.tensor(y))
    assert abs(t_loss.item() - m_loss.item()) < 1e-6
    t_loss.backward()
    m_loss.backward()
    t_grads = {n: p.grad.numpy() for n, p in t_model.named_parameters()}
    for n, p in m_model.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), t_grads[n], rtol=1e-4, atol=1e-6, err_msg=n)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_pytorch_for_every_reduction(reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(5, 3)).astype(np.float32)
    classes = rng.integers(0, 3, size=5)
    upstream = rng.normal(size=(5,) if reduction == "none" else ()).astype(np.float32)
    cases = [
        ("mse", lambda F_, a, b: F_.mse_loss(a, b, reduction=reduction), y, y),
        ("ce", lambda F_, a, b: F_.cross_entropy(a, b, reduction=reduction), classes, classes),
        ("ce-probs", lambda F_, a, b: F_.cross_entropy(a, b, reduction=reduction),
         np.abs(y) / np.abs(y).sum(1, keepdims=True), None),
    ]
    for name, loss_fn, target, _ in cases:
        tx = torch.tensor(x, requires_grad=True)
        mx = minigrad.tensor(x, requires_grad=True)
        t_loss = loss_fn(torch.nn.functional, tx, torch.from_numpy(np.asarray(target)))
        m_loss = loss_fn(F, mx, minigrad.tensor(target))
        if name == "mse" and reduction == "none":
            up = rng.normal(size=(5, 3)).astype(np.float32)
        else:
            up = upstream
        np.testing.assert_allclose(m_loss.detach().numpy(), t_loss.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
        t_loss.backward(torch.from_numpy(up))
        m_loss.backward(minigrad.tensor(up))
        np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_softmax_family_matches_pytorch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(7).normal(size=(4, 5)).astype(np.float32) * 10
    g = np.random.default_rng(8).normal(size=(4, 5)).astype(np.float32)
    for name in ("softmax", "log_softmax"):
        for dim in (0, 1):
            tx, mx = torch.tensor(x, requires_grad=True), minigrad.tensor(x, requires_grad=True)
            ty, my = getattr(torch.nn.functional, name)(tx, dim=dim), getattr(F, name)(mx, dim=dim)
            np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
            assert my.grad_fn.name() == ty.grad_fn.name()
            ty.backward(torch.from_numpy(g))
            my.backward(minigrad.tensor(g))
            np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_linear_records_pytorchs_nodes():
    torch = pytest.importorskip("torch")
    for shape in [(4, 2), (2,), (3, 4, 2)]:
        m = nn.Linear(2, 3)
        t_ = torch.nn.Linear(2, 3)
        out, t_out = m(minigrad.ones(*shape)), t_(torch.ones(*shape))
        if len(shape) == 2:  # a batch of rows: one AddmmBackward0 fed by the bias, x and TBackward0(W)
            names = [n.name() if n is not None else None for n, _ in out.grad_fn.next_functions]
            t_names = [type(n).__name__ if n is not None else None for n, _ in t_out.grad_fn.next_functions]
            assert out.grad_fn.name() == t_out.grad_fn.name() == "AddmmBackward0"
            assert names == t_names == ["AccumulateGrad", None, "TBackward0"]
        x = np.random.default_rng(9).normal(size=shape).astype(np.float32)
        m.load_state_dict(t_.state_dict())
        mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        (m(mx) ** 2).sum().backward()
        (t_(tx) ** 2).sum().backward()
        np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(m.weight.grad.numpy(), t_.weight.grad.numpy(), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(m.bias.grad.numpy(), t_.bias.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_linear_gradients_match_finite_differences():
    rng = np.random.default_rng(10)
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    check_gradients(lambda x, w, b: F.linear(x, w, b) ** 2, x, w, b)
    check_gradients(lambda x, w: F.linear(x, w) ** 2, x, w)


@pytest.mark.parametrize("make_opt", [lambda p: optim.SGD(p, lr=50.0, momentum=0.9), lambda p: optim.Adam(p, lr=1e6)],
                         ids=["sgd", "adam"])
def test_a_diverging_training_run_gives_nan_without_numpy_warnings(make_opt):
    # PyTorch reaches inf and nan silently; NumPy would warn ("overflow encountered in square", ...)
    # from inside minigrad, which a learner cannot act on.
    minigrad.manual_seed(0)
    X, y = minigrad.randn(64, 2), minigrad.randn(64, 1) * 1e30
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = make_opt(model.parameters())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        for _ in range(60):
            opt.zero_grad()
            loss = nn.MSELoss()(model(X), y)
            loss.backward()
            opt.step()
    assert not np.isfinite(loss.item())


# ============================================================== found by the differential suite (tests/parity)
@pytest.mark.parametrize("make_loss", [
    lambda: (lambda x, y: F.mse_loss(x, y)), lambda: nn.MSELoss(),
], ids=["F.mse_loss", "MSELoss"])
def test_mse_of_an_empty_batch_is_nan_as_in_pytorch(make_loss):
    x = minigrad.zeros(0, 2, requires_grad=True)
    loss = make_loss()(x, minigrad.zeros(0, 2))
    assert loss.shape == () and math.isnan(loss.item())  # 0 / 0, as PyTorch's mean of nothing
    loss.backward()
    assert x.grad.shape == (0, 2)
    assert F.mse_loss(minigrad.zeros(0, 2), minigrad.zeros(0, 2), reduction="sum").item() == 0.0


@pytest.mark.parametrize("make_loss", [
    lambda: (lambda x, t: F.cross_entropy(x, t)), lambda: nn.CrossEntropyLoss(),
    lambda: (lambda x, t: F.nll_loss(x.log_softmax(-1), t)),
], ids=["F.cross_entropy", "CrossEntropyLoss", "F.nll_loss"])
def test_cross_entropy_of_an_empty_batch_is_nan_as_in_pytorch(make_loss):
    x = minigrad.zeros(0, 4, requires_grad=True)
    loss = make_loss()(x, minigrad.zeros(0, dtype=minigrad.int64))
    assert loss.shape == () and math.isnan(loss.item())
    loss.backward()
    assert x.grad.shape == (0, 4)


def test_cross_entropy_ignore_index_by_hand():
    logits = t([[0.0, 0.0], [2.0, 0.0], [5.0, -5.0]], requires_grad=True)
    target = t([0, 0, 1])
    loss = F.cross_entropy(logits, target, ignore_index=1)  # the third row does not count
    p = math.exp(2) / (math.exp(2) + 1)
    assert abs(loss.item() - (math.log(2) - math.log(p)) / 2) < 1e-6  # averaged over the 2 rows kept
    loss.backward()
    assert np.allclose(logits.grad.numpy()[2], [0.0, 0.0])  # no gradient from an ignored row
    none = nn.CrossEntropyLoss(reduction="none", ignore_index=1)(logits.detach(), target)
    assert none.tolist()[2] == 0.0
    # the default, -100, may stand in the target where no class index could
    assert abs(F.cross_entropy(logits.detach(), t([0, -100, 0])).item() - F.cross_entropy(
        logits.detach()[[0, 2]], t([0, 0])).item()) < 1e-6
    assert math.isnan(F.cross_entropy(logits.detach(), t([1, 1, 1]), ignore_index=1).item())  # nothing left: 0 / 0
    with pytest.raises(IndexError, match="Target 5 is out of bounds"):
        F.cross_entropy(logits.detach(), t([0, 5, 1]), ignore_index=1)


def test_loss_nodes_take_only_the_input_as_pytorchs_do():
    x = minigrad.zeros(3, 4, requires_grad=True)
    loss = F.cross_entropy(x, t([0, 1, 2]))
    assert [n.name() for n, _ in loss.grad_fn.next_functions] == ["LogSoftmaxBackward0"]  # no slot for the target
    soft = F.cross_entropy(x, minigrad.ones(3, 4) / 4)
    assert soft.grad_fn.name() == "DivBackward1"  # -(p * log_softmax(x)).sum() / N, PyTorch's nodes
    assert F.cross_entropy(x, minigrad.ones(3, 4) / 4, reduction="sum").grad_fn.name() == "NegBackward0"


def test_mse_promotes_the_target_as_pytorch_does():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    loss = F.mse_loss(x, t([1, 4]))  # an int64 target: float32 loss
    assert loss.dtype is minigrad.float32 and loss.item() == 2.0
    loss.backward()
    assert x.grad.dtype is minigrad.float32 and x.grad.tolist() == [0.0, -2.0]
    wide = F.mse_loss(x, t([1.0, 4.0], dtype=minigrad.float64))
    assert wide.dtype is minigrad.float64  # promoted, as PyTorch does


def test_softmax_of_a_0_dim_tensor_is_0_dim():
    assert F.softmax(t(2.0), dim=0).shape == () and F.softmax(t(2.0), dim=0).item() == 1.0
    assert F.log_softmax(t(2.0), dim=-1).item() == 0.0


def test_module_to_double_float_and_cpu_convert_parameters_in_place():
    _ = minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    weight = model[0].weight
    model(minigrad.ones(2, 3)).sum().backward()
    assert model.to(minigrad.float64) is model
    assert model[0].weight is weight and isinstance(weight, nn.Parameter) and weight.is_leaf
    assert all(p.dtype is minigrad.float64 and p.grad.dtype is minigrad.float64 for p in model.parameters())
    assert model(minigrad.ones(2, 3, dtype=minigrad.float64)).dtype is minigrad.float64
    assert model.float() is model and all(p.dtype is minigrad.float32 for p in model.parameters())
    assert model.double() is model and all(p.dtype is minigrad.float64 for p in model.parameters())
    assert model.to("cpu") is model and model.cpu() is model and model.to(dtype=minigrad.float32) is model
    assert model.to("cpu", minigrad.float64) is model and weight.dtype is minigrad.float64
    with pytest.raises(TypeError, match="only accepts floating point"):
        model.to(minigrad.int64)
    with pytest.raises(RuntimeError, match="cuda"):
        model.to("cuda")


def test_module_requires_grad_and_apply():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert model.requires_grad_(False) is model
    assert [p.requires_grad for p in model.parameters()] == [False, False]
    seen = []
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["Linear", "ReLU", "Sequential"]  # children first, as PyTorch


def test_module_conversions_match_pytorch():
    torch = pytest.importorskip("torch")
    for convert in (lambda m, T: m.to(T.float64), lambda m, T: m.double(), lambda m, T: m.double().float(),
                    lambda m, T: m.to("cpu")):
        out = {}
        for T in (torch, minigrad):
            T.manual_seed(0)
            m = T.nn.Linear(3, 2)
            convert(m, T)
            out[T] = (str(m.weight.dtype).split(".")[-1], m.weight.is_leaf, m.weight.requires_grad,
                      m.weight.detach().numpy().astype(np.float64))
        assert out[torch][:3] == out[minigrad][:3]
        np.testing.assert_array_equal(out[torch][3], out[minigrad][3])


def test_linear_of_1d_and_3d_inputs_records_pytorchs_nodes():
    layer = nn.Linear(3, 2)
    for shape in ((3,), (2, 4, 3)):
        y = layer(minigrad.ones(*shape))
        assert y.shape == shape[:-1] + (2,)
        assert y.grad_fn.name() == "ViewBackward0"  # rows through addmm, then viewed back, as PyTorch records it
        assert y.grad_fn.next_functions[0][0].name() == "AddmmBackward0"
    x = minigrad.ones(2, 4, 3, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad.shape == (2, 4, 3) and np.allclose(x.grad.numpy(), layer.weight.detach().numpy().sum(0))


def test_softmax_of_an_empty_integer_tensor_is_empty_as_in_pytorch():
    out = F.softmax(minigrad.zeros(0, 3, dtype=minigrad.int64), dim=1)
    assert out.shape == (0, 3) and out.dtype is minigrad.int64  # PyTorch: nothing to compute, dtype kept
    assert F.log_softmax(minigrad.zeros(0, dtype=minigrad.bool), dim=0).dtype is minigrad.bool
    with pytest.raises(RuntimeError, match="expected a floating-point tensor"):
        F.softmax(minigrad.zeros(2, dtype=minigrad.int64), dim=0)  # PyTorch refuses too (NotImplementedError)
