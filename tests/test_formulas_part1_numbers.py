"""Part 1 claims about computed numbers and the error models, checked against the code and against
real float64 rounding (not against the models' own implementation)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mlcalc.derivatives import EPS, derivative, difference_quotient, error_model, model_best_step

x, h = sp.symbols("x h", real=True)
eps = sp.Symbol("varepsilon", positive=True)


def test_exercise_cube_code_value_is_12_plus_6h_plus_h2():  # ex-p1-ror-cube
    q = sp.cancel(((x + h) ** 3 - x**3) / h)
    assert sp.limit(q, h, 0) == 3 * x**2
    step = 1e-4
    exact = float(q.subs({x: 2, h: sp.Rational(1, 10**4)}))
    assert exact == pytest.approx(12 + 6 * step + step**2, rel=1e-15)
    code = float(difference_quotient(lambda t: t**3, 2.0, step))
    assert abs(code - exact) < 1e-9  # rounding of a difference of two numbers near 8, over 1e-4


def test_central_difference_of_abs_at_zero_is_zero():  # ex-p1-lim-abs
    """The page's claims about the code: central gives exactly 0 at 0; the complex step refuses abs."""
    assert derivative(np.abs, 0.0, method="central") == 0.0
    for step in (1e-1, 1e-5, 3.7e-9):
        assert derivative(np.abs, 0.0, method="central", h=step) == 0.0
        # while the one-sided slopes are +1 and -1
        assert difference_quotient(np.abs, 0.0, step) == 1.0
        assert difference_quotient(np.abs, 0.0, -step) == -1.0
    with pytest.raises(ValueError):
        derivative(np.abs, 0.0, method="complex")


@pytest.mark.parametrize("g", [sp.sin(x), sp.exp(2 * x), sp.cos(3 * x) + x**5])
@pytest.mark.parametrize("sign", [1, -1])
def test_taylor_expansion_used_for_truncation(g, sign):
    """f(x ± h) = f ± h f' + h^2/2 f'' ± h^3/6 f''' + O(h^4), as 02-derivative-as-limit states it."""
    series = sp.series(g.subs(x, x + sign * h), h, 0, 4).removeO()
    stated = (g + sign * h * sp.diff(g, x) + h**2 / 2 * sp.diff(g, x, 2)
              + sign * h**3 / 6 * sp.diff(g, x, 3))
    assert sp.simplify(sp.expand(series - stated)) == 0


@pytest.mark.parametrize(("method", "bound"), [("forward", 2), ("central", 1)])
def test_rounding_error_model_against_real_rounding(method, bound):
    """Real float64 rounding: a difference quotient's error is at most about bound * eps |f| / h.

    At steps 1e-12..1e-10 the truncation error of sin is below 1e-10, far under the rounding
    error (about 1e-5), so what is measured is rounding. The model must bound it, and not by a
    margin so wide that it says nothing.
    """
    rng = np.random.default_rng(11)
    xs = rng.uniform(0.5, 2.0, 2000)
    hs = 10 ** rng.uniform(-12, -10, 2000)
    if method == "forward":
        approx = (np.sin(xs + hs) - np.sin(xs)) / hs
    else:
        approx = (np.sin(xs + hs) - np.sin(xs - hs)) / (2 * hs)
    ratio = np.abs(approx - np.cos(xs)) / (bound * EPS * np.abs(np.sin(xs)) / hs)
    assert ratio.max() <= 1.0
    assert np.percentile(ratio, 95) >= 0.1


def test_exercise_cube_forward_errors_and_balance():  # ex-p1-lim-cube
    for step in (1e-2, 1e-4, 1e-6):
        err = abs(derivative(lambda t: t**3, 2.0, method="forward", h=step) - 12.0)
        assert err == pytest.approx(6 * step + step**2, rel=1e-3)
    # rounding 2 eps |f(2)| / h = 16 eps / h meets truncation 6h at h = sqrt(16 eps / 6)
    hb = sp.Symbol("h", positive=True)
    (balance,) = sp.solve(sp.Eq(6 * hb, 16 * eps / hb), hb)
    assert sp.simplify(balance - sp.sqrt(16 * eps / 6)) == 0


