"""Unit and property tests of mlcalc.derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.derivatives import (
    EPS,
    METHODS,
    DerivativeCheck,
    check_derivative,
    derivative,
    difference_quotient,
    error_model,
    model_best_step,
    optimal_step,
)

# Each method's accuracy limit (issue 3): error / max(1, |f'(x)|) on smooth functions at |x| <= 10.
LIMITS = {"forward": 1e-7, "central": 1e-9, "complex": 1e-14}

SMOOTH = {
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda x: -np.sin(x)),
    "exp": (np.exp, np.exp),
    "cubic": (lambda x: x**3 / 3 - x + 1, lambda x: x**2 - 1),
    "quintic": (lambda x: x**5 / 20 - x**2 / 2, lambda x: x**4 / 4 - x),
}


# The forward difference cannot beat about 2*sqrt(eps*|f*f''|) (truncation h|f''|/2 against
# rounding 2*eps*|f|/h), so where f' is near 0 but f and f'' are large (2x^3 - 4x + 1 near x = 0.9:
# 1.2e-7) the 1e-7 limit is out of reach for any step; the examples here have moderate curvature.
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_each_method_reaches_its_limit_on_smooth_functions(name, method):
    f, df = SMOOTH[name]
    x = np.linspace(-10, 10, 4001)
    err = np.abs(derivative(f, x, method) - df(x)) / np.maximum(1.0, np.abs(df(x)))
    assert err.max() <= LIMITS[method], f"{name}/{method}: worst scaled error {err.max():.2e}"


polynomials = st.lists(
    st.floats(-5, 5, allow_nan=False, allow_infinity=False), min_size=1, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(
    coefs=polynomials,
    x=st.floats(-10, 10, allow_nan=False, allow_infinity=False),
    method=st.sampled_from(METHODS),
)
def test_random_polynomials_at_random_points(coefs, x, method):
    p = np.polynomial.Polynomial(coefs)
    dp = p.deriv()
    got = derivative(p, x, method)
    # the truncation and rounding budget of each method, scaled by the polynomial's own size
    scale = max(1.0, abs(dp(x)), sum(abs(c) * max(1.0, abs(x)) ** k for k, c in enumerate(coefs)))
    assert abs(got - dp(x)) <= LIMITS[method] * scale


def test_scalar_in_scalar_out_and_array_shape_preserved():
    assert isinstance(derivative(np.sin, 1.0), float)
    x = np.zeros((3, 4))
    assert derivative(np.sin, x).shape == (3, 4)
    assert derivative(np.sin, [0.0, 1.0]).shape == (2,)


def test_a_scalar_only_function_works_elementwise():
    got = derivative(math.sin, [0.0, 1.0, 2.0])
    np.testing.assert_allclose(got, np.cos([0.0, 1.0, 2.0]), rtol=1e-9)


def test_step_array_broadcasts_against_x():
    hs = np.logspace(-1, -8, 8)
    got = derivative(np.exp, 0.0, "forward", h=hs)
    assert got.shape == (8,)
    # forward error ~ h/2 for exp at 0: it shrinks with h
    err = np.abs(got - 1.0)
    assert err[0] > err[4] > 0


def test_optimal_step_values_and_scaling():
    assert optimal_step("forward", 0.0) == pytest.approx(math.sqrt(EPS))
    assert optimal_step("central", 0.0) == pytest.approx(EPS ** (1 / 3))
    assert optimal_step("central", -20.0) == pytest.approx(20 * EPS ** (1 / 3))
    np.testing.assert_allclose(optimal_step("forward", [0.5, 4.0]), [math.sqrt(EPS), 4 * math.sqrt(EPS)])


@pytest.mark.parametrize("method", ["forward", "central"])
def test_model_best_step_minimises_the_error_model(method):
    hs = np.logspace(-12, 0, 20001)
    kw = dict(f_size=0.7, higher_derivative=1.3)
    model = error_model(method, hs, **kw)
    h_star = model_best_step(method, **kw)
    assert h_star == pytest.approx(hs[np.argmin(model)], rel=2e-3)


def test_error_model_has_the_stated_slopes():
    hs = np.array([1e-2, 1e-3])
    fwd = error_model("forward", hs, f_size=0.0, higher_derivative=2.0)
    cen = error_model("central", hs, f_size=0.0, higher_derivative=6.0)
    np.testing.assert_allclose(fwd, hs)  # h/2 * 2
    np.testing.assert_allclose(cen, hs**2)  # h^2/6 * 6
    tiny = np.array([1e-12, 1e-13])
    rounding = error_model("central", tiny, f_size=1.0, higher_derivative=0.0)
    np.testing.assert_allclose(rounding, EPS / tiny)


def test_difference_quotient_is_rise_over_run():
    assert difference_quotient(lambda x: 3 * x + 2, 5.0, 0.25) == pytest.approx(3.0)
    np.testing.assert_allclose(difference_quotient(np.square, 1.0, [1.0, -0.5]), [3.0, 1.5])


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        (dict(f=3.0, x=1.0), TypeError, "f must be a function"),
        (dict(f=np.sin, x=float("nan")), ValueError, "x must be finite"),
        (dict(f=np.sin, x=[1.0, np.inf]), ValueError, "x must be finite"),
        (dict(f=np.sin, x="1.0"), TypeError, "x must be"),
        (dict(f=np.sin, x=[]), ValueError, "x must not be empty"),
        (dict(f=np.sin, x=1.0, h=0.0), ValueError, "h must be positive"),
        (dict(f=np.sin, x=1.0, h=-1e-3), ValueError, "h must be positive"),
        (dict(f=np.sin, x=1.0, method="backward"), ValueError, "method must be one of"),
        (dict(f=lambda x: np.array([1.0, 2.0]), x=1.0), ValueError, "f must return one number"),
        (dict(f=lambda x: np.zeros(5), x=[1.0, 2.0]), ValueError, "f must return one number per input"),
        (dict(f=np.abs, x=1.0, method="complex"), ValueError, "complex-safe"),
        (dict(f=math.sin, x=1.0, method="complex"), ValueError, "complex"),
        (dict(f=np.log, x=-1.0), ValueError, "NaN or inf"),
        (dict(f=np.sin, x=1.0, h=1e-30), ValueError, "too small"),
        (dict(f=np.sin, x=[1.0, 2.0], h=[1e-3, 1e-3, 1e-3]), ValueError, "do not broadcast"),
    ],
)
def test_bad_input_is_named(kwargs, exc, words):
    f = kwargs.pop("f")
    x = kwargs.pop("x")
    with pytest.raises(exc, match=words):
        derivative(f, x, **kwargs)


def test_difference_quotient_refuses_zero_run():
    with pytest.raises(ValueError, match="h must be non-zero"):
        difference_quotient(np.sin, 1.0, 0.0)


def test_model_best_step_refuses_complex():
    with pytest.raises(ValueError, match="method"):
        model_best_step("complex")


# ---- the reader's self-check -------------------------------------------------------------------


def test_check_derivative_passes_a_right_answer(capsys):
    result = check_derivative(np.sin, np.cos)
    assert isinstance(result, DerivativeCheck)
    assert result.passed
    assert result.points.size == 20
    out = capsys.readouterr().out
    assert out.startswith("✓ cos agrees")


def test_check_derivative_reports_where_a_wrong_answer_fails(capsys):
    def my_derivative(x):  # right for x < 1 only
        return np.where(x < 1, 2 * x, 2 * x + 0.1)

    result = check_derivative(np.square, my_derivative, low=-2, high=2, points=40, seed=3)
    assert not result.passed
    assert np.all(result.points[result.failures] >= 1)
    assert result.failures.sum() == np.sum(result.points >= 1)
    assert result.worst_x >= 1
    assert result.worst_error == pytest.approx(0.1, rel=1e-6)
    out = capsys.readouterr().out
    assert "my_derivative disagrees" in out and f"at {result.failures.sum()} of 40 points" in out


def test_check_derivative_is_repeatable_and_quiet_on_request(capsys):
    a = check_derivative(np.exp, np.exp, seed=7, verbose=False)
    b = check_derivative(np.exp, np.exp, seed=7, verbose=False)
    np.testing.assert_array_equal(a.points, b.points)
    assert capsys.readouterr().out == ""


def test_check_derivative_accepts_scalar_only_functions():
    assert check_derivative(math.exp, math.exp, verbose=False).passed


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(df=None), "df must be a function"),
        (dict(low=2.0, high=1.0), "low must be less than high"),
        (dict(points=0), "points must be at least 1"),
        (dict(rtol=0.0), "rtol must be positive"),
        (dict(df=lambda x: np.log(x - 10)), "NaN or inf"),
    ],
)
def test_check_derivative_bad_input(kwargs, words):
    args = dict(df=np.cos)
    args.update(kwargs)
    df = args.pop("df")
    with pytest.raises((TypeError, ValueError), match=words):
        check_derivative(np.sin, df, verbose=False, **args)
