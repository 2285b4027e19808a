"""Hand-written programs for what is not one op on sample inputs: autograd (grad, backward, hooks,
grad modes, saved tensors, custom Functions), nn (modules, functional, losses) and optim.

Each is run on both libraries; models get the same weights by copying them from seeded arrays.
"""
from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from .runner import Case, make_array


# ============================================================== autograd
def _leaf(T, shape=(2, 3), seed=0, dtype="float64"):
    return T.tensor(make_array(seed, shape, dtype), dtype=getattr(T, dtype), requires_grad=True)


def _grads(*xs):
    return tuple(x.grad for x in xs)


def _backward_twice(T):
    x = _leaf(T)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    return x.grad


def _backward_twice_saved(T):
    x = _leaf(T)
    y = (x * x).sum()
    y.backward()
    y.backward()
    return x.grad


def _retain_graph(T):
    x = _leaf(T)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


def _saved_modified(T):
    a, b = _leaf(T, seed=1), _leaf(T, seed=2)
    d = a * b
    e = d * 2
    d += 1
    e.sum().backward()
    return _grads(a, b)


def _saved_modified_used(T):
    a, b = _leaf(T, seed=1), _leaf(T, seed=2)
    d = a * b
    e = d * d
    d += 1
    e.sum().backward()
    return _grads(a, b)


def _saved_exp_output(T):
    a = _leaf(T) * 1
    y = a.exp()
    y.add_(1)
    y.sum().backward()
    return y


def _saved_exp_input(T):
    x = _leaf(T)
    a = x * 1
    y = a.exp()
    a.add_(1)
    y.sum().backward()
    return x.grad


def _saved_div(T):
    x, w = _leaf(T, seed=1), _leaf(T, seed=2)
    a = x * 1
    y = w / a
    a.add_(1)
    y.sum().backward()
    return _grads(x, w)


def _saved_div_const(T):
    x = _leaf(T, seed=1)
    a = x * 1
    y = a / 2.0
    a.add_(1)
    y.sum().backward()
    return x.grad


def _saved_mul_const(T):
    x = _leaf(T, seed=1)
    a = x * 1
    y = a * T.tensor(make_array(3, (2, 3), "float64"))
    a.mul_(2)
    y.sum().backward()
    return x.grad


def _saved_pow(T):
    x = _leaf(T, seed=1)
    a = x * 1
    y = a ** 2
    a.add_(1)
    y.sum().backward()
    return x.grad


def _saved_relu_out(T):
    x = _leaf(T, seed=1)
    y = (x * 1).relu()
    z = y * 1
    y.add_(1)
    z.sum().backward()
    return x.grad


def _saved_add_inplace_chain(T):
    x = _leaf(T, (), seed=4)
    a = x * 2
    a += 1
    b = a.relu() ** 2
    b += a / 3
    b.backward()
    return x.grad, a, b


def _grad_allow_unused(T):
    x, y = _leaf(T, seed=1), _leaf(T, seed=2)
    return T.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)


def _grad_unused_error(T):
    x, y = _leaf(T, seed=1), _leaf(T, seed=2)
    return T.autograd.grad((x * 2).sum(), [x, y])


def _grad_nonscalar(T):
    x = _leaf(T)
    return T.autograd.grad(x * 2, x)


def _grad_outputs(T):
    x = _leaf(T)
    return T.autograd.grad(x * 2, x, grad_outputs=T.ones(2, 3, dtype=T.float64))


def _grad_create(T):
    x = _leaf(T)
    (g,) = T.autograd.grad((x ** 3).sum(), x, create_graph=True)
    (h,) = T.autograd.grad(g.sum(), x)
    # g's own nodes are each library's backward formulas (PyTorch's MulBackward1, ...): compare its values and flags
    return g.detach(), g.requires_grad, g.is_leaf, h


def _autograd_backward(T):
    x = _leaf(T)
    T.autograd.backward([(x * 2).sum(), (x * x).sum()])
    return x.grad


def _autograd_backward_grads(T):
    x = _leaf(T)
    T.autograd.backward(x * 3, grad_tensors=T.ones(2, 3, dtype=T.float64))
    return x.grad


def _backward_inputs(T):
    x, y = _leaf(T, seed=1), _leaf(T, seed=2)
    (x * y).sum().backward(inputs=[x])
    return x.grad, y.grad


def _backward_no_grad(T):
    x = T.tensor([1.0, 2.0])
    x.sum().backward()


def _backward_nonscalar(T):
    _leaf(T).mul(2).backward()


def _backward_gradient_shape(T):
    _leaf(T).mul(2).backward(T.ones(3, dtype=T.float64))


def _grad_accumulates(T):
    x = _leaf(T)
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    return x.grad


def _nonleaf_grad(T):
    x = _leaf(T)
    y = x * 2
    y.sum().backward()
    return y.grad


def _retain_grad(T):
    x = _leaf(T)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    return y.grad, y.retains_grad


def _hook_scale(T):
    x = _leaf(T)
    h = x.register_hook(lambda g: g * 10)
    (x * 2).sum().backward()
    h.remove()
    (x * 2).sum().backward()
    return x.grad


def _hook_nonleaf(T):
    x = _leaf(T)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    (y * y).sum().backward()
    return seen[0], x.grad


def _hook_dtype(T):
    x = _leaf(T)
    x.register_hook(lambda g: g.float())
    (x * 2).sum().backward()
    return x.grad


def _hook_shape(T):
    x = _leaf(T)
    x.register_hook(lambda g: g.sum())
    (x * 2).sum().backward()
    return x.grad


def _hook_on_no_grad(T):
    T.tensor([1.0]).register_hook(lambda g: g)


def _requires_grad_nonleaf(T):
    x = _leaf(T)
    (x * 2).requires_grad_(False)


def _grad_set_wrong_shape(T):
    x = _leaf(T)
    x.grad = T.zeros(3, dtype=T.float64)


def _no_grad_decorator(T):
    @T.no_grad()
    def f(x):
        return x * 2
    return f(_leaf(T))


def _set_grad_enabled_fn(T):
    x = _leaf(T)
    T.set_grad_enabled(False)
    try:
        y = x * 2
        flag = T.is_grad_enabled()
    finally:
        T.set_grad_enabled(True)
    return y, flag


