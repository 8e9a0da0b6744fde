"""mlcalc.taylor and mlcalc.taylor_explorer: coefficients against sympy at random expansion points
(hypothesis), polynomials, remainders, local models, the explorer's data, and bad input."""

from __future__ import annotations

import functools
import json
import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlcalc.taylor import (
    TaylorPolynomial,
    coefficient_errors,
    lagrange_bound,
    local_model,
    loglog_slope,
    taylor_coefficients,
    taylor_polynomial,
)
from mlcalc.taylor_explorer import (
    CATALOGUE,
    EXPLORER_ORDER,
    CatalogueFunction,
    catalogue,
    explorer_data,
    explorer_html,
    explorer_json,
    explorer_readout,
    grid_value,
    probe_position,
)

X = sp.symbols("x")
ORDER = 20
EXPRS = {
    "exp": sp.exp(X), "sin": sp.sin(X), "cos": sp.cos(X), "log1p": sp.log(1 + X),
    "geometric": 1 / (1 - X), "arctan": sp.atan(X), "gaussian": sp.exp(-X**2),
}


@functools.lru_cache(maxsize=None)
def _derivatives(key: str):
    """Callables (mpmath) for f^(k)/k!, k = 0..ORDER, from sympy's exact derivatives."""
    if key == "sigmoid":
        # sigma' = sigma (1 - sigma): every derivative is a polynomial in s = sigma(x)
        s = sp.symbols("s")
        polys, p = [], s
        for _ in range(ORDER + 1):
            polys.append(p)
            p = sp.expand(sp.diff(p, s) * s * (1 - s))
        funcs = [sp.lambdify(s, q / sp.factorial(k), "mpmath") for k, q in enumerate(polys)]
        return [lambda a, g=g: g(1 / (1 + mp.exp(-a))) for g in funcs]
    out, d = [], EXPRS[key]
    for k in range(ORDER + 1):
        out.append(sp.lambdify(X, d / sp.factorial(k), "mpmath"))
        d = sp.diff(d, X)
    return out


def exact(key: str, a: float) -> np.ndarray:
    with mp.workdps(40):
        return np.array([float(g(mp.mpf(a))) for g in _derivatives(key)])


def assert_coefficients_close(got, want, tol=1e-12):
    """Relative error <= tol, except where a coefficient is anomalously small compared with its
    neighbours (it passes through zero as a moves): there the error is measured against them."""
    for k in range(len(want)):
        nb = max(abs(want[j]) for j in (k - 1, k + 1) if 0 <= j < len(want))
        # A coefficient twenty or more times smaller than its neighbours is passing through zero
        # as a moves: it is the difference of terms their size, so its error is measured against
        # nb/20. Measured by hypothesis: arctan at a = 0.668 has c_16 = 7.0e-6 between 3.5e-3 and
        # -2.1e-3, off by 8.5e-18 (1.2e-12 of itself); at a = -2.923, c_19 = -5.2e-13 between
        # -2.9e-11 and 2.4e-12, off by 5.2e-25 (1.0e-12 of itself, 1.8e-14 of its neighbour).
        scale = max(abs(want[k]), nb / 20)
        assert abs(got[k] - want[k]) <= tol * scale, (k, got[k], want[k])


def _point(key: str):
    lo, hi = CATALOGUE[key].a_range
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("key", list(CATALOGUE))
@settings(max_examples=12, deadline=None)
@given(u=st.floats(0, 1))
@example(u=0.6113306239631734)  # arctan: a coefficient passing through zero (see above)
@example(u=0.012852107177427467)  # arctan at a = -2.923: the same
def test_coefficients_match_sympy_to_1e12_up_to_order_20(key, u):
    lo, hi = CATALOGUE[key].a_range
    a = lo + u * (hi - lo)
    got = taylor_coefficients(CATALOGUE[key].f, a, ORDER)
    assert_coefficients_close(got, exact(key, a))


@pytest.mark.parametrize("key", list(CATALOGUE))
def test_coefficients_at_zero_and_error_estimates_are_honest(key):
    f = CATALOGUE[key].f
    got, want = taylor_coefficients(f, 0.0, ORDER), exact(key, 0.0)
    err = coefficient_errors(f, 0.0, ORDER)
    assert np.all(np.abs(got - want) <= err + 1e-300)
    assert_coefficients_close(got, want)


def test_known_series():
    assert np.allclose(taylor_coefficients(np.exp, 0.0, 10), [1 / math.factorial(k) for k in range(11)], rtol=1e-14)
    assert np.allclose(taylor_coefficients(lambda z: 1 / (1 - z), 0.0, 15), 1.0, rtol=1e-13)
    # a polynomial is its own series, about any point
    c = taylor_coefficients(lambda z: 2 - 3 * z + z**3, 1.0, 5)
    assert np.allclose(c, [0, 0, 3, 1, 0, 0], atol=1e-13)


