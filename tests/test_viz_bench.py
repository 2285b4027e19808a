"""benchmarks/bench_viz.py runs (quick sizes) and summarises what it draws; its timings are not checked here."""
from __future__ import annotations

import shutil

import pytest


@pytest.mark.slow  # about 2.5 s: it lays out graphs with dot
def test_bench_viz_quick_runs_and_reports_ratios(capsys):
    from benchmarks import bench_viz

    results = bench_viz.main(quick=True)
    out = capsys.readouterr().out
    assert "vs baseline" in out and "chain (folded)" in out and "network (summarised)" in out
    torch_cases = set()
    try:
        import torch  # noqa: F401
        torch_cases = {"PyTorch chain (folded)", "PyTorch network (summarised)"}
    except ImportError:
        pass
    assert set(results["build"]) == {"baseline: graphviz, plain chain", "chain (folded)", "network (summarised)",
                                     "network (unfolded)"} | torch_cases
    assert results["nodes"]["chain (folded)"] == (201, 5)  # 200 MulBackward0 + AccumulateGrad drawn as 5 nodes
    graph_nodes, drawn = results["nodes"]["network (summarised)"]
    assert graph_nodes == 182 and drawn < 30 < results["nodes"]["network (unfolded)"][1]
    for name in torch_cases:  # PyTorch's graph is drawn with as many boxes as minigrad's
        assert results["nodes"][name] == results["nodes"][name.replace("PyTorch c", "c").replace("PyTorch n", "n")]
    assert "keep_values(): forward of the 60-block network" in out
    if shutil.which("dot"):
        assert set(results["layout"]) == {"baseline: graphviz, plain chain", "chain (folded)",
                                          "network (summarised)"} | torch_cases
