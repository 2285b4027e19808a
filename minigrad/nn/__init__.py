"""minigrad.nn: layers, losses and the Module that holds parameters (PyTorch's torch.nn).

>>> import minigrad
>>> from minigrad import nn
>>> _ = minigrad.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
>>> loss = nn.MSELoss()(model(minigrad.ones(4, 2)), minigrad.zeros(4, 1))
>>> loss.backward()
>>> model[0].weight.grad.shape
minigrad.Size([16, 2])
"""
from . import functional, init
from .modules import (CrossEntropyLoss, Dropout, Linear, LogSoftmax, Module, ModuleList, MSELoss, Parameter, ReLU,
                      Sequential, Sigmoid,
                      Softmax, Tanh)

__all__ = ["Module", "Parameter", "Linear", "ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Sequential",
           "MSELoss", "CrossEntropyLoss", "Dropout", "ModuleList", "functional", "init"]
