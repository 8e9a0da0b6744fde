"""Tests for mlcalc.multivariate: accuracy of gradient/jacobian/hessian, the checks, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.derivatives import EPS
from mlcalc.multivariate import (
    MatrixCheck,
    check_hessian,
    check_jacobian,
    classify_stationary_point,
    first_step,
    gradient,
    hessian,
    jacobian,
    noise_error_model,
    noise_optimal_step,
    polar_to_cartesian,
    total_derivative,
)

# Accuracy targets, relative to the largest entry of the exact matrix (floored at 1, the
# "moderate scale" convention of check_derivative): first derivatives 1e-8, Hessians 1e-6.
FIRST_RTOL = 1e-8
SECOND_RTOL = 1e-6


def rel_error(numerical, exact):
    exact = np.asarray(exact, dtype=float)
    return float(np.max(np.abs(numerical - exact)) / max(1.0, float(np.max(np.abs(exact)))))


# --------------------------------------------------------------------------- random polynomials


class Poly:
    """A polynomial sum_k c_k prod_j x_j**E[k, j] with exact derivatives."""

    def __init__(self, coefs, exps):
        self.c = np.asarray(coefs, dtype=float)
        self.E = np.asarray(exps, dtype=int)

    def __call__(self, x):
        return float(np.sum(self.c * np.prod(np.asarray(x) ** self.E, axis=1)))

    def deriv(self, j):
        c = self.c * self.E[:, j]
        E = self.E.copy()
        E[:, j] = np.maximum(E[:, j] - 1, 0)
        return Poly(c, E)

    def grad(self, x):
        return np.array([self.deriv(j)(x) for j in range(self.E.shape[1])])

    def hess(self, x):
        n = self.E.shape[1]
        return np.array([[self.deriv(i).deriv(j)(x) for j in range(n)] for i in range(n)])


@st.composite
def polys(draw, n=None, max_degree=4):
    n = draw(st.integers(1, 4)) if n is None else n
    k = draw(st.integers(1, 6))
    coefs = draw(st.lists(st.floats(-1, 1), min_size=k, max_size=k))
    exps = []
    for _ in range(k):
        e = draw(st.lists(st.integers(0, max_degree), min_size=n, max_size=n))
        while sum(e) > max_degree:
            e[int(np.argmax(e))] -= 1
        exps.append(e)
    return Poly(coefs, exps)


def points(n):
    return st.lists(st.floats(-2, 2), min_size=n, max_size=n).map(np.array)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_gradient_of_random_polynomial_is_accurate(data):
    p = data.draw(polys())
    x = data.draw(points(p.E.shape[1]))
    assert rel_error(gradient(p, x), p.grad(x)) <= FIRST_RTOL


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_jacobian_of_random_polynomial_map_is_accurate(data):
    n = data.draw(st.integers(1, 4))
    m = data.draw(st.integers(1, 3))
    ps = [data.draw(polys(n=n)) for _ in range(m)]
    x = data.draw(points(n))
    J = jacobian(lambda v: np.array([p(v) for p in ps]), x)
    assert J.shape == (m, n)
    assert rel_error(J, np.array([p.grad(x) for p in ps])) <= FIRST_RTOL


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_hessian_of_random_polynomial_is_accurate_and_symmetric(data):
    p = data.draw(polys())
    x = data.draw(points(p.E.shape[1]))
    H = hessian(p, x)
    assert np.array_equal(H, H.T)
    assert rel_error(H, p.hess(x)) <= SECOND_RTOL


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3, 1e5])
def test_steps_scale_with_x_so_accuracy_is_relative(scale):
    # f(x) = sum(x_j^3): the gradient 3 x_j^2 and the Hessian diag(6 x_j) at large and small x
    x = scale * np.array([1.3, -0.7, 2.1])
    f = lambda v: float(np.sum(v**3))
    g = gradient(f, x)
    assert np.max(np.abs(g - 3 * x**2)) <= FIRST_RTOL * max(1.0, np.max(3 * x**2))
    H = hessian(f, x)
    assert np.max(np.abs(H - np.diag(6 * x))) <= SECOND_RTOL * max(1.0, np.max(np.abs(6 * x)))


def test_default_steps_are_the_documented_powers_of_eps():
    x = np.array([0.0, -0.5, 40.0])
    np.testing.assert_allclose(first_step(x), EPS ** (1 / 3) * np.array([1, 1, 40]))
    # the Hessian moves one coordinate by eps^(1/4) max(1, |x_j|) for its diagonal entries
    calls = []

    def f(v):
        calls.append(v.copy())
        return float(np.sum(v**2))

    hessian(f, x)
    offsets = [v - x for v in calls if np.count_nonzero(v != x) == 1]
    for j in range(x.size):
        moved = [abs(o[j]) for o in offsets if o[j] != 0]
        default = EPS ** (1 / 4) * max(1.0, abs(x[j]))
        # |x_j| > 32: the default step is checked at half of it too (f is quadratic: it is kept)
        assert len(moved) == (4 if abs(x[j]) > 32 else 2)
        np.testing.assert_allclose(sorted(moved)[-2:], default, rtol=1e-12)
    assert len(calls) == 2 * x.size**2 + 1 + 2 * int(np.sum(np.abs(x) > 32))


def test_evaluation_points_are_exact_offsets():
    calls = []

    def f(v):
        calls.append(v.copy())
        return float(np.sum(v))

    x = np.array([0.1, 3.7])
    gradient(f, x)
    assert len(calls) == 2 * x.size + 1  # no coordinate beyond CHECK_ABOVE = 32: no step check
    assert np.array_equal(calls[0], x)
    for v in calls[1:]:
        moved = np.flatnonzero(v != x)
        assert moved.size == 1
        j = moved[0]
        assert (v[j] - x[j]) + x[j] == v[j]  # the offset is a float taken exactly
        step = abs(v[j] - x[j])
        assert min(abs(step - first_step(x)[j]), abs(step - first_step(x)[j] / 2)) <= 4 * np.spacing(x[j])


def test_user_steps_per_coordinate_and_scalar():
    f = lambda v: v[0] ** 3 + v[1] ** 3
    x = np.array([1.0, 2.0])
    # a large step shows the h^2 truncation error of the central difference: h^2 (= f'''/6 * h^2)
    g = gradient(f, x, h=[0.1, 0.2])
    np.testing.assert_allclose(g - [3.0, 12.0], [0.1**2, 0.2**2], rtol=1e-9)
    np.testing.assert_allclose(gradient(f, x, h=0.1) - [3.0, 12.0], [0.01, 0.01], rtol=1e-9)


def test_jacobian_shapes():
    x = np.array([1.0, 2.0, 3.0])
    assert jacobian(lambda v: float(v @ v), x).shape == (1, 3)
    assert jacobian(lambda v: v[:2] * 2, x).shape == (2, 3)
    np.testing.assert_allclose(jacobian(lambda v: v[:2] * 2, x), [[2, 0, 0], [0, 2, 0]], atol=1e-9)
    assert gradient(lambda v: float(v @ v), x).shape == (3,)


# --------------------------------------------------------------------------- total derivative


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_total_derivative_is_the_chain_of_partials(data):
    p = data.draw(polys(n=3, max_degree=3))
    a, b, c = (data.draw(points(3)) for _ in range(3))
    t = data.draw(st.floats(-1, 1))
    path = lambda s: a + b * s + c * s**2
    exact = float(p.grad(path(t)) @ (b + 2 * c * t))
    assert abs(total_derivative(p, path, t) - exact) <= FIRST_RTOL * max(1.0, abs(exact), np.max(np.abs(p.grad(path(t)))))


def test_total_derivative_bad_input():
    f = lambda v: float(np.sum(v))
    with pytest.raises(TypeError, match="path"):
        total_derivative(f, 3.0, 0.5)
    with pytest.raises(ValueError, match="path"):
        total_derivative(f, lambda t: t, 0.5)  # returns a number, not a point
    with pytest.raises(ValueError, match="t must be finite"):
        total_derivative(f, lambda t: np.array([t, t]), np.nan)
    with pytest.raises(ValueError, match="path"):
        total_derivative(f, lambda t: np.array([t, np.log(t)]), 0.0)


# --------------------------------------------------------------------------- examples from the pages (sympy)

x_, y_, z_ = sp.symbols("x y z", real=True)
n_, T_, V_, t_ = sp.symbols("n T V t", positive=True)
R_GAS = sp.Rational(8314, 1000)

PAGE_EXAMPLES = {
    # 01-partial-derivatives: ideal-gas pressure in kPa, P(n, T, V) = R n T / V
    "gas pressure": ((n_, T_, V_), R_GAS * n_ * T_ / V_, [(0.5, 1.5), (250, 350), (5, 40)]),
    # 03-jacobian-scalar: a hill and a hollow, f(x, y) = x exp(-(x^2 + y^2)/2)
    "hill and hollow": ((x_, y_), x_ * sp.exp(-(x_**2 + y_**2) / 2), [(-3, 3), (-3, 3)]),
    # 06-hessian: four stationary points, and a saddle hiding behind positive diagonal entries
    "cubic landscape": ((x_, y_), x_**3 - 3 * x_ - y_**3 + 3 * y_, [(-2, 2), (-2, 2)]),
    "hidden saddle": ((x_, y_), x_**2 + 3 * x_ * y_ + y_**2, [(-2, 2), (-2, 2)]),
    # 07-reality-is-hard: the smooth function behind the noisy measurements
    "smooth field": ((x_, y_), sp.sin(x_) * sp.cos(2 * y_) + x_ * y_ / 4, [(-2, 2), (-2, 2)]),
}


@pytest.mark.parametrize("name", sorted(PAGE_EXAMPLES))
def test_page_examples_gradient_and_hessian(name):
    symbols, expr, box = PAGE_EXAMPLES[name]
    f = sp.lambdify([symbols], expr, "numpy")
    grad = sp.lambdify([symbols], [sp.diff(expr, s) for s in symbols], "numpy")
    hess = sp.lambdify([symbols], sp.hessian(expr, symbols).tolist(), "numpy")
    rng = np.random.default_rng(7)
    lo, hi = np.array(box, dtype=float).T
    for x in lo + (hi - lo) * rng.random((20, len(symbols))):
        assert rel_error(gradient(f, x), grad(x)) <= FIRST_RTOL
        assert rel_error(hessian(f, x), hess(x)) <= SECOND_RTOL


def test_polar_jacobian_matches_sympy_and_has_determinant_r():
    r, th = sp.symbols("r theta", real=True)
    exact = sp.lambdify([(r, th)], sp.Matrix([r * sp.cos(th), r * sp.sin(th)]).jacobian([r, th]).tolist())
    rng = np.random.default_rng(3)
    for q in np.column_stack([rng.uniform(0, 3, 20), rng.uniform(-np.pi, np.pi, 20)]):
        J = jacobian(lambda p: polar_to_cartesian(*p), q)
        assert rel_error(J, exact(q)) <= FIRST_RTOL
        assert abs(np.linalg.det(J) - q[0]) <= 10 * FIRST_RTOL * max(1.0, q[0])


def _page_cell(page: str, marker: str) -> dict:
    """The definitions (functions and UPPER_CASE constants) of the code cell of ``page`` that
    contains ``marker``, so that a test reads the page's own setup and cannot drift from it."""
    import ast
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / page).read_text(encoding="utf-8")
    for cell in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)\n```", text, flags=re.S):
        if marker in cell:
            cell = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.S)  # the cell's YAML options
            tree = ast.parse(cell)
            tree.body = [
                node for node in tree.body
                if isinstance(node, ast.FunctionDef)
                or (isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets))
            ]
            namespace = {"np": np}
            exec(compile(tree, page, "exec"), namespace)
            return namespace
    raise AssertionError(f"no code cell of {page} contains {marker!r}")


def test_gas_pump_total_derivative_matches_sympy():
    # 02-total-derivative: a leaking pump, n(t), T(t), V(t), read from the page's own cell
    page = _page_cell("book/part2-multivariate/02-total-derivative.md", "def state(")
    pressure, state = page["pressure"], page["state"]
    composite = sp.sympify(pressure(state(t_)))  # the page's functions, applied to a symbol
    dPdt = sp.lambdify(t_, sp.diff(composite, t_))
    assert sp.simplify(state(t_)[2] - (24 - 4 * t_)) == 0  # the volume the page states, V = 24 - 4t
    for t in np.linspace(0, 4, 11):
        exact = float(dPdt(t))
        assert abs(total_derivative(pressure, state, t) - exact) <= FIRST_RTOL * max(1.0, abs(exact), 100)


# --------------------------------------------------------------------------- polar_to_cartesian


def test_polar_to_cartesian_values_and_shapes():
    np.testing.assert_allclose(polar_to_cartesian(2.0, np.pi / 2), [0.0, 2.0], atol=1e-15)
    R, TH = np.meshgrid(np.linspace(0, 1, 4), np.linspace(0, 6, 5))
    xy = polar_to_cartesian(R, TH)
    assert xy.shape == (2, 5, 4)
    np.testing.assert_allclose(np.hypot(*xy), R, atol=1e-15)
    assert polar_to_cartesian([1.0, 2.0], 0.0).shape == (2, 2)


def test_polar_to_cartesian_bad_input():
    with pytest.raises(ValueError, match="theta"):
        polar_to_cartesian(1.0, np.inf)
    with pytest.raises(TypeError, match="r"):
        polar_to_cartesian("1", 0.0)
    with pytest.raises(ValueError, match="broadcast"):
        polar_to_cartesian([1.0, 2.0], [0.0, 1.0, 2.0])


# --------------------------------------------------------------------------- classify_stationary_point


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0.1, 10), min_size=1, max_size=4),
    st.lists(st.sampled_from([-1.0, 1.0]), min_size=4, max_size=4),
    st.integers(0, 2**32 - 1),
)
def test_classification_follows_the_eigenvalue_signs(sizes, signs, seed):
    eig = np.array(sizes) * np.array(signs[: len(sizes)])
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eig), len(eig))))
    H = Q @ np.diag(eig) @ Q.T
    want = "minimum" if np.all(eig > 0) else "maximum" if np.all(eig < 0) else "saddle"
    assert classify_stationary_point(H) == want


@settings(max_examples=50, deadline=None)
@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5))
def test_classification_in_2d_is_the_determinant_test(a, b, c):
    H = np.array([[a, b], [b, c]])
    det = a * c - b * b
    got = classify_stationary_point(H, atol=0)  # the exact test: no allowance for numerical error
    scale = max(abs(a), abs(b), abs(c), 1e-300)
    if abs(det) <= 1e-6 * scale**2:
        return  # too close to singular for the determinant test to be robust
    if det < 0:
        assert got == "saddle"
    else:
        assert got == ("minimum" if a > 0 else "maximum")


def test_classification_absolute_part_and_mixed_signs():
    # issue 11: the numerical Hessian of x^4 + y^4 at 0 is about 3e-8 I, and the maths says 'unknown'
    H = hessian(lambda v: v[0] ** 4 + v[1] ** 4, [0.0, 0.0])
    assert 0 < np.max(np.abs(H)) < 1e-6
    assert classify_stationary_point(H) == "unknown"
    assert classify_stationary_point(3e-8 * np.eye(2)) == "unknown"
    assert classify_stationary_point(3e-8 * np.eye(2), atol=0) == "minimum"
    # eigenvalues of both signs mean a saddle, even with a zero one
    assert classify_stationary_point(np.diag([1.0, -1.0, 0.0])) == "saddle"
    assert classify_stationary_point(np.diag([2.0, 0.0, 0.0])) == "unknown"
    # huge finite entries: scaled, not overflowed
    assert classify_stationary_point(np.diag([1e308, 1e308])) == "minimum"
    assert classify_stationary_point(np.diag([-1e308, -1e308])) == "maximum"
    assert classify_stationary_point(np.array([[1e308, 1e308], [1e308, -1e308]])) == "saddle"
    with pytest.raises(ValueError, match="atol"):
        classify_stationary_point(np.eye(2), atol=-1)


def test_classification_unknown_and_bad_input():
    assert classify_stationary_point([[1.0, 0.0], [0.0, 0.0]]) == "unknown"
    assert classify_stationary_point(np.zeros((2, 2))) == "unknown"
    with pytest.raises(ValueError, match="square"):
        classify_stationary_point(np.ones((2, 3)))
    with pytest.raises(ValueError, match="H"):
        classify_stationary_point([1.0, 2.0])
    with pytest.raises(ValueError, match="tol"):
        classify_stationary_point(np.eye(2), tol=-1)


# --------------------------------------------------------------------------- noise


def test_noise_optimal_step_minimises_the_model():
    hs = np.geomspace(1e-5, 1, 200001)
    for sigma, d in [(1e-6, 1.0), (1e-3, 5.0), (1e-10, 0.2)]:
        best = hs[np.argmin(noise_error_model(hs, sigma, d))]
        assert abs(best / noise_optimal_step(sigma, d) - 1) < 1e-3


def test_noise_error_model_matches_monte_carlo():
    # f = sin with added Gaussian noise; the spread of the central difference is sigma/(sqrt2 h)
    rng = np.random.default_rng(11)
    sigma, h, x0 = 1e-4, 1e-3, 0.4
    trials = 4000
    noisy = lambda x: np.sin(x) + sigma * rng.normal(size=trials)
    d = (noisy(x0 + h) - noisy(x0 - h)) / (2 * h)
    predicted = sigma / (np.sqrt(2) * h)
    assert abs(np.std(d) / predicted - 1) < 0.05
    # and the model's second term is the truncation error h^2/6 |f'''| (f''' = -cos)
    trunc = noise_error_model(h, 0.0, np.cos(x0))
    assert abs(abs(np.mean(d) - np.cos(x0)) - trunc) < 5 * predicted / np.sqrt(trials) + 1e-12


def test_noise_bad_input():
    with pytest.raises(ValueError, match="noise"):
        noise_optimal_step(0.0)
    with pytest.raises(ValueError, match="third_derivative"):
        noise_optimal_step(1e-6, 0.0)
    with pytest.raises(ValueError, match="h"):
        noise_error_model([0.1, -0.1], 1e-6)
    with pytest.raises(ValueError, match="noise"):
        noise_error_model(0.1, -1e-6)


# --------------------------------------------------------------------------- bad input to the derivatives

SMOOTH = lambda v: float(np.sum(v**2))


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
def test_non_callable_f(fn):
    with pytest.raises(TypeError, match="f must be a function"):
        fn(3.0, [1.0, 2.0])


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
@pytest.mark.parametrize(
    "x, err, pattern",
    [
        (1.0, ValueError, "x must have 1 dimension"),
        ([[1.0, 2.0]], ValueError, "x must have 1 dimension"),
        ([], ValueError, "x must not be empty"),
        ([1.0, np.nan], ValueError, "x must be finite"),
        ([1.0, np.inf], ValueError, "x must be finite"),
        (["a", "b"], TypeError, "x must"),
        ("12", TypeError, "x must"),
        (None, TypeError, "x must"),
        ([True, False], TypeError, "x must"),
        ([1.0, 1j], TypeError, "x must be real"),
    ],
)
def test_bad_x(fn, x, err, pattern):
    with pytest.raises(err, match=pattern):
        fn(SMOOTH, x)


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
def test_bad_h(fn):
    with pytest.raises(ValueError, match="h must be positive"):
        fn(SMOOTH, [1.0, 2.0], h=-0.1)
    with pytest.raises(ValueError, match="h must be one number or one step per coordinate"):
        fn(SMOOTH, [1.0, 2.0], h=[0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match="h is too small"):
        fn(SMOOTH, [1.0, 2.0], h=1e-30)
    with pytest.raises(ValueError, match="h must be finite"):
        fn(SMOOTH, [1.0, 2.0], h=np.nan)


@pytest.mark.parametrize("fn", [gradient, hessian])
def test_scalar_functions_reject_vector_output(fn):
    with pytest.raises(ValueError, match=r"single number \(a scalar\).*use jacobian"):
        fn(lambda v: v**2, [1.0, 2.0])


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
def test_f_returning_nan_names_f_and_the_point(fn):
    with pytest.raises(ValueError, match=r"f\(x\) at x = .*NaN or inf"):
        fn(lambda v: float(np.sum(np.log(v))), [1.0, -2.0])
    # NaN only at a shifted point: the message names that point
    with pytest.raises(ValueError, match=r"f\(x\) at x = .*NaN or inf"):
        fn(lambda v: float(np.sqrt(v[0]) + v[1]), [0.0, 1.0])


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
def test_f_wrong_arguments_or_types(fn):
    with pytest.raises(TypeError, match="f is called with one argument, x, a vector of length 2"):
        fn(lambda a, b: a * b, [1.0, 2.0])
    with pytest.raises(TypeError, match="f is called with one argument"):
        fn(lambda v: v[2], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"f\(x\) at x = .*"):
        fn(lambda v: "high", [1.0, 2.0])
    with pytest.raises(TypeError, match=r"f\(x\) at x = .* must be real"):
        fn(lambda v: complex(v[0], 1.0), [1.0, 2.0])
    with pytest.raises(ValueError, match=r"f\(x\) at x = .*must not be empty|single number"):
        fn(lambda v: np.array([]), [1.0, 2.0])


def test_jacobian_output_shape_errors():
    with pytest.raises(ValueError, match="1-D vector"):
        jacobian(lambda v: np.outer(v, v), [1.0, 2.0])
    flip = iter(range(100))
    with pytest.raises(ValueError, match=r"must have shape \(2\), got \(3,\)"):
        jacobian(lambda v: np.ones(2 if next(flip) == 0 else 3), [1.0, 2.0])


# --------------------------------------------------------------------------- the reader's checks


def f_demo(v):
    return np.array([v[0] ** 2 * v[1], np.sin(v[0]) + v[1] ** 3])


def J_right(v):
    return np.array([[2 * v[0] * v[1], v[0] ** 2], [np.cos(v[0]), 3 * v[1] ** 2]])


def J_slip(v):  # the reader forgot the factor 3
    return np.array([[2 * v[0] * v[1], v[0] ** 2], [np.cos(v[0]), v[1] ** 2]])


def test_check_jacobian_passes_and_reports_nothing_alarming(capsys):
    result = check_jacobian(f_demo, J_right, 2)
    assert isinstance(result, MatrixCheck) and result.passed
    assert result.points.shape == (10, 2) and result.yours.shape == (10, 2, 2)
    out = capsys.readouterr().out
    assert out.startswith("✓ J_right agrees with the numerical Jacobian at all 10 points")
    assert str(result) in out


def test_check_jacobian_finds_the_slip_and_says_where(capsys):
    result = check_jacobian(f_demo, J_slip, 2, points=8)
    assert not result.passed and result.failures.sum() == 8
    text = capsys.readouterr().out
    assert "✗ J_slip disagrees with the numerical Jacobian at 8 of 8 points" in text
    assert "entry [1, 1]" in text and "Entries that disagree somewhere: [1, 1]." in text
    assert "… and 3 more" in text
    # the message quotes the worst point first, and its numbers are the real ones
    k = int(np.argmax(result.errors / result.tolerance))
    x = result.points[k]
    first = text.splitlines()[1]
    assert f"{J_slip(x)[1, 1]:.6g} (yours)" in first and f"{3 * x[1] ** 2:.6g}" in first


def test_check_jacobian_spots_a_transpose():
    result = check_jacobian(f_demo, lambda v: J_right(v).T, 2, verbose=False)
    assert not result.passed and "transpose" in str(result)
    with pytest.raises(ValueError, match="Did you transpose it"):
        check_jacobian(lambda v: np.array([v[0], v[1], v[0] * v[1]]), lambda v: np.ones((2, 3)), 2)


def test_check_jacobian_scalar_f_accepts_a_gradient_vector():
    f = lambda v: float(v[0] * v[1] ** 2)
    assert check_jacobian(f, lambda v: np.array([v[1] ** 2, 2 * v[0] * v[1]]), 2, verbose=False).passed
    assert check_jacobian(f, lambda v: np.array([[v[1] ** 2, 2 * v[0] * v[1]]]), 2, verbose=False).passed


def test_check_jacobian_box_and_dim():
    g = lambda q: polar_to_cartesian(*q)
    Jp = lambda q: np.array([[np.cos(q[1]), -q[0] * np.sin(q[1])], [np.sin(q[1]), q[0] * np.cos(q[1])]])
    result = check_jacobian(g, Jp, low=[0.0, -np.pi], high=[2.0, np.pi], verbose=False)
    assert result.passed and np.all(result.points[:, 0] <= 2.0) and np.all(result.points[:, 0] >= 0.0)
    with pytest.raises(ValueError, match="dim is needed"):
        check_jacobian(g, Jp)
    with pytest.raises(ValueError, match="low has 3 entries but x has 2"):
        check_jacobian(g, Jp, 2, low=[0, 0, 0])
    with pytest.raises(ValueError, match="low must be less than high"):
        check_jacobian(g, Jp, 2, low=1.0, high=1.0)
    with pytest.raises(ValueError, match="points must be at least 1"):
        check_jacobian(g, Jp, 2, points=0)
    with pytest.raises(ValueError, match="rtol must be positive"):
        check_jacobian(g, Jp, 2, rtol=0.0)
    with pytest.raises(TypeError, match="J must be a function"):
        check_jacobian(g, "J", 2)


def test_check_jacobian_is_repeatable_and_seeded():
    a = check_jacobian(f_demo, J_slip, 2, verbose=False)
    b = check_jacobian(f_demo, J_slip, 2, verbose=False)
    c = check_jacobian(f_demo, J_slip, 2, seed=1, verbose=False)
    assert str(a) == str(b) and np.array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)


def test_check_jacobian_reader_function_returning_nan_is_named():
    with pytest.raises(ValueError, match=r"J\(x\) at x = .*NaN or inf"):
        check_jacobian(f_demo, lambda v: J_right(v) / 0.0, 2)


def test_check_hessian():
    f = lambda v: float(v[0] ** 3 * v[1] + np.exp(v[1]))
    H_right = lambda v: np.array([[6 * v[0] * v[1], 3 * v[0] ** 2], [3 * v[0] ** 2, np.exp(v[1])]])
    H_wrong = lambda v: np.array([[6 * v[0] * v[1], 3 * v[0]], [3 * v[0], np.exp(v[1])]])
    ok = check_hessian(f, H_right, 2, verbose=False)
    assert ok.passed and ok.kind == "Hessian" and ok.worst_error < 1e-5
    bad = check_hessian(f, H_wrong, 2, verbose=False)
    assert not bad.passed
    assert "numerical Hessian" in str(bad) and "[0, 1], [1, 0]" in str(bad)
    with pytest.raises(ValueError, match=r"H\(x\) returned shape \(2,\)"):
        check_hessian(f, lambda v: np.ones(2), 2)
