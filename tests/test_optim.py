"""minigrad.optim: SGD and Adam against updates worked out by hand and, where torch is importable,
against PyTorch's optimizers over several steps from the same starting weights."""
from __future__ import annotations

import numpy as np
import pytest

import minigrad
from minigrad import nn, optim


def run(opt_factory, grads, w0=1.0):
    """Minimise a loss whose gradient w.r.t. w is grads[k] at step k; return w after each step."""
    w = minigrad.tensor([w0], requires_grad=True)
    opt = opt_factory([w])
    seen = []
    for g in grads:
        opt.zero_grad()
        (w * g).sum().backward()  # d(w * g)/dw = g
        opt.step()
        seen.append(round(w.item(), 6))
    return seen


# ============================================================== SGD by hand
def test_sgd_plain():
    assert run(lambda p: optim.SGD(p, lr=0.1), [2.0, 2.0]) == [0.8, 0.6]


def test_sgd_momentum():
    # b1 = g = 2 -> w = 1 - 0.2 = 0.8;  b2 = 0.9*2 + 2 = 3.8 -> w = 0.8 - 0.38 = 0.42
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9), [2.0, 2.0]) == [0.8, 0.42]


def test_sgd_nesterov():
    # b1 = 2, step 2 + 0.9*2 = 3.8 -> 0.62;  b2 = 3.8, step 2 + 0.9*3.8 = 5.42 -> 0.078
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), [2.0, 2.0]) == [0.62, 0.078]


def test_sgd_dampening():
    # b1 = 2 (no dampening at the first step) -> 0.8;  b2 = 0.9*2 + 0.5*2 = 2.8 -> 0.52
    assert run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5), [2.0, 2.0]) == [0.8, 0.52]


def test_sgd_weight_decay():
    # gradient 0 from the loss: g = 0.5 * w, so w shrinks by 5% a step
    assert run(lambda p: optim.SGD(p, lr=0.1, weight_decay=0.5), [0.0, 0.0]) == [0.95, 0.9025]


# ============================================================== Adam by hand
def test_adam_first_steps():
    # step 1: m = 0.1, v = 0.001 -> m^ = 1, v^ = 1 -> w = 1 - 0.1 * 1/(1 + 1e-8)
    # step 2: m = 0.39, v = 0.009999 -> m^ = 0.39/0.19, v^ = 0.009999/0.001999 -> w = 0.9 - 0.091778
    assert run(lambda p: optim.Adam(p, lr=0.1), [1.0, 3.0]) == [0.9, 0.808222]


def test_adam_weight_decay_adds_to_the_gradient():
    # g = 0 + 0.5 w; a first Adam step moves by lr whatever the size of g; then g = 0.45, m^ = 0.473684...
    assert run(lambda p: optim.Adam(p, lr=0.1, weight_decay=0.5), [0.0, 0.0]) == [0.9, 0.800412]


def test_adam_state_is_visible():
    w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    (w * minigrad.tensor([2.0, 4.0])).sum().backward()
    opt.step()
    state = opt.state[w]
    assert state["step"].item() == 1
    assert np.allclose(state["exp_avg"].numpy(), [0.2, 0.4]) and np.allclose(state["exp_avg_sq"].numpy(), [0.004, 0.016])


# ============================================================== bookkeeping
def test_parameters_without_grad_are_skipped_and_zero_grad_works():
    a = minigrad.tensor([1.0], requires_grad=True)
    b = minigrad.tensor([1.0], requires_grad=True)
    opt = optim.SGD([a, b], lr=0.5)
    (a * 2).sum().backward()
    opt.step()
    assert a.tolist() == [0.0] and b.tolist() == [1.0]
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0]
    opt.zero_grad()
    assert a.grad is None


def test_update_is_in_place_and_bumps_the_version():
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    data, version = w._data, w._version
    y = w * w  # saves w for backward
    y.sum().backward(retain_graph=True)
    optim.SGD([w], lr=0.1).step()
    assert w._data is data and w._version > version
    assert w.requires_grad and w.is_leaf and w.grad_fn is None
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()  # the saved w is no longer the w that made y, as in PyTorch


