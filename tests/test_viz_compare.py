"""minigrad.viz.compare: manual vs automatic gradients, with errors and pass/fail per entry."""
from __future__ import annotations

import pytest

import minigrad
from minigrad.viz import Comparison, compare


def lesson_grads():
    x = minigrad.tensor(2.0, requires_grad=True)
    y = minigrad.tensor(3.0, requires_grad=True)
    z = minigrad.tensor(4.0, requires_grad=True)
    e = 2 * x ** 4 - y ** 3 + 3 * z ** 2
    e.backward()
    return x, y, z


def test_matching_gradients_pass():
    x, y, z = lesson_grads()
    manual = [8 * x.detach() ** 3, -3 * y.detach() ** 2, 6 * z.detach()]  # by hand
    result = compare(manual, [x.grad, y.grad, z.grad], names=["de/dx", "de/dy", "de/dz"])
    assert isinstance(result, Comparison) and result.passed and bool(result)
    assert [r.name for r in result.rows] == ["de/dx", "de/dy", "de/dz"]
    assert [r.max_abs_err for r in result.rows] == [0.0, 0.0, 0.0]
    text = str(result)
    assert text.splitlines()[0].split() == ["name", "manual", "autograd", "max", "abs", "err", "max", "rel", "err", "ok"]
    assert "de/dx  64      64" in text and text.count("PASS") == 3 and "FAIL" not in text
    assert text.endswith("all 3 entries match (rtol=1e-05, atol=1e-08)")
    assert repr(result) == text and "0x" not in text
    html = result._repr_html_()
    assert html.count("&#10004; pass") == 3 and "FAIL" not in html and "<table" in html


def test_a_wrong_manual_gradient_fails_with_its_error():
    x, y, z = lesson_grads()
    wrong = {"x": 4 * x.detach() ** 3, "y": -3 * y.detach() ** 2}  # forgot the factor 2 for x
    result = compare(wrong, {"x": x.grad, "y": y.grad})
    assert not result.passed
    rx, ry = result.rows
    assert (rx.name, rx.passed, rx.max_abs_err, rx.max_rel_err) == ("x", False, 32.0, 0.5)
    assert ry.passed
    assert "FAIL" in str(result) and "1 of 2 entries differ" in str(result)
    assert "&#10008; FAIL" in result._repr_html_()


def test_tolerances_and_single_tensors_and_numbers():
    auto = minigrad.tensor([1.0, 2.0, 3.0])
    close = minigrad.tensor([1.0, 2.0, 3.00001])
    assert compare(close, auto).passed  # 1e-5 within rtol 1e-5 * 3
    assert not compare(close, auto, rtol=1e-7, atol=0).passed
    assert compare([1.0, 2.0, 3.0], auto).passed  # plain numbers are fine on the manual side
    assert compare(6.0, minigrad.tensor(6.0)).rows[0].name == "gradient"
    big = compare(minigrad.ones(4, 4), minigrad.ones(4, 4))
    assert "[4, 4] tensor" in str(big)


def test_bad_input_gives_clear_errors():
    a = minigrad.ones(3)
    with pytest.raises(ValueError, match=r"shape mismatch for 'gradient': manual gradient has shape \[3\], automatic has shape \[2\]"):
        compare(a, minigrad.ones(2))
    with pytest.raises(ValueError, match="2 manual gradients but 1 automatic"):
        compare([a, a], [a])
    with pytest.raises(ValueError, match="2 entries but 1 names"):
        compare([a, a], [a, a], names=["only"])
    leaf = minigrad.ones(3, requires_grad=True)
    with pytest.raises(ValueError, match="automatic gradient of 'gradient' is None .was backward.. called"):
        compare(a, leaf.grad)
    with pytest.raises(ValueError, match="different keys"):
        compare({"a": a}, {"b": a})
    with pytest.raises(TypeError, match="must be a tensor or numbers"):
        compare("abc", a)


def test_summary_says_entry_for_one_and_entries_for_many():
    one = minigrad.tensor([2.0, 4.0])
    assert str(compare(one, one)).endswith("the entry matches (rtol=1e-05, atol=1e-08)")
    assert str(compare(one, one + 1)).endswith("1 of 1 entry differs (rtol=1e-05, atol=1e-08)")
