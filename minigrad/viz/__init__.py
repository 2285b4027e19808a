"""minigrad.viz: see the graph, step through backward, compare gradients, plot derivatives.

>>> import minigrad
>>> from minigrad.viz import draw
>>> x = minigrad.tensor(3.0, requires_grad=True)
>>> draw(x ** 2)
<minigrad.viz.Drawing: 4 nodes, 3 edges>

It reads the graph only through the public attributes of tensors and nodes (grad_fn, next_functions,
inputs, output, variable, saved_tensors, node(grad), execution_order), so it doubles as an example
of what those attributes are for. The Tensor itself knows nothing about drawing.
"""
from .compare import Comparison, compare
from .drawing import Drawing, SideBySide, draw, side_by_side
from .plots import DescentPlot, TangentExplorer, descent_plot, tangent_explorer
from .stepper import BackwardStepper, Step

__all__ = ["draw", "side_by_side", "Drawing", "SideBySide", "BackwardStepper", "Step", "compare", "Comparison",
           "tangent_explorer", "TangentExplorer", "descent_plot", "DescentPlot"]