def test_a_given_radius_is_used_and_checked():
    c = taylor_coefficients(np.exp, 0.0, 8, radius=2.0)
    assert np.allclose(c, [1 / math.factorial(k) for k in range(9)], rtol=1e-12)
    with pytest.raises(ValueError, match="radius = 1.5"):
        taylor_coefficients(lambda z: 1 / (1 - z), 0.0, 5, radius=1.5)   # encloses the pole at 1
    with pytest.raises(ValueError, match="radius = 1"):
        taylor_coefficients(np.log1p, 0.0, 5, radius=1.0)                # passes through -1
    with pytest.raises(ValueError, match="radius"):
        taylor_coefficients(np.arctan, 0.0, 5, radius=2.0)               # crosses the cuts from +-i
    with pytest.raises(ValueError, match="radius must be positive"):
        taylor_coefficients(np.exp, 0.0, 5, radius=-1.0)


def test_automatic_circles_stop_at_the_singularity():
    # radius of convergence 0.05 at a = 0.95: only tiny circles are clean, accuracy must hold
    assert_coefficients_close(taylor_coefficients(lambda z: 1 / (1 - z), 0.95, ORDER),
                              [0.05 ** -(k + 1) for k in range(ORDER + 1)])


@pytest.mark.parametrize(
    "f, a, exc, text",
    [
        (np.abs, 0.0, TypeError, "complex"),
        (math.exp, 0.0, TypeError, "complex"),
        (lambda z: np.maximum(z.real, 0), 0.0, TypeError, "complex"),
        (lambda z: 1 / z, 0.0, ValueError, "a = 0"),
        (np.log, 0.0, ValueError, "a = 0"),
        (lambda z: np.exp(-1 / z**2), 0.0, ValueError, "no Taylor series"),
        (lambda z: np.sqrt(z), 0.0, ValueError, "a = 0"),
        (lambda z: "text", 0.0, TypeError, "numbers"),
        (lambda z: np.ones(3, dtype=complex), 0.0, ValueError, "shape"),
    ],
)
def test_functions_without_a_series_are_refused(f, a, exc, text):
    with pytest.raises(exc, match=text):
        taylor_coefficients(f, a, 4)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        ({"f": 3.0}, TypeError, "f"),
        ({"a": float("nan")}, ValueError, "a"),
        ({"a": "0"}, TypeError, "a"),
        ({"a": [0.0, 1.0]}, TypeError, "a"),
        ({"n": -1}, ValueError, "n"),
        ({"n": 2.5}, TypeError, "n"),
        ({"n": True}, TypeError, "n"),
        ({"n": 10**6}, ValueError, "n"),
        ({"radius": float("inf")}, ValueError, "radius"),
        ({"radius": "big"}, TypeError, "radius"),
        ({"samples": 4}, ValueError, "samples"),
        ({"samples": 2**20}, ValueError, "samples"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, exc, name):
    args = {"f": np.exp, "a": 0.0, "n": 4} | kwargs
    f, a, n = args.pop("f"), args.pop("a"), args.pop("n")
    with pytest.raises(exc, match=name):
        taylor_coefficients(f, a, n, **args)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(-2, 2), n=st.integers(0, 12), x=st.lists(st.floats(-3, 3), min_size=1, max_size=5))
def test_taylor_polynomial_is_the_sum_of_its_terms(a, n, x):
    T = taylor_polynomial(np.sin, a, n)
    c = taylor_coefficients(np.sin, a, n)
    xs = np.array(x)
    direct = sum(c[k] * (xs - a) ** k for k in range(n + 1))
    assert T.order == n
    assert np.allclose(T(xs), direct, rtol=1e-12, atol=1e-12)
    assert np.allclose(T.terms(xs).sum(axis=0), direct, rtol=1e-12, atol=1e-12)
    assert isinstance(T(float(xs[0])), float)


def test_taylor_polynomial_from_coefficients_and_bad_input():
    T = taylor_polynomial([1.0, 2.0, 3.0], 1.0)
    assert isinstance(T, TaylorPolynomial) and T(2.0) == 6.0 and T.order == 2
    with pytest.raises(TypeError, match="n"):
        taylor_polynomial(np.exp, 0.0)
    with pytest.raises(TypeError, match="n"):
        taylor_polynomial([1.0], 0.0, 3)
    with pytest.raises(ValueError, match="coefficients"):
        taylor_polynomial([1.0, np.nan], 0.0)
    with pytest.raises(ValueError, match="coefficients"):
        taylor_polynomial([], 0.0)
    with pytest.raises(ValueError, match="x"):
        T([1.0, np.inf])
    with pytest.raises(ValueError, match="a"):
        taylor_polynomial(np.exp, np.inf, 2)