def _set_grad_enabled_ctx(T):
    x = _leaf(T)
    with T.set_grad_enabled(False):
        y = x * 2
    with T.no_grad():
        with T.set_grad_enabled(True):
            z = x * 3
    return y, z, T.is_grad_enabled()


def _nested_modes(T):
    x = _leaf(T)
    with T.no_grad():
        a = x * 2
        with T.enable_grad():
            b = x * 2
            c = a * x
        d = b * 2
    return a, b, c, d


def _no_grad_view_inplace(T):
    x = _leaf(T)
    with T.no_grad():
        v = x[0]
    v += 1
    return x


def _no_grad_view_flags(T):
    x = _leaf(T)
    with T.no_grad():
        v = x.t()
    return v, v.requires_grad, v.is_leaf, v.grad_fn is None


def _no_grad_inplace_leaf(T):
    x = _leaf(T)
    with T.no_grad():
        x += 1
        x[0] = 3.0
    (x * x).sum().backward()
    return x, x.grad


def _data_update(T):
    w = _leaf(T)
    (w * w).sum().backward()
    w.data -= 0.1 * w.grad
    w.grad.data.zero_()
    return w, w.grad, w.data


def _detach_shares(T):
    x = _leaf(T)
    d = x.detach()
    d[0, 0] = 100.0
    return x, d


def _detach_inplace_version(T):
    x = _leaf(T)
    y = x.exp()
    y.detach().zero_()
    y.sum().backward()
    return x.grad


