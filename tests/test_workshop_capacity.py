"""The capacity figure the workshop load test prints (workshop/loadtest.py), worked out by hand."""
from __future__ import annotations

from workshop.loadtest import LESSONS, Result

MB = 2**20


def _result(peak_mb=(300.0, 400.0), cpu_s=(8.0, 12.0), kernel_cpu=(1.0, 3.0), hub_mb=200.0, ok=(True, True)):
    rows = [{"name": f"a{i}", "ok": ok[i], "lab_ready": {}, "phases": {}, "first_graph": {}, "run_time": {},
             "kernel_mb": {}, "kernel_cpu": dict(zip(LESSONS, kernel_cpu)), "server_mb": 150.0,
             "peak_total_mb": peak_mb[i], "cpu_s": cpu_s[i], "slow_loads": 0} for i in range(len(peak_mb))]
    return Result(len(rows), sum(ok), [], rows, {"hub": int(hub_mb * MB)}, 3.0, 10.0, (0.5, 0.7), 60.0, 2,
                  24 * 2**30)


def test_capacity_is_the_smallest_of_memory_cpu_and_the_run_all_burst():
    result = _result()
    # per attendee: largest peak 400 MB; CPU per lesson = median(8, 12) / 2 lessons = 12 / 2 = 6 s;
    # heaviest lesson's kernel: 3 CPU-s
    per = result.per_attendee()
    assert per["max_peak_mb"] == 400.0 and per["cpu_per_lesson"] == 6.0
    assert per["kernel_cpu"] == dict(zip(LESSONS, (1.0, 3.0)))
    got = result.capacity(memory_gb=16, cores=4)
    assert got["memory"] == int((16 * 1024 * 0.75 - 200) / 400)      # 30
    assert got["cpu"] == int(4 * 0.7 * 15 * 60 / 6)                  # 420
    assert got["burst"] == int(4 * 30 / 3)                           # 40
    assert got["serves"] == min(got["memory"], got["cpu"], got["burst"]) == 30


def test_failed_attendees_do_not_lower_the_per_attendee_figures():
    result = _result(peak_mb=(300.0, 50.0), cpu_s=(8.0, 1.0), ok=(True, False))
    assert result.per_attendee()["max_peak_mb"] == 300.0
    assert result.per_attendee()["cpu_per_lesson"] == 4.0


def test_the_table_says_served_failures_and_capacity():
    text = _result(ok=(True, False)).table()
    assert "attendees served: 1 of 2" in text and "| a1 | NO |" in text
    assert "this machine (24 GB, 2 cores) serves about" in text
