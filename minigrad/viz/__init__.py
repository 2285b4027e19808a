"""minigrad.viz: see the graph, step through backward, compare gradients, plot derivatives.

>>> import minigrad
>>> from minigrad.viz import draw
>>> x = minigrad.tensor(3.0, requires_grad=True)
>>> draw(x ** 2)
<minigrad.viz.Drawing: 4 nodes, 3 edges>

Every tool takes PyTorch's tensors as well as minigrad's, and draws the same picture for the same
computation; PyTorch is never imported unless one of its tensors is handed over. It reads the graph
only through public attributes (grad_fn, next_functions, AccumulateGrad.variable, saved tensors,
node(grad), the order of the nodes), one small adapter per library (_graph.py), so it doubles as an
example of what those attributes are for. The Tensor itself knows nothing about drawing.

In a lesson, `keep_values()` (once, in the set-up cell) makes every box show its value and gradient.
"""
from .compare import Comparison, compare
from .drawing import Drawing, Legend, SideBySide, draw, legend, side_by_side
from .keep import keep_values
from .plots import DescentPlot, TangentExplorer, descent_plot, tangent_explorer
from .stepper import BackwardStepper, Step

__all__ = ["draw", "side_by_side", "Drawing", "SideBySide", "legend", "Legend", "keep_values", "BackwardStepper",
           "Step", "compare", "Comparison", "tangent_explorer", "TangentExplorer", "descent_plot", "DescentPlot"]