def test_exercise_exp_at_10_numbers():  # ex-p1-lim-exp
    e10 = float(np.exp(10.0))
    step = model_best_step("forward", f_size=e10, higher_derivative=e10)
    assert step == pytest.approx(2 * np.sqrt(EPS), rel=1e-12)
    err = float(error_model("forward", step, f_size=e10, higher_derivative=e10))
    assert err == pytest.approx(2 * np.sqrt(EPS) * e10, rel=1e-12)
    # and the real forward difference at that step is about that far off, or better
    real = abs(derivative(np.exp, 10.0, method="forward", h=step) - e10)
    assert real <= err


def test_constant_has_derivative_zero_everywhere_including_0():  # 03: the n = 0 case
    c = sp.Integer(1)
    assert sp.limit((c - c) / h, h, 0) == 0
    pts = np.array([-2.0, 0.0, 1e-300, 3.0])
    assert np.all(derivative(lambda t: np.ones_like(t), pts) == 0.0)


def test_corner_term_vanishes():  # 05-product-rule: (Δu/h)·Δv -> u'·0 = 0
    u, v = x, x**2
    du = u.subs(x, x + h) - u
    dv = v.subs(x, x + h) - v
    assert sp.limit(du / h * dv, h, 0) == 0
    assert sp.limit(du / h, h, 0) == sp.diff(u, x)


def test_chain_rule_sketch_identity():  # eq-p1chain-sketch
    """Both factors of the sketch, evaluated as numbers at runs that shrink, tend to f'(u) and g'(x).

    (Built symbolically, sympy would cancel the Δu on construction, so the identity is checked
    numerically, factor by factor, at several x.)
    """
    rng = np.random.default_rng(5)
    g = lambda t: t**3 + 2 * t  # noqa: E731
    dg = lambda t: 3 * t**2 + 2  # noqa: E731
    for x0 in rng.uniform(-1.5, 1.5, 5):
        u = g(x0)
        for run in (1e-2, 1e-4, 1e-6):
            du = g(x0 + run) - u
            outer = (np.sin(u + du) - np.sin(u)) / du
            inner = du / run
            left = (np.sin(g(x0 + run)) - np.sin(g(x0))) / run
            assert outer * inner == pytest.approx(left, rel=1e-9)
            assert outer == pytest.approx(np.cos(u), abs=5 * run * (1 + abs(dg(x0))) ** 2)
            assert inner == pytest.approx(dg(x0), abs=5 * run * (1 + abs(x0)))
    inner_expr = x**3 + 2 * x
    quotient = (sp.sin(inner_expr.subs(x, x + h)) - sp.sin(inner_expr)) / h
    assert sp.simplify(sp.limit(quotient, h, 0) - sp.cos(inner_expr) * (3 * x**2 + 2)) == 0


def test_beast_exercise_steps():  # ex-p1beast-yours
    inner = sp.exp(sp.sin(2 * x))
    assert sp.simplify(sp.diff(inner, x) - inner * 2 * sp.cos(2 * x)) == 0
    assert sp.diff(1 + x**4, x) == 4 * x**3


def test_sum_rule_split_and_constant_multiple():  # 03-sum-and-power-rules, the proof's split
    """The rise over run of f + g is the sum of the two rise-over-runs, and of c f is c times f's."""
    f, g = sp.Function("f"), sp.Function("g")
    c = sp.Symbol("c")
    left = ((f(x + h) + g(x + h)) - (f(x) + g(x))) / h
    right = (f(x + h) - f(x)) / h + (g(x + h) - g(x)) / h
    assert sp.expand(left - right) == 0
    scaled = (c * f(x + h) - c * f(x)) / h
    assert sp.expand(scaled - c * (f(x + h) - f(x)) / h) == 0
    # and the limits: (c f)' = c f' for a concrete f, numerically too
    assert sp.diff(c * sp.sin(x), x) == c * sp.cos(x)
    pts = np.linspace(-2.0, 2.0, 9)
    np.testing.assert_allclose(derivative(lambda t: 3.5 * np.sin(t), pts), 3.5 * np.cos(pts), rtol=1e-8, atol=1e-10)
