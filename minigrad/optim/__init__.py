"""minigrad.optim: optimizers that update parameters from their gradients (PyTorch's torch.optim).

>>> import minigrad
>>> from minigrad import nn, optim
>>> _ = minigrad.manual_seed(0)
>>> model = nn.Linear(1, 1)
>>> opt = optim.SGD(model.parameters(), lr=0.1)
>>> x, y = minigrad.tensor([[1.0], [2.0]]), minigrad.tensor([[3.0], [5.0]])
>>> for _ in range(500):
...     opt.zero_grad()
...     nn.functional.mse_loss(model(x), y).backward()
...     opt.step()
>>> [round(v, 3) for v in (model.weight.item(), model.bias.item())]   # y = 2x + 1
[2.0, 1.0]
"""
from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam"]