def test_lagrange_bound_formula_and_bad_input():
    assert lagrange_bound(2.0, 1.0, 3.0, 2) == pytest.approx(2.0 * 2**3 / 6)
    assert np.allclose(lagrange_bound(1.0, 0.0, np.array([-1.0, 1.0]), 0), [1.0, 1.0])
    # the bound holds for exp on [0, h]
    for n in range(8):
        h = 0.7
        assert np.exp(h) - taylor_polynomial(np.exp, 0.0, n)(h) <= lagrange_bound(np.exp(h), 0.0, h, n)
    with pytest.raises(ValueError, match="derivative_bound"):
        lagrange_bound(-1.0, 0.0, 1.0, 2)
    with pytest.raises(ValueError, match="n"):
        lagrange_bound(1.0, 0.0, 1.0, -1)
    with pytest.raises(ValueError, match="x"):
        lagrange_bound(1.0, 0.0, [np.nan], 1)


def test_loglog_slope():
    h = np.logspace(-3, 0, 10)
    assert loglog_slope(h, 5 * h**3) == pytest.approx(3.0)
    assert loglog_slope(h, -(h**2)) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="same length"):
        loglog_slope(h, h[:-1])
    with pytest.raises(ValueError, match="positive"):
        loglog_slope(-h, h)
    with pytest.raises(ValueError, match="error"):
        loglog_slope(h, np.full(10, np.nan))


def test_local_model_of_a_quadratic_is_exact_and_linear_model_is_the_tangent_plane():
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -2.0])

    def q(p):
        return 0.5 * np.einsum("...i,ij,...j->...", p, A, p) + p @ b + 3.0

    x0 = np.array([0.3, -0.7])
    m2 = local_model(q, x0, order=2)
    pts = np.random.default_rng(0).normal(size=(20, 2))
    assert np.allclose(m2(pts), q(pts), atol=1e-6)
    assert np.allclose(m2.hessian, A, atol=1e-6) and m2.order == 2
    m1 = local_model(q, x0, order=1)
    assert m1.hessian is None and m1.order == 1
    assert np.allclose(m1.gradient, A @ x0 + b, atol=1e-8)
    assert m1(x0) == pytest.approx(q(x0))
    with pytest.raises(ValueError, match="order"):
        local_model(q, x0, order=3)
    with pytest.raises(ValueError, match="x0"):
        local_model(q, [[0.0, 1.0]])
    with pytest.raises(TypeError, match="f"):
        local_model("q", x0)
    with pytest.raises(ValueError, match="shape"):
        m2(np.zeros(3))


def test_catalogue_radii_are_distances_to_the_singularities():
    # the root test on the computed coefficients approaches the stated radius
    for key, a in [("geometric", 0.2), ("log1p", 0.5), ("arctan", 1.0), ("sigmoid", 1.0)]:
        entry = catalogue(key)
        c = taylor_coefficients(entry.f, a, 40)
        k = np.arange(30, 41)
        estimate = np.min(np.abs(c[k]) ** (-1.0 / k))  # Cauchy-Hadamard: 1/limsup |c_k|^(1/k)
        assert abs(estimate - entry.radius_at(a)) < 0.12 * entry.radius_at(a), key  # k^(1/k) creeps
    assert math.isinf(catalogue("exp").radius_at(1.0))
    with pytest.raises(ValueError, match="key"):
        catalogue("tan")


@pytest.fixture(scope="module")
def data():
    return explorer_data()


def test_explorer_data_is_compact_json_and_agrees_with_the_package(data):
    text = explorer_json(data)
    assert json.loads(text) == data and "</" not in text
    assert data["order"] == EXPLORER_ORDER >= 15
    assert [e["key"] for e in data["functions"]] == list(CATALOGUE)
    rng = np.random.default_rng(1)
    for entry in data["functions"]:
        key = entry["key"]
        assert len(entry["coefficients"]) == entry["a"][2] == len(entry["radius"])
        assert len(entry["f"]) == entry["x"][2]
        for _ in range(3):
            ia, n, ix = int(rng.integers(entry["a"][2])), int(rng.integers(EXPLORER_ORDER + 1)), int(rng.integers(entry["x"][2]))
            r = explorer_readout(data, key, ia, n, ix)
            if math.isnan(r["f"]):
                continue
            T = taylor_polynomial(CATALOGUE[key].f, r["a"], n)
            fresh = abs(float(np.real(CATALOGUE[key].f(r["x"]))) - T(r["x"]))
            assert r["error"] == pytest.approx(fresh, rel=1e-9, abs=1e-12)