def test_param_groups_with_their_own_settings():
    a = minigrad.tensor([1.0], requires_grad=True)
    b = minigrad.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    (a + b).sum().backward()
    opt.step()
    assert np.allclose(a.tolist(), [0.9]) and b.tolist() == [0.5]
    assert "Parameter Group 1" in repr(opt) and "lr: 0.5" in repr(opt)


def test_optimizer_errors():
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.Adam(nn.ReLU().parameters())
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is float"):
        optim.SGD([minigrad.zeros(1, requires_grad=True), 3.0], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts.*pass \\[tensor\\]"):
        optim.SGD(minigrad.zeros(2, requires_grad=True), lr=0.1)
    leaf = minigrad.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([leaf * 2], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [leaf]}, {"params": [leaf]}], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate value: -1"):
        optim.SGD([leaf], lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        optim.SGD([leaf], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        optim.Adam([leaf], betas=(0.9, 1.0))


# ============================================================== against PyTorch
def _models(torch, dtype=np.float32):
    torch.manual_seed(0)
    t_model = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2))
    m_model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))
    m_model.load_state_dict(t_model.state_dict())
    return t_model, m_model


@pytest.mark.parametrize("name, kwargs", [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
])
def test_parameters_after_several_steps_match_pytorch(name, kwargs):
    torch = pytest.importorskip("torch")
    t_model, m_model = _models(torch)
    start = {n: p.detach().numpy().copy() for n, p in m_model.named_parameters()}
    t_opt = getattr(torch.optim, name)(t_model.parameters(), **kwargs)
    m_opt = getattr(optim, name)(m_model.parameters(), **kwargs)
    rng = np.random.default_rng(0)
    for step in range(8):
        X = rng.normal(size=(10, 3)).astype(np.float32)
        y = rng.normal(size=(10, 2)).astype(np.float32)
        t_opt.zero_grad()
        torch.nn.functional.mse_loss(t_model(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        t_opt.step()
        m_opt.zero_grad()
        nn.functional.mse_loss(m_model(minigrad.tensor(X)), minigrad.tensor(y)).backward()
        m_opt.step()
    t_params = dict(t_model.named_parameters())
    for n, p in m_model.named_parameters():
        np.testing.assert_allclose(p.detach().numpy(), t_params[n].detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=n)
    # not vacuous: the parameters did move away from where they started
    assert max(np.abs(p.detach().numpy() - start[n]).max() for n, p in m_model.named_parameters()) > 1e-3


# ============================================================== state_dict (found by the differential suite)
def _train_steps(model, opt, steps):
    x = minigrad.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), minigrad.ones(4, 1)).backward()
        opt.step()


@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01))])
def test_state_dict_has_pytorchs_structure_and_resumes_training(name, kwargs):
    _ = minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    opt = getattr(optim, name)(model.parameters(), **kwargs)
    _train_steps(model, opt, 2)
    saved = opt.state_dict()
    assert sorted(saved) == ["param_groups", "state"]
    assert sorted(saved["state"]) == [0, 1, 2, 3]  # parameters by their position, not the tensors
    assert saved["param_groups"][0]["params"] == [0, 1, 2, 3]
    assert all(isinstance(v, minigrad.Tensor) for s in saved["state"].values() for v in s.values())
    model_saved = {k: v.clone() for k, v in model.state_dict().items()}
    saved = {"state": {i: {k: v.clone() for k, v in s.items()} for i, s in saved["state"].items()},
             "param_groups": [dict(g) for g in saved["param_groups"]]}
    _train_steps(model, opt, 2)  # the original goes on ...
    twin = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    twin.load_state_dict(model_saved)
    twin_opt = getattr(optim, name)(twin.parameters(), **kwargs)
    twin_opt.load_state_dict(saved)  # ... and a fresh optimizer, loaded, takes the same two steps
    _train_steps(twin, twin_opt, 2)
    for p, q in zip(model.parameters(), twin.parameters()):
        np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-6)


