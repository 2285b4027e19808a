"""Benchmarks of minigrad against hand-written NumPy and PyTorch: run `python -m benchmarks`.

Importing this package pins the BLAS thread pools to one thread, so that NumPy (minigrad and the
hand-written baseline) and PyTorch (`torch.set_num_threads(1)` in common.py) compute on the same
number of cores. The environment variables only work if they are set before NumPy is first
imported, which is why this happens here, in the package's first lines.
"""
import os

THREADS = os.environ.get("MINIGRAD_BENCH_THREADS", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
             "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = THREADS