def test_explorer_html_and_readout_bad_input(data):
    html = explorer_html(data)
    assert 'data-taylor="taylor-explorer-data"' in html and 'type="application/json"' in html
    with pytest.raises(ValueError, match="element_id"):
        explorer_html(data, element_id="a b")
    with pytest.raises(ValueError, match="data"):
        explorer_json({"format": "other"})
    with pytest.raises(ValueError, match="key"):
        explorer_readout(data, "tan", 0, 1, 0)
    with pytest.raises(ValueError, match="order"):
        explorer_readout(data, "exp", 0, EXPLORER_ORDER + 1, 0)
    with pytest.raises(ValueError, match="x_index"):
        explorer_readout(data, "exp", 0, 1, 10**6)
    with pytest.raises(TypeError, match="a_index"):
        explorer_readout(data, "exp", 0.5, 1, 0)
    with pytest.raises(ValueError, match="points"):
        explorer_data(points=10**6)
    with pytest.raises(TypeError, match="x"):
        probe_position("1", 0.0, 1.0)
    with pytest.raises(ValueError, match="radius"):
        probe_position(1.0, 0.0, -1.0)
    with pytest.raises(ValueError, match="count"):
        grid_value(0.0, 1.0, 1, 0)
    with pytest.raises(ValueError, match="i"):
        grid_value(0.0, 1.0, 5, 7)


def test_far_expansion_points():
    c = taylor_coefficients(np.sin, 1e6, 4)
    want = [np.sin(1e6), np.cos(1e6), -np.sin(1e6) / 2, -np.cos(1e6) / 6, np.sin(1e6) / 24]
    assert np.allclose(c, want, rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="a = 1e"):
        taylor_coefficients(np.exp, 1e300, 3)


def test_explorer_grids_print_exactly_and_hold_round_points(data):
    for entry in data["functions"]:
        c = CATALOGUE[entry["key"]]
        a = [grid_value(*entry["a"], i) for i in range(entry["a"][2])]
        x = [grid_value(*entry["x"], i) for i in range(entry["x"][2])]
        assert np.allclose(np.diff(a), c.a_step) and np.allclose(np.diff(x), c.x_step)
        assert all(float(f"{v:.2f}") == v for v in a), entry["key"]    # the readout's a is the a used
        assert all(float(f"{v:.3f}") == v for v in x), entry["key"]
        assert a == list(c.a_values()) and x == list(c.x_values())
        lo, hi = c.a_range
        assert all(float(k) in a for k in range(math.ceil(lo), math.floor(hi) + 1)), entry["key"]
    assert 2.0 in [grid_value(*data["functions"][3]["a"], i) for i in range(data["functions"][3]["a"][2])]


def test_readout_says_where_the_probe_is(data):
    log = next(e for e in data["functions"] if e["key"] == "log1p")
    geo = next(e for e in data["functions"] if e["key"] == "geometric")
    for ia in range(log["a"][2]):                     # x = -1 is the singularity, for every a
        assert explorer_readout(data, "log1p", ia, 5, 0)["position"] == "singular"
    ia = [grid_value(*log["a"], i) for i in range(log["a"][2])].index(0.5)
    ix = [grid_value(*log["x"], i) for i in range(log["x"][2])].index(2.0)   # 2a + 1: the right end
    assert explorer_readout(data, "log1p", ia, 5, ix)["position"] == "edge"
    assert explorer_readout(data, "log1p", ia, 5, ix - 1)["position"] == "inside"
    assert explorer_readout(data, "log1p", ia, 5, ix + 1)["position"] == "outside"
    ix1 = geo["x"][2] - 1                              # x = 1 for 1/(1 - x)
    assert explorer_readout(data, "geometric", 0, 3, ix1)["position"] == "singular"
    assert explorer_readout(data, "exp", 0, 3, 0)["position"] == "inside"
    # rounding: |x - a| = 0.19999999999999996 against 0.2 is the edge, not inside
    assert probe_position(-1.0, -0.8, 0.2) == "edge" and probe_position(-1.0, -0.8, 0.2, False) == "singular"
    assert probe_position(0.0, 1.0, 0.5) == "outside" and probe_position(0.9, 1.0, 0.5) == "inside"
    assert probe_position(100.0, 0.0, None) == "inside"


def test_catalogue_entries_document_what_pages_use():
    doc = CatalogueFunction.__doc__ or ""
    for name in ("f", "label", "radius_at"):
        assert f"``{name}``" in doc or f":meth:`{name}`" in doc, name
