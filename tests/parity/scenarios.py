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


def scenario_cases() -> Iterator[Case]:
    for category, table in (("autograd", AUTOGRAD), ("nn", NN), ("optim", OPTIM)):
        for name, fn in table.items():
            yield Case(category, name, "", lambda T, ctx, fn=fn: fn(T))

