"""minigrad's differential suite: the same small programs run on minigrad and on PyTorch, compared.

In the spirit of PyTorch's OpInfo: `catalogue.py` lists every public name with sample inputs, crossed
with dtypes, shapes (0-dim, 0-size, broadcast pairs, non-contiguous views, views of views), grad modes
and in-place variants; `programs.py` adds seeded random programs. `runner.py` runs each program twice
(the library passed in as `T`), compares what came out and sorts every outcome into one class:

    same                            equal values, dtypes, shapes, flags, node names, gradients;
                                    or both raise an error of the same type
    clear error, other type         both raise; minigrad's error is its own (RuntimeError, TypeError,
                                    IndexError, ValueError raised by minigrad's code)
    leak                            minigrad's error comes from inside NumPy or Python
    silently different              both give a result, and they differ
    value where PyTorch raises
    error where PyTorch succeeds    (missing name or argument / other)

`python -m tests.parity` prints the counts table; `pytest tests/parity` fails on any of the last four
classes that is not in the allow-list of deliberate differences (`allow.py`). PARITY_PROGRAMS=50000
makes the random part larger (default 1500).
"""