def _custom_function(T):
    class Scale(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, None

    x = _leaf(T)
    y = Scale.apply(x, 3.0)
    y.sum().backward()
    return y, x.grad, y.grad_fn is not None


def _custom_function_saved(T):
    class Cube(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x ** 2

    x = _leaf(T)
    y = Cube.apply(x)
    y.sum().backward()
    return y.requires_grad, x.grad


def _custom_function_needs_grad(T):
    seen = []

    class Mul(T.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            seen.append(tuple(ctx.needs_input_grad))
            return grad * b, grad * a

    x = _leaf(T)
    c = T.tensor(make_array(5, (2, 3), "float64"))
    Mul.apply(x, c).sum().backward()
    return x.grad, seen


def _custom_function_wrong_count(T):
    class Bad(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    Bad.apply(_leaf(T)).sum().backward()


def _function_ctx_mark(T):
    class Id(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, grad):
            return grad

    y = Id.apply(_leaf(T))
    return y.grad_fn.name() if hasattr(y.grad_fn, "name") else None


def _grad_fn_next(T):
    x = _leaf(T)
    y = (x * 2 + 1).exp().sum()
    return y.grad_fn.next_functions[0][0].name().replace("torch::autograd::", "")


def _sum_empty_dim(T):
    x = _leaf(T)
    return x.sum(dim=[])


def _gradcheck(T):
    x = _leaf(T)
    return T.autograd.gradcheck(lambda a: (a * a).tanh(), (x,))


def _gradgradcheck(T):
    x = _leaf(T)
    return T.autograd.gradgradcheck(lambda a: (a * a).sin(), (x,))


def _backward_on_int(T):
    x = T.tensor([1, 2])
    x.requires_grad_()


def _leaf_inplace_error(T):
    x = _leaf(T)
    x += 1


def _version_counter(T):
    x = _leaf(T) * 1
    v0 = x._version
    x.add_(1)
    x[0] = 2.0
    return v0, x._version


AUTOGRAD: dict[str, Callable] = {
    "Tensor.backward twice, nothing saved": _backward_twice, "Tensor.backward twice, saved": _backward_twice_saved,
    "Tensor.backward(retain_graph)": _retain_graph, "saved tensor modified (Mul: d*2)": _saved_modified,
    "saved tensor modified (Mul: d*d)": _saved_modified_used, "saved output modified (exp)": _saved_exp_output,
    "saved input of exp modified": _saved_exp_input, "saved divisor modified": _saved_div,
    "div by constant, input modified": _saved_div_const, "mul by constant, input modified": _saved_mul_const,
    "pow input modified": _saved_pow, "relu output modified": _saved_relu_out,
    "0-dim in-place chain (micrograd-like)": _saved_add_inplace_chain,
    "autograd.grad(allow_unused)": _grad_allow_unused, "autograd.grad unused": _grad_unused_error,
    "autograd.grad non-scalar": _grad_nonscalar, "autograd.grad(grad_outputs)": _grad_outputs,
    "autograd.grad(create_graph)": _grad_create, "autograd.backward(list)": _autograd_backward,
    "autograd.backward(grad_tensors)": _autograd_backward_grads, "Tensor.backward(inputs)": _backward_inputs,
    "backward without grad": _backward_no_grad, "backward non-scalar": _backward_nonscalar,
    "backward gradient shape": _backward_gradient_shape, "grad accumulates": _grad_accumulates,
    "non-leaf .grad": _nonleaf_grad, "Tensor.retain_grad": _retain_grad, "register_hook scale+remove": _hook_scale,
    "register_hook non-leaf": _hook_nonleaf, "hook changes dtype": _hook_dtype, "hook changes shape": _hook_shape,
    "hook on tensor without grad": _hook_on_no_grad, "requires_grad_ on non-leaf": _requires_grad_nonleaf,
    ".grad of wrong shape": _grad_set_wrong_shape, "no_grad decorator": _no_grad_decorator,
    "set_grad_enabled(False) call": _set_grad_enabled_fn, "set_grad_enabled context": _set_grad_enabled_ctx,
    "nested no_grad/enable_grad": _nested_modes, "no_grad view modified in place": _no_grad_view_inplace,
    "no_grad view flags": _no_grad_view_flags, "no_grad in-place on leaf": _no_grad_inplace_leaf,
    ".data update idiom": _data_update, "detach shares memory": _detach_shares,
    "detach().zero_() of a saved output": _detach_inplace_version, "Function with a non-tensor argument": _custom_function,
    "Function save_for_backward": _custom_function_saved, "Function needs_input_grad": _custom_function_needs_grad,
    "Function returns too many grads": _custom_function_wrong_count, "Function node name": _function_ctx_mark,
    "grad_fn.next_functions": _grad_fn_next, "sum(dim=[])": _sum_empty_dim, "autograd.gradcheck": _gradcheck,
    "autograd.gradgradcheck": _gradgradcheck, "requires_grad_ on int": _backward_on_int,
    "in-place on leaf that requires grad": _leaf_inplace_error, "Tensor._version": _version_counter,
}


# ============================================================== nn
def _copy_weights(T, model, seed=0):
    with T.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(T.tensor(make_array(seed + i, tuple(p.shape), str(p.dtype).split(".")[-1]), dtype=p.dtype))
    return model


def _mlp(T, dtype=None):
    kw = {} if dtype is None else {"dtype": dtype}
    return T.nn.Sequential(T.nn.Linear(3, 4, **kw), T.nn.Tanh(), T.nn.Linear(4, 2, **kw))


def _train(T, opt_name, kwargs, steps=3):
    model = _copy_weights(T, _mlp(T))
    opt = getattr(T.optim, opt_name)(model.parameters(), **kwargs)
    x = T.tensor(make_array(9, (5, 3), "float32"))
    y = T.tensor(make_array(10, (5, 2), "float32"))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.detach() for p in model.parameters()]


def _state_dict_roundtrip(T, opt_name, kwargs):
    """Train 2 steps, save the optimizer's state, train 2 more; a fresh optimizer loaded from the saved
    state (and the model's too) must take the same 2 steps."""
    model = _copy_weights(T, _mlp(T))
    opt = getattr(T.optim, opt_name)(model.parameters(), **kwargs)
    x = T.tensor(make_array(9, (5, 3), "float32"))
    y = T.tensor(make_array(10, (5, 2), "float32"))

    def step(m, o):
        o.zero_grad()
        T.nn.functional.mse_loss(m(x), y).backward()
        o.step()

    for _ in range(2):
        step(model, opt)
    import copy
    saved_opt = copy.deepcopy(opt.state_dict())
    saved_model = {k: v.clone() for k, v in model.state_dict().items()}
    for _ in range(2):
        step(model, opt)
    model2 = _mlp(T)
    model2.load_state_dict(saved_model)
    opt2 = getattr(T.optim, opt_name)(model2.parameters(), **kwargs)
    opt2.load_state_dict(saved_opt)
    for _ in range(2):
        step(model2, opt2)
    sd = opt.state_dict()
    shape = (sorted(sd), sorted(sd["state"]), [sorted(k for k in g if k in _SETTINGS) for g in sd["param_groups"]],
             [g["params"] for g in sd["param_groups"]], {i: sorted(s) for i, s in sd["state"].items()})
    return [p.detach() for p in model.parameters()], [p.detach() for p in model2.parameters()], shape


# The settings minigrad's optimizers take (PyTorch's groups also hold foreach, maximize, fused, ...,
# options minigrad does not offer: see the optimizers' signatures in docs/api.md).
_SETTINGS = {"params", "lr", "momentum", "dampening", "weight_decay", "nesterov", "betas", "eps"}


def _ce_target(T, n, c=4, seed=3):
    return T.tensor(np.random.default_rng(seed).integers(0, c, size=n))


NN: dict[str, Callable] = {
    "Linear forward/backward": lambda T: _linear(T),
    "Linear(bias=False)": lambda T: _copy_weights(T, T.nn.Linear(3, 2, bias=False))(T.ones(4, 3)),
    "Linear 1-D input": lambda T: _copy_weights(T, T.nn.Linear(3, 2))(T.ones(3)),
    "Linear 3-D input": lambda T: _copy_weights(T, T.nn.Linear(3, 2))(T.ones(2, 4, 3)),
    "Linear wrong size": lambda T: T.nn.Linear(3, 2)(T.ones(4, 5)),
    "Linear float64 input": lambda T: T.nn.Linear(3, 2)(T.ones(4, 3, dtype=T.float64)),
    "Linear(dtype=float64)": lambda T: _copy_weights(T, T.nn.Linear(3, 2, dtype=T.float64))(T.ones(1, 3, dtype=T.float64)),
    "Linear empty batch": lambda T: _copy_weights(T, T.nn.Linear(3, 2))(T.ones(0, 3)),
    "Linear repr": lambda T: repr(T.nn.Linear(3, 2)), "Sequential repr": lambda T: repr(_mlp(T)),
    "Sequential[1]": lambda T: repr(_mlp(T)[1]), "Sequential[-1]": lambda T: repr(_mlp(T)[-1]),
    "Sequential[5]": lambda T: _mlp(T)[5], "Sequential[0:2]": lambda T: repr(_mlp(T)[0:2]),
    "Sequential len/iter": lambda T: (len(_mlp(T)), [type(m).__name__ for m in _mlp(T)]),
    "Sequential.append": lambda T: repr(_mlp(T).append(T.nn.ReLU())),
    "Module.parameters": lambda T: [tuple(p.shape) for p in _mlp(T).parameters()],
    "Module.named_parameters": lambda T: [n for n, _ in _mlp(T).named_parameters()],
    "Module.state_dict": lambda T: _copy_weights(T, _mlp(T)).state_dict(),
    "Module.state_dict keys": lambda T: list(_mlp(T).state_dict()),
    "Module.load_state_dict": lambda T: _load_state(T), "Module.load_state_dict missing": lambda T: _mlp(T).load_state_dict({}),
    "Module.children/modules": lambda T: ([type(m).__name__ for m in _mlp(T).children()],
                                          [type(m).__name__ for m in _mlp(T).modules()]),
    "Module.named_modules": lambda T: [n for n, _ in _mlp(T).named_modules()],
    "Module.train/eval": lambda T: (_mlp(T).eval().training, _mlp(T).train().training, _mlp(T).eval()[0].training),
    "Module.zero_grad": lambda T: _zero_grad(T), "Module.to(float64)": lambda T: _to(T, lambda m: m.to(T.float64)),
    "Module.double()": lambda T: _to(T, lambda m: m.double()), "Module.float()": lambda T: _to(T, lambda m: m.double().float()),
    "Module.to('cpu')": lambda T: _to(T, lambda m: m.to("cpu")), "Module.to(dtype=)": lambda T: _to(T, lambda m: m.to(dtype=T.float64)),
    "Module.requires_grad_": lambda T: [p.requires_grad for p in _mlp(T).requires_grad_(False).parameters()],
    "Module.apply": lambda T: _mlp(T).apply(lambda m: None) is not None,
    "Module subclass": lambda T: _subclass(T), "Module no forward": lambda T: T.nn.Module()(T.ones(1)),
    "Module param before init": lambda T: _param_before_init(T),
    "Parameter": lambda T: (T.nn.Parameter(T.zeros(2)), T.nn.Parameter(T.zeros(2)).is_leaf),
    "Parameter repr": lambda T: repr(T.nn.Parameter(T.zeros(2))).replace("torch.", ""),
    "Parameter(requires_grad=False)": lambda T: T.nn.Parameter(T.zeros(2), requires_grad=False),
    "Parameter in-place": lambda T: _param_inplace(T),
    "ReLU/Tanh/Sigmoid": lambda T: tuple(m(T.linspace(-2, 2, 5)) for m in (T.nn.ReLU(), T.nn.Tanh(), T.nn.Sigmoid())),
    "Softmax(dim)": lambda T: T.nn.Softmax(dim=1)(T.tensor(make_array(1, (2, 3), "float32"))),
    "LogSoftmax(dim)": lambda T: T.nn.LogSoftmax(dim=0)(T.tensor(make_array(1, (2, 3), "float32"))),
    "Softmax repr": lambda T: repr(T.nn.Softmax(dim=1)),
    "F.linear": lambda T: T.nn.functional.linear(T.ones(2, 3), T.ones(4, 3), T.zeros(4)),
    "F.linear no bias": lambda T: T.nn.functional.linear(T.ones(3), T.ones(4, 3)),
    "F.relu": lambda T: T.nn.functional.relu(T.linspace(-1, 1, 4)), "F.tanh": lambda T: T.nn.functional.tanh(T.linspace(-1, 1, 4)),
    "F.sigmoid": lambda T: T.nn.functional.sigmoid(T.linspace(-1, 1, 4)),
    "F.relu(list)": lambda T: T.nn.functional.relu([1.0, -1.0]),
    "F.softmax int": lambda T: T.nn.functional.softmax(T.tensor([1, 2]), dim=0),
    "F.softmax dim out": lambda T: T.nn.functional.softmax(T.ones(2, 3), dim=2),
    "F.log_softmax 0-size": lambda T: T.nn.functional.log_softmax(T.ones(0, 3), dim=1),
    "F.softmax 0-dim": lambda T: T.nn.functional.softmax(T.tensor(2.0), dim=0),
    "nn.init.uniform_": lambda T: (T.manual_seed(0), T.nn.init.uniform_(T.empty(3), -1, 1))[1],
    "nn.init.normal_": lambda T: (T.manual_seed(0), T.nn.init.normal_(T.empty(3)))[1],
    "nn.init.zeros_/ones_/constant_": lambda T: (T.nn.init.zeros_(T.empty(2)), T.nn.init.ones_(T.empty(2)),
                                                 T.nn.init.constant_(T.empty(2), 0.3)),
    "nn.init.xavier_uniform_": lambda T: (T.manual_seed(0), T.nn.init.xavier_uniform_(T.empty(2, 3)))[1],
    "nn.init.kaiming_uniform_": lambda T: (T.manual_seed(0), T.nn.init.kaiming_uniform_(T.empty(2, 3)))[1],
    "seeded Linear": lambda T: (T.manual_seed(0), T.nn.Linear(3, 2).weight)[1],
}


def _linear(T):
    layer = _copy_weights(T, T.nn.Linear(3, 2))
    x = T.tensor(make_array(4, (5, 3), "float32"), requires_grad=True)
    y = layer(x)
    (y * y).sum().backward()
    return y, x.grad, layer.weight.grad, layer.bias.grad


def _load_state(T):
    a, b = _copy_weights(T, _mlp(T), 0), _mlp(T)
    b.load_state_dict(a.state_dict())
    return [p.detach() for p in b.parameters()]


def _zero_grad(T):
    m = _copy_weights(T, _mlp(T))
    m(T.ones(1, 3)).sum().backward()
    m.zero_grad()
    return [p.grad for p in m.parameters()]


def _to(T, convert):
    m = _copy_weights(T, _mlp(T))
    out = convert(m)
    return (out is m, [p.dtype for p in m.parameters()], [p.is_leaf for p in m.parameters()],
            type(m[0].weight).__name__, m(T.ones(2, 3, dtype=m[0].weight.dtype)))


def _subclass(T):
    class Line(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.slope = T.nn.Parameter(T.tensor(2.0))
            self.inner = T.nn.Linear(1, 1)

        def forward(self, x):
            return self.slope * x

    m = Line()
    return m(T.tensor(3.0)), [n for n, _ in m.named_parameters()]


def _param_before_init(T):
    class Bad(T.nn.Module):
        def __init__(self):
            self.w = T.nn.Parameter(T.zeros(1))
    Bad()


def _param_inplace(T):
    p = T.nn.Parameter(T.ones(2))
    p += 1


def _loss_cases() -> dict[str, Callable]:
    F = lambda T: T.nn.functional  # noqa: E731
    out = {}
    for red in ("mean", "sum", "none"):
        for n in (0, 1, 4):
            out[f"F.mse_loss({red}) batch {n}"] = (lambda T, red=red, n=n: _mse(T, F(T).mse_loss, n, red))
            out[f"MSELoss({red}) batch {n}"] = (lambda T, red=red, n=n: _mse(T, T.nn.MSELoss(reduction=red), n, red))
            out[f"F.cross_entropy({red}) batch {n}"] = (lambda T, red=red, n=n: _ce(T, lambda x, t: F(T).cross_entropy(x, t, reduction=red), n))
            out[f"CrossEntropyLoss({red}) batch {n}"] = (lambda T, red=red, n=n: _ce(T, T.nn.CrossEntropyLoss(reduction=red), n))
            out[f"F.nll_loss({red}) batch {n}"] = (lambda T, red=red, n=n: _ce(T, lambda x, t: F(T).nll_loss(x.log_softmax(-1), t, reduction=red), n))
            for ig in (0, 2, -100):
                out[f"F.cross_entropy({red},ignore_index={ig}) batch {n}"] = (
                    lambda T, red=red, n=n, ig=ig: _ce(T, lambda x, t: F(T).cross_entropy(x, t, reduction=red, ignore_index=ig), n))
                out[f"CrossEntropyLoss({red},ignore_index={ig}) batch {n}"] = (
                    lambda T, red=red, n=n, ig=ig: _ce(T, T.nn.CrossEntropyLoss(reduction=red, ignore_index=ig), n))
            out[f"F.nll_loss({red},ignore_index=1) batch {n}"] = (
                lambda T, red=red, n=n: _ce(T, lambda x, t: F(T).nll_loss(x.log_softmax(-1), t, reduction=red, ignore_index=1), n))
        out[f"F.cross_entropy({red}) soft targets"] = (lambda T, red=red: _ce_soft(T, red))
        out[f"F.cross_entropy({red}) 1-D input"] = (lambda T, red=red: F(T).cross_entropy(
            T.tensor(make_array(1, (4,), "float32"), requires_grad=True), T.tensor(2), reduction=red))
    out["F.cross_entropy all ignored"] = lambda T: _ce(T, lambda x, t: F(T).cross_entropy(x, t * 0 + 1, ignore_index=1), 3)
    out["F.cross_entropy target out of range"] = lambda T: F(T).cross_entropy(T.ones(2, 3), T.tensor([0, 3]))
    out["F.cross_entropy float target wrong shape"] = lambda T: F(T).cross_entropy(T.ones(2, 3), T.tensor([0.0, 1.0]))
    out["F.cross_entropy batch mismatch"] = lambda T: F(T).cross_entropy(T.ones(2, 3), T.tensor([0, 1, 2]))
    out["F.cross_entropy bad reduction"] = lambda T: F(T).cross_entropy(T.ones(2, 3), T.tensor([0, 1]), reduction="max")
    out["F.mse_loss int target"] = lambda T: F(T).mse_loss(T.ones(2), T.tensor([1, 2]))
    out["F.mse_loss float64 target"] = lambda T: F(T).mse_loss(T.ones(2), T.ones(2, dtype=T.float64))
    out["F.mse_loss 0-dim"] = lambda T: F(T).mse_loss(T.tensor(1.0, requires_grad=True), T.tensor(3.0))
    out["MSELoss repr"] = lambda T: repr(T.nn.MSELoss(reduction="sum"))
    out["CrossEntropyLoss repr"] = lambda T: repr(T.nn.CrossEntropyLoss())
    return out


def _mse(T, fn, n, red):
    x = T.tensor(make_array(1, (n, 2), "float32"), requires_grad=True)
    y = T.tensor(make_array(2, (n, 2), "float32"))
    loss = fn(x, y) if not isinstance(fn, type(lambda: 0)) else fn(x, y, reduction=red)
    loss.sum().backward()
    return loss, x.grad


def _ce(T, fn, n):
    x = T.tensor(make_array(1, (n, 4), "float32"), requires_grad=True)
    t = _ce_target(T, n)
    loss = fn(x, t)
    loss.sum().backward()
    return loss, x.grad


def _ce_soft(T, red):
    x = T.tensor(make_array(1, (3, 4), "float64"), requires_grad=True)
    p = T.tensor(make_array(2, (3, 4), "float64")).softmax(-1)
    loss = T.nn.functional.cross_entropy(x, p, reduction=red)
    loss.sum().backward()
    return loss, x.grad


NN.update(_loss_cases())

# ============================================================== optim
OPTIM: dict[str, Callable] = {}
for _kw in ({"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "nesterov": True},
            {"lr": 0.1, "momentum": 0.5, "dampening": 0.3}, {"lr": 0.1, "weight_decay": 0.01},
            {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}):
    OPTIM[f"SGD {_kw}"] = lambda T, kw=_kw: _train(T, "SGD", kw)
    OPTIM[f"SGD state_dict {_kw}"] = lambda T, kw=_kw: _state_dict_roundtrip(T, "SGD", kw)
for _kw in ({}, {"lr": 0.01}, {"lr": 0.01, "betas": (0.8, 0.9)}, {"lr": 0.01, "weight_decay": 0.1}, {"eps": 1e-3}):
    OPTIM[f"Adam {_kw}"] = lambda T, kw=_kw: _train(T, "Adam", kw)
    OPTIM[f"Adam state_dict {_kw}"] = lambda T, kw=_kw: _state_dict_roundtrip(T, "Adam", kw)
OPTIM.update({
    "SGD(lr=-1)": lambda T: T.optim.SGD([T.zeros(1, requires_grad=True)], lr=-1),
    "SGD(nesterov, no momentum)": lambda T: T.optim.SGD([T.zeros(1, requires_grad=True)], lr=0.1, nesterov=True),
    "SGD(tensor)": lambda T: T.optim.SGD(T.zeros(1, requires_grad=True), lr=0.1),
    "SGD([])": lambda T: T.optim.SGD([], lr=0.1),
    "SGD non-leaf": lambda T: T.optim.SGD([T.zeros(1, requires_grad=True) * 2], lr=0.1),
    "Adam(betas>1)": lambda T: T.optim.Adam([T.zeros(1, requires_grad=True)], betas=(1.5, 0.9)),
    "param groups": lambda T: _groups(T),
    "Optimizer.zero_grad": lambda T: _opt_zero(T, True), "Optimizer.zero_grad(False)": lambda T: _opt_zero(T, False),
    "SGD step without grads": lambda T: _no_grad_step(T),
    "state_dict structure SGD fresh": lambda T: _fresh_state(T, "SGD", {"lr": 0.1, "momentum": 0.9}),
    "state_dict structure Adam fresh": lambda T: _fresh_state(T, "Adam", {}),
    "load_state_dict wrong groups": lambda T: _bad_load(T),
    "add_param_group": lambda T: _add_group(T),
    "optimizer.state after step": lambda T: _state_after(T),
})


def _groups(T):
    a, b = T.ones(2, requires_grad=True), T.ones(2, requires_grad=True)
    opt = T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    (a * 2 + b * 3).sum().backward()
    opt.step()
    return a, b, [g["lr"] for g in opt.param_groups]


def _opt_zero(T, none):
    a = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([a], lr=0.1)
    (a * 2).sum().backward()
    opt.zero_grad(set_to_none=none)
    return a.grad


def _no_grad_step(T):
    a = T.ones(2, requires_grad=True)
    T.optim.Adam([a]).step()
    return a


def _fresh_state(T, name, kw):
    a = T.ones(2, requires_grad=True)
    sd = getattr(T.optim, name)([a], **kw).state_dict()
    return sd["state"], [{k: v for k, v in g.items() if k in _SETTINGS} for g in sd["param_groups"]]


def _bad_load(T):
    a = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([a], lr=0.1)
    opt.load_state_dict({"state": {}, "param_groups": []})


def _add_group(T):
    a, b = T.ones(2, requires_grad=True), T.ones(2, requires_grad=True)
    opt = T.optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": [b], "lr": 0.2})
    return [sorted(k for k in g if k in _SETTINGS) for g in opt.param_groups], [g["lr"] for g in opt.param_groups]


def _state_after(T):
    a = T.ones(2, requires_grad=True)
    opt = T.optim.Adam([a], lr=0.1)
    (a * a).sum().backward()
    opt.step()
    st = opt.state[a]
    return sorted(st), st["exp_avg"], st["exp_avg_sq"], float(st["step"])


# ============================================================== inference_mode, ModuleList, buffers, Dropout
def _modes_inside(T, outer, inner):
    """(is_grad_enabled, is_inference_mode_enabled, x * 2 requires grad) at each level of two nested switches."""
    x = T.ones(2, requires_grad=True)
    seen = []
    with outer:
        seen.append((T.is_grad_enabled(), T.is_inference_mode_enabled(), (x * 2).requires_grad))
        with inner:
            seen.append((T.is_grad_enabled(), T.is_inference_mode_enabled(), (x * 2).requires_grad))
        seen.append((T.is_grad_enabled(), T.is_inference_mode_enabled()))
    return seen + [(T.is_grad_enabled(), T.is_inference_mode_enabled())]


def _inference_decorated(T):
    @T.inference_mode
    def bare(x):
        return x * 2, T.is_inference_mode_enabled()

    @T.inference_mode(mode=False)
    def off(x):
        return x * 2, T.is_grad_enabled()

    x = T.ones(2, requires_grad=True)
    with T.no_grad():
        turned_off = off(x)
    return bare(x), turned_off, bare.__name__, T.is_inference_mode_enabled()


def _inference_generator(T):
    @T.inference_mode()
    def items():
        yield T.is_inference_mode_enabled()
        yield T.is_grad_enabled()

    gen = items()
    return [next(gen), T.is_inference_mode_enabled(), next(gen), T.is_grad_enabled()]


def _inference_raises(T):
    try:
        with T.inference_mode():
            raise KeyError("inside")
    except KeyError:
        return T.is_grad_enabled(), T.is_inference_mode_enabled()


def _inference_clone(T):
    switch = T.inference_mode(False).clone()
    return type(switch).__name__, switch.mode


def _module_list(T):
    return T.nn.ModuleList([T.nn.Linear(2, 2), T.nn.Linear(2, 2), T.nn.ReLU(), T.nn.Linear(2, 2)])


def _module_list_edits(T):
    ml = _module_list(T)
    ml.insert(1, T.nn.Tanh())
    ml.append(T.nn.Sigmoid()).extend([T.nn.ReLU(), T.nn.ReLU()])
    del ml[0]
    ml[0] = T.nn.Sigmoid()
    popped = ml.pop(-1)
    ml += [T.nn.Tanh()]
    del ml[1:3]
    return repr(ml), repr(popped), list(ml._modules), [n for n, _ in ml.named_parameters()]


def _module_list_owner(T):
    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = T.nn.ModuleList(T.nn.Linear(3, 3) for _ in range(2))

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    net = _copy_weights(T, Net())
    x = T.tensor(make_array(5, (4, 3), "float32"), requires_grad=True)
    y = net(x)
    y.sum().backward()
    return y, x.grad, [n for n, _ in net.named_parameters()], list(net.state_dict()), repr(net)


def _buffers(T):
    layer = T.nn.Linear(2, 2)
    layer.register_buffer("running", T.zeros(2))
    layer.register_buffer("scratch", T.ones(1), persistent=False)
    layer.register_buffer("empty", None)
    model = T.nn.Sequential(layer, T.nn.ReLU())
    model.register_buffer("steps", T.tensor(0))
    return ([n for n, _ in model.named_buffers()], [n for n, _ in model.named_buffers("p", recurse=False)],
            [tuple(b.shape) for b in model.buffers()], list(model.state_dict()), layer.running, layer.empty)


def _buffer_assign(T):
    layer = T.nn.Linear(1, 1)
    layer.register_buffer("b", T.zeros(2))
    layer.b = T.ones(2)
    kept = layer._buffers["b"] is layer.b
    layer.b = None
    none = [n for n, _ in layer.named_buffers()]
    layer.register_buffer("c", T.zeros(1))
    layer.c = T.nn.Parameter(T.ones(1))  # a Parameter takes the name over, as in PyTorch
    del layer.weight
    layer.register_buffer("d", T.zeros(1))
    del layer.d
    return kept, none, [n for n, _ in layer.named_parameters()], list(layer._buffers)


def _buffer_to(T):
    layer = T.nn.Linear(1, 1)
    layer.register_buffer("f", T.ones(1))
    layer.register_buffer("i", T.ones(1, dtype=T.int64))
    layer.double()
    return layer.f.dtype, layer.i.dtype, layer.weight.dtype


def _buffer_load(T):
    a, b = T.nn.Linear(1, 1), T.nn.Linear(1, 1)
    a.register_buffer("m", T.zeros(2))
    b.register_buffer("m", T.tensor([5.0, 6.0]))
    before = a.m
    result = a.load_state_dict(b.state_dict())
    a.register_buffer("extra", T.ones(1))
    return repr(result), a.m, a.m is before, repr(a.load_state_dict(b.state_dict(), strict=False))


def _bad_buffer(T, name, value, persistent=True):
    return T.nn.Linear(1, 1).register_buffer(name, value, persistent)


def _buffer_before_init(T):
    class Early(T.nn.Module):
        def __init__(self):
            self.register_buffer("a", T.ones(1))
    return Early()


NAMES: dict[str, Callable] = {
    "inference_mode in no_grad, False inside": lambda T: _modes_inside(T, T.no_grad(), T.inference_mode(False)),
    "inference_mode, False inside": lambda T: _modes_inside(T, T.inference_mode(), T.inference_mode(mode=False)),
    "inference_mode, no_grad inside": lambda T: _modes_inside(T, T.inference_mode(), T.no_grad()),
    "inference_mode(True) twice": lambda T: _modes_inside(T, T.inference_mode(True), T.inference_mode()),
    "set_grad_enabled(False), inference_mode inside": lambda T: _modes_inside(T, T.set_grad_enabled(False), T.inference_mode()),
    "inference_mode decorators": _inference_decorated, "inference_mode generator": _inference_generator,
    "inference_mode restores after an error": _inference_raises, "inference_mode.clone": _inference_clone,
    "is_inference_mode_enabled": lambda T: T.is_inference_mode_enabled(),
    "inference_mode result": lambda T: (lambda x: [T.inference_mode()(lambda: x * 2)(), x])(T.ones(2, requires_grad=True)),
    "ModuleList repr": lambda T: repr(_module_list(T)), "ModuleList() repr": lambda T: repr(T.nn.ModuleList()),
    "ModuleList(None)": lambda T: len(T.nn.ModuleList(None)),
    "ModuleList nested repr": lambda T: repr(T.nn.ModuleList([T.nn.Sequential(T.nn.ReLU()), T.nn.Sequential(T.nn.ReLU())])),
    "ModuleList index/slice": lambda T: (repr(_module_list(T)[1]), repr(_module_list(T)[-1]), repr(_module_list(T)[1:3]),
                                         type(_module_list(T)[::2]).__name__, len(_module_list(T)[5:])),
    "ModuleList len/iter/parameters": lambda T: (len(_module_list(T)), [type(m).__name__ for m in _module_list(T)],
                                                 [n for n, _ in _module_list(T).named_parameters()]),
    "ModuleList edits": _module_list_edits, "ModuleList in a Module": _module_list_owner,
    "ModuleList shared module": lambda T: (lambda ml: (repr(ml.append(ml[0])), len(list(ml.parameters()))))(
        T.nn.ModuleList([T.nn.Linear(1, 1)])),
    "ModuleList + ModuleList": lambda T: repr(T.nn.ModuleList([T.nn.ReLU()]) + T.nn.ModuleList([T.nn.Tanh()])),
    "ModuleList[4]": lambda T: _module_list(T)[4], "ModuleList[-5]": lambda T: _module_list(T)[-5],
    "ModuleList['a']": lambda T: _module_list(T)["a"], "ModuleList[1.0]": lambda T: _module_list(T)[1.0],
    "ModuleList.append(int)": lambda T: _module_list(T).append(3), "ModuleList([int])": lambda T: T.nn.ModuleList([3]),
    "ModuleList.extend(int)": lambda T: _module_list(T).extend(3), "ModuleList(int)": lambda T: T.nn.ModuleList(3),
    "ModuleList[9] =": lambda T: _module_list(T).__setitem__(9, T.nn.ReLU()),
    "ModuleList[0] = int": lambda T: _module_list(T).__setitem__(0, 3),
    "ModuleList.insert(-1)": lambda T: T.nn.ModuleList([T.nn.ReLU()]).insert(-1, T.nn.Tanh()),
    "ModuleList.insert(len)": lambda T: (lambda ml: (ml.insert(1, T.nn.Tanh()), repr(ml))[1])(T.nn.ModuleList([T.nn.ReLU()])),
    "del ModuleList[7]": lambda T: _module_list(T).__delitem__(7), "ModuleList()(x)": lambda T: _module_list(T)(T.ones(2)),
    "register_buffer/named_buffers/buffers": _buffers, "buffer assignment": _buffer_assign,
    "buffers follow to(float64)": _buffer_to, "buffers in load_state_dict": _buffer_load,
    "register_buffer('a.b')": lambda T: _bad_buffer(T, "a.b", T.ones(1)),
    "register_buffer('')": lambda T: _bad_buffer(T, "", T.ones(1)),
    "register_buffer('weight')": lambda T: _bad_buffer(T, "weight", T.ones(1)),
    "register_buffer(int value)": lambda T: _bad_buffer(T, "x", 3),
    "register_buffer(int name)": lambda T: _bad_buffer(T, 3, T.ones(1)),
    "register_buffer('training')": lambda T: _bad_buffer(T, "training", T.ones(1)),
    "register_buffer before __init__": _buffer_before_init,
    "buffer = int": lambda T: (lambda m: (m.register_buffer("b", T.ones(1)), setattr(m, "b", 3)))(T.nn.Linear(1, 1)),
    "Dropout repr": lambda T: (repr(T.nn.Dropout()), repr(T.nn.Dropout(0.2, True)), repr(T.nn.Dropout(p=1))),
    "Dropout(1.5)": lambda T: T.nn.Dropout(1.5), "Dropout(-0.1)": lambda T: T.nn.Dropout(p=-0.1),
    "Dropout('a')": lambda T: T.nn.Dropout("a"), "Dropout(nan) made": lambda T: T.nn.Dropout(float("nan")).p != 0.5,
    "Dropout(nan) called": lambda T: T.nn.Dropout(float("nan"))(T.ones(2)),
    "F.dropout(list)": lambda T: T.nn.functional.dropout([1.0], 0.5),
    "F.dropout(p=tensor)": lambda T: T.nn.functional.dropout(T.ones(4), T.tensor(0.5)),
    "F.dropout(int64)": lambda T: T.nn.functional.dropout(T.ones(3, dtype=T.int64), 0.5),
    "F.dropout(leaf, inplace)": lambda T: T.nn.functional.dropout(T.ones(3, requires_grad=True), 0.5, inplace=True),
    "Dropout in a model, train and eval": lambda T: (lambda m, x: (m(x), m.eval()(x), m.train()(x)))(
        _copy_weights(T, T.nn.Sequential(T.nn.Linear(3, 8), T.nn.Dropout(0.5), T.nn.Linear(8, 1))), T.ones(4, 3)),
    "multinomial errors: 3 dims": lambda T: T.multinomial(T.ones(2, 2, 2), 1),
    "multinomial errors: int64": lambda T: T.multinomial(T.tensor([1, 2]), 1),
    "multinomial errors: 0 samples": lambda T: T.multinomial(T.ones(3), 0),
    "multinomial errors: zero row": lambda T: T.multinomial(T.tensor([[1.0, 0.0], [0.0, 0.0]]), 1),
    "multinomial errors: zero row, replacement": lambda T: T.multinomial(T.tensor([[1.0, 0.0], [0.0, 0.0]]), 2, True),
    "multinomial errors: nan, replacement": lambda T: T.multinomial(T.tensor([1.0, float("nan")]), 2, True),
    "multinomial errors: inf, replacement": lambda T: T.multinomial(T.tensor([1.0, float("inf")]), 2, True),
    "multinomial errors: inf": lambda T: T.multinomial(T.tensor([1.0, float("inf")]), 1),
    "multinomial errors: float n": lambda T: T.multinomial(T.ones(3), 1.5),
    "multinomial errors: bool n": lambda T: T.multinomial(T.ones(3), True),
    "multinomial(tensor n)": lambda T: T.multinomial(T.ones(3), T.tensor(3), True),
    "multinomial(no rows)": lambda T: T.multinomial(T.ones(0, 3), 2),
    "multinomial(0 categories)": lambda T: T.multinomial(T.ones(0), 1, True),
    "multinomial(2^25 categories)": lambda T: T.multinomial(T.ones(1 << 25), 1),
    "multinomial(one positive weight)": lambda T: T.multinomial(T.tensor([0.0, 1.0, 0.0]), 1),
    "multinomial(generator)": lambda T: T.multinomial(T.ones(4), 5, True, generator=T.Generator().manual_seed(3)),
    "multinomial(float64, 40 samples)": lambda T: T.multinomial(T.tensor([[0.5, 0.25, 0.25], [1e-3, 0.0, 9.0]], dtype=T.float64), 40, True),
    "bernoulli(list)": lambda T: T.bernoulli([0.5]), "bernoulli(generator)": lambda T: T.bernoulli(T.full((5,), 0.5), generator=T.Generator().manual_seed(1)),
    "bernoulli(x, p=tensor)": lambda T: T.bernoulli(T.zeros(3), T.tensor(0.5)),
    "bernoulli(tracked x, 0.5).backward()": lambda T: T.bernoulli(T.zeros(3, requires_grad=True), 0.5).sum().backward(),
    "bernoulli(x, 0.5) of a tracked x": lambda T: T.bernoulli(T.zeros(3, requires_grad=True), 0.5).requires_grad,
    "normal(0., 1.) without size": lambda T: T.normal(0.0, 1.0), "normal(0., 1., 3)": lambda T: T.normal(0.0, 1.0, 3),
    "normal(0, 1, (2,))": lambda T: T.normal(0, 1, (2,)), "normal(size=, dtype=)": lambda T: T.normal(0.0, 1.0, size=(17,), dtype=T.float64),
    "normal(int64 dtype)": lambda T: T.normal(0.0, 1.0, (2,), dtype=T.int64),
    "normal(requires_grad)": lambda T: T.normal(1.0, 2.0, (3,), requires_grad=True),
    "normal(0., -1., size)": lambda T: T.normal(0.0, -1.0, (2,)), "normal(0., nan, size)": lambda T: T.normal(0.0, float("nan"), (2,)),
    "normal(x, nan)": lambda T: T.normal(T.zeros(2), float("nan")), "normal(x, inf)": lambda T: T.normal(T.zeros(2), float("inf")),
    "normal(x, std with nan)": lambda T: T.normal(T.zeros(2), T.tensor([1.0, float("nan")])),
    "normal(x, y) shapes": lambda T: T.normal(T.zeros(2), T.ones(3)),
    "normal(x, y) broadcast": lambda T: T.normal(T.zeros(2, 3), T.ones(3)),
    "normal(x, y) dtypes": lambda T: T.normal(T.zeros(2), T.ones(2, dtype=T.float64)),
    "normal(x, y, size)": lambda T: T.normal(T.zeros(2), T.ones(2), (2,)), "normal('a', 1.)": lambda T: T.normal("a", 1.0),
    "normal(x, 'a')": lambda T: T.normal(T.zeros(2), "a"), "normal(int x)": lambda T: T.normal(T.zeros(2, dtype=T.int64), 1.0),
    "normal(0., int std)": lambda T: T.normal(0.0, T.ones(2, dtype=T.int64)),
    "normal(16 means)": lambda T: T.normal(T.arange(17.0), 0.01), "normal(16 stds)": lambda T: T.normal(3.0, T.arange(17.0) / 7),
    "normal(x, y), 20 numbers": lambda T: T.normal(T.zeros(4, 5), T.full((4, 5), 0.3)),
    "normal(generator)": lambda T: T.normal(0.0, 1.0, (3,), generator=T.Generator().manual_seed(4)),
    "normal gradients": lambda T: (lambda m, s: (T.normal(m, s).sum().backward(), m.grad, s.grad))(
        T.zeros(2, 1, requires_grad=True), T.ones(3, requires_grad=True)),
}


def scenario_cases() -> Iterator[Case]:
    yield from (Case("names", name, "", lambda T, ctx, fn=fn: fn(T)) for name, fn in NAMES.items())
    for category, table in (("autograd", AUTOGRAD), ("nn", NN), ("optim", OPTIM)):
        for name, fn in table.items():
            yield Case(category, name, "", lambda T, ctx, fn=fn: fn(T))