def test_load_state_dict_refuses_another_layout():
    a = minigrad.ones(2, requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.1, "params": [0, 1]}]})
    opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.5, "momentum": 0.0, "dampening": 0.0,
                                                        "weight_decay": 0.0, "nesterov": False, "params": [0]}]})
    assert opt.param_groups[0]["lr"] == 0.5 and opt.param_groups[0]["params"][0] is a


def test_state_dict_matches_pytorch():
    torch = pytest.importorskip("torch")
    out = {}
    for T in (torch, minigrad):
        T.manual_seed(0)
        model = T.nn.Linear(3, 1)
        opt = T.optim.Adam(model.parameters(), lr=0.01)
        _ = [(opt.zero_grad(), model(T.ones(2, 3)).sum().backward(), opt.step()) for _ in range(2)]
        sd = opt.state_dict()
        out[T] = ({i: {k: np.asarray(v.detach().numpy(), dtype=np.float64) for k, v in s.items()} for i, s in sd["state"].items()},
                  [g["params"] for g in sd["param_groups"]], str(sd["state"][0]["step"].dtype).split(".")[-1])
    assert out[torch][1:] == out[minigrad][1:]
    for i, s in out[torch][0].items():
        for k, v in s.items():
            np.testing.assert_allclose(out[minigrad][0][i][k], v, rtol=1e-6, err_msg=f"{i} {k}")


def test_every_sgd_and_adam_option_matches_pytorch():
    """maximize, amsgrad, decoupled_weight_decay, nesterov, dampening, weight decay: every combination,
    four steps each, the same weights (float64) and the same param_group keys as PyTorch's."""
    import itertools

    torch = pytest.importorskip("torch")

    def run(L, name, kw):
        w = L.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=L.float64, requires_grad=True)
        x = L.tensor([1.0, -2.0], dtype=L.float64)
        opt = getattr(L.optim, name)([w], **kw)
        for _ in range(4):
            opt.zero_grad()
            ((w @ x) ** 2).sum().backward()
            opt.step()
        return np.array(w.tolist()), sorted(k for k in opt.param_groups[0] if k != "params"), repr(opt)

    grids = [("SGD", dict(lr=[0.05], momentum=[0, 0.9], dampening=[0, 0.5], nesterov=[False, True],
                          weight_decay=[0, 0.1], maximize=[False, True])),
             ("Adam", dict(lr=[0.05], amsgrad=[False, True], weight_decay=[0, 0.1], maximize=[False, True],
                           decoupled_weight_decay=[False, True]))]
    compared = 0
    for name, grid in grids:
        for values in itertools.product(*grid.values()):
            kw = dict(zip(grid, values))
            if kw.get("nesterov") and (kw["momentum"] == 0 or kw["dampening"]):
                continue
            mine, theirs = run(minigrad, name, kw), run(torch, name, kw)
            np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-12, atol=1e-14, err_msg=f"{name} {kw}")
            assert mine[1] == theirs[1], (name, kw)
            assert mine[2] == theirs[2], (name, kw)
            compared += 1
    assert compared == 36
    with pytest.raises(NotImplementedError, match="differentiable"):
        minigrad.optim.SGD([minigrad.ones(1, requires_grad=True)], lr=0.1, differentiable=True)


def test_zero_grad_keeping_tensors_takes_them_out_of_a_create_graph_graph_as_pytorch():
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (minigrad, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        lin = lib.nn.Linear(2, 1)
        (x * x).sum().backward(create_graph=True)
        lin(lib.ones(1, 2)).sum().backward(create_graph=True)
        g = x.grad
        lib.optim.SGD([x], lr=0.1).zero_grad(set_to_none=False)
        lin.zero_grad(set_to_none=False)
        seen.append((x.grad is g, x.grad.tolist(), x.grad.requires_grad, x.grad.grad_fn is None,
                     lin.weight.grad.requires_grad, lin.weight.grad.grad_fn is None, lin.weight.grad.tolist()))
    assert seen[0] == seen[1]
