"""Every formula stated on the Part 2 pages (multivariate calculus), checked with sympy or, where
the page states a numerical claim, with numbers. Each test names the equation or exercise label."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from matplotlib.path import Path as PolygonPath

from mlcalc.multivariate import classify_stationary_point, first_step, hessian, jacobian

x, y, t, s, a, h, d = sp.symbols("x y t s a h d", real=True)
r, theta = sp.symbols("r theta", real=True)
n, T, V, R = sp.symbols("n T V R", positive=True)
sigma, M = sp.symbols("sigma M", positive=True)
R_GAS = sp.Rational(8314, 1000)


def grad(f, vars_):
    return sp.Matrix([[sp.diff(f, v) for v in vars_]])


def is_zero(expr):
    return sp.simplify(expr) == 0


# ---- 01-partial-derivatives ----------------------------------------------------------------------

P = R * n * T / V


def test_gas_partials():  # eq-p2-gas-partials
    assert is_zero(sp.diff(P, T) - R * n / V)
    assert is_zero(sp.diff(P, V) + R * n * T / V**2)
    assert is_zero(sp.diff(P, n) - R * T / V)


def test_partial_is_the_limit_of_the_difference_quotient():  # eq-p2-partial, on P and V
    q = (P.subs(V, V + h) - P) / h
    assert is_zero(sp.limit(q, h, 0) - sp.diff(P, V))


def test_gas_numbers_at_one_mole_293K_24L():  # worked example
    vals = {R: R_GAS, n: 1, T: 293, V: 24}
    assert abs(float(P.subs(vals)) - 101.5) < 0.01
    assert abs(float(sp.diff(P, T).subs(vals)) - 0.3464) < 1e-4
    assert abs(float(sp.diff(P, V).subs(vals)) + 4.229) < 1e-3


def test_slices_line_in_T_hyperbola_in_V():  # fig-p2-gas-slices prose
    assert sp.diff(P, T, 2) == 0
    assert is_zero(sp.diff(P, V, 2) - 2 * R * n * T / V**3)  # not constant: slope varies along the isotherm


def test_exercise_can_partials():  # ex-p2-pd-can
    vol = sp.pi * r**2 * h
    area = 2 * sp.pi * r**2 + 2 * sp.pi * r * h
    assert is_zero(sp.diff(vol, r) - 2 * sp.pi * r * h)
    assert is_zero(sp.diff(vol, h) - sp.pi * r**2)
    assert is_zero(sp.diff(area, r) - (4 * sp.pi * r + 2 * sp.pi * h))
    assert is_zero(sp.diff(area, h) - 2 * sp.pi * r)
    at = {r: 3, h: 12}
    assert sp.diff(vol, r).subs(at) == 72 * sp.pi and sp.diff(vol, h).subs(at) == 9 * sp.pi
    assert abs(float(sp.diff(vol, r).subs(at)) * 0.1 - 22.6) < 0.05
    assert abs(float(sp.diff(vol, h).subs(at)) * 0.1 - 2.8) < 0.05
    assert sp.diff(vol, r).subs(at) / sp.diff(vol, h).subs(at) == 8
    assert sp.diff(area, r).subs(at) == 36 * sp.pi and sp.diff(area, h).subs(at) == 6 * sp.pi
    per_metal_r = sp.diff(vol, r).subs(at) / sp.diff(area, r).subs(at)
    per_metal_h = sp.diff(vol, h).subs(at) / sp.diff(area, h).subs(at)
    assert per_metal_r == 2 and per_metal_h == sp.Rational(3, 2)


def test_exercise_context():  # ex-p2-pd-context
    f = x**2 * y + a * y**3
    assert is_zero(sp.diff(f, x) - 2 * x * y)
    assert is_zero(sp.diff(f, y) - (x**2 + 3 * a * y**2))
    assert is_zero(sp.diff(f, a) - y**3)


def test_exercise_isotherm_slope_minus_one():  # ex-p2-pd-isotherm
    sol = sp.solve(sp.Eq(sp.diff(P, V).subs({R: R_GAS, n: 1, T: 293}), -1), V)
    assert len(sol) == 1 and abs(float(sol[0]) - 49.4) < 0.05
    assert 12 < float(sol[0]) < 60  # inside the plotted isotherm, V from 12 to 60 L


# ---- 02-total-derivative -------------------------------------------------------------------------

PATH = {n: 1 - t / 50, T: 293 + 6 * t**2, V: 24 - 4 * t}  # eq-p2-pump-path


def test_total_derivative_is_sum_of_partials_times_rates():  # eq-p2-total-derivative
    f = sp.sin(x) * sp.exp(x * y) + y**3
    path = {x: sp.cos(t) + t, y: t**2 - 1}
    direct = sp.diff(f.subs(path), t)
    chain = sum(sp.diff(f, v).subs(path) * sp.diff(path[v], t) for v in (x, y))
    assert is_zero(direct - chain)


def test_pump_rate_terms():  # eq-p2-pump-rate
    leak = (R * T / V).subs(PATH) * sp.Rational(-1, 50)
    heat = (R * n / V).subs(PATH) * 12 * t
    squeeze = (-R * n * T / V**2).subs(PATH) * (-4)
    assert is_zero(sp.diff(P.subs(PATH), t) - (leak + heat + squeeze))
    assert [sp.diff(e, t) for e in PATH.values()] == [sp.Rational(-1, 50), 12 * t, -4]
    at2 = {v: e.subs(t, 2) for v, e in PATH.items()}
    assert at2 == {n: sp.Rational(24, 25), T: 317, V: 16}
    vals = {R: R_GAS, t: 2}
    assert float(leak.subs(vals)) < 0 < float(heat.subs(vals)) < float(squeeze.subs(vals))


def test_exercise_circle():  # ex-p2-td-circle
    f = x**2 * y
    path = {x: sp.cos(t), y: sp.sin(t)}
    chain = sum(sp.diff(f, v).subs(path) * sp.diff(path[v], t) for v in (x, y))
    claimed = sp.cos(t) ** 3 - 2 * sp.cos(t) * sp.sin(t) ** 2
    assert is_zero(chain - claimed) and is_zero(sp.diff(f.subs(path), t) - claimed)
    assert abs(float(claimed.subs(t, 1)) + 0.6074) < 5e-5


def test_exercise_hold_pressure_constant():  # ex-p2-td-hold
    vals = {R: R_GAS, **{v: e.subs(t, 2) for v, e in PATH.items()}}
    leak = float((R * T / V).subs(vals)) * (-1 / 50)
    heat = float((R * n / V).subs(vals)) * 24
    dPdV = float(sp.diff(P, V).subs(vals))
    assert abs(dPdV + 9.88) < 0.005 and abs(leak + 3.29) < 0.005 and abs(heat - 11.97) < 0.005
    rate = -(leak + heat) / dPdV
    assert abs(rate - 0.88) < 0.005


def test_exercise_explicit_t():  # ex-p2-td-partial-t
    g = x * sp.exp(-t)
    total = sp.diff(g, x).subs(x, t**2) * 2 * t + sp.diff(g, t).subs(x, t**2)
    assert is_zero(total - (2 * t - t**2) * sp.exp(-t))
    assert is_zero(sp.diff(g.subs(x, t**2), t) - total)


# ---- 03-jacobian-scalar --------------------------------------------------------------------------

HILL = x * sp.exp(-(x**2 + y**2) / 2)  # eq-p2-hill-hollow


def test_hill_hollow_jacobian():  # eq-p2-hill-hollow-jacobian
    claimed = sp.exp(-(x**2 + y**2) / 2) * sp.Matrix([[1 - x**2, -x * y]])
    assert (grad(HILL, (x, y)) - claimed).applyfunc(sp.simplify) == sp.zeros(1, 2)
    at = grad(HILL, (x, y)).subs({x: sp.Rational(1, 2), y: sp.Rational(1, 2)})
    assert (at - sp.exp(sp.Rational(-1, 4)) * sp.Matrix([[sp.Rational(3, 4), sp.Rational(-1, 4)]])).applyfunc(
        sp.simplify) == sp.zeros(1, 2)


def test_hill_and_hollow_locations():  # "a hill at (1, 0) and a hollow at (-1, 0)"
    sols = sp.solve(list(grad(HILL, (x, y))), [x, y], dict=True)
    assert {(s_[x], s_[y]) for s_ in sols} == {(1, 0), (-1, 0)}
    H = sp.hessian(HILL, (x, y))
    assert H.subs({x: 1, y: 0}).is_negative_definite and H.subs({x: -1, y: 0}).is_positive_definite


def test_directional_derivative_is_J_u():  # eq-p2-directional
    phi, x0, y0 = sp.symbols("phi x0 y0", real=True)
    u = (sp.cos(phi), sp.sin(phi))
    along = sp.diff(HILL.subs({x: x0 + s * u[0], y: y0 + s * u[1]}), s).subs(s, 0)
    J = grad(HILL, (x, y)).subs({x: x0, y: y0})
    assert is_zero(along - (J[0] * u[0] + J[1] * u[1]))
    # the maximum over directions is |J|, reached along J (numerically at p = (0.5, 0.5))
    Jp = np.array([float(v) for v in J.subs({x0: 0.5, y0: 0.5})])
    angles = np.linspace(-np.pi, np.pi, 200001)
    slopes = Jp[0] * np.cos(angles) + Jp[1] * np.sin(angles)
    assert abs(slopes.max() - np.linalg.norm(Jp)) < 1e-9
    assert abs(angles[np.argmax(slopes)] - np.arctan2(Jp[1], Jp[0])) < 1e-4
    # zero slope exactly at right angles to J (both sides), not anywhere else near them
    phi_J = np.arctan2(Jp[1], Jp[0])
    for side in (np.pi / 2, -np.pi / 2):
        u = np.array([np.cos(phi_J + side), np.sin(phi_J + side)])
        assert abs(Jp @ u) < 1e-12
    perpendicular = np.abs(np.cos(angles - phi_J)) < 1e-4
    assert perpendicular.sum() >= 2 and np.allclose(slopes[perpendicular], 0, atol=1e-4)


def test_exercise_bowl():  # ex-p2-js-bowl
    f = x**2 + 3 * y**2
    J = grad(f, (x, y)).subs({x: 1, y: 1})
    assert J == sp.Matrix([[2, 6]])
    assert sp.sqrt(J.dot(J)) == sp.sqrt(40) and abs(float(sp.sqrt(40)) - 6.32) < 0.005
    assert J.dot(sp.Matrix([1, 0])) == 2
    assert J.dot(sp.Matrix([3, -1])) == 0
    # (3, -1) is tangent to the ellipse f = 4 at (1, 1): the implicit slope dy/dx = -f_x / f_y,
    # derived from f itself, equals the slope -1/3 of the direction (3, -1)
    assert f.subs({x: 1, y: 1}) == 4
    yx = sp.Function("yx")
    implicit = sp.solve(sp.diff(f.subs(y, yx(x)), x), sp.Derivative(yx(x), x))[0].subs(yx(x), y)
    assert sp.simplify(implicit.subs({x: 1, y: 1}) - sp.Rational(-1, 3)) == 0


def test_exercise_check_g():  # ex-p2-js-check
    g = sp.sin(x * y) + y**2
    assert grad(g, (x, y)) == sp.Matrix([[y * sp.cos(x * y), x * sp.cos(x * y) + 2 * y]])


# ---- 04-jacobian-vector --------------------------------------------------------------------------

POLAR = sp.Matrix([r * sp.cos(theta), r * sp.sin(theta)])


def test_polar_jacobian_and_determinant():  # eq-p2-polar-jacobian
    J = POLAR.jacobian([r, theta])
    assert J == sp.Matrix([[sp.cos(theta), -r * sp.sin(theta)], [sp.sin(theta), r * sp.cos(theta)]])
    assert sp.simplify(J.det()) == r
    # the columns are perpendicular, of lengths 1 and r
    assert is_zero(J[:, 0].dot(J[:, 1]))
    assert sp.simplify(J[:, 0].norm()) == 1
    rp = sp.symbols("rp", positive=True)
    assert sp.simplify(J[:, 1].subs(r, rp).norm()) == rp


def test_local_linear_error_is_second_order():  # eq-p2-local-linear
    e = sp.symbols("e", real=True)
    dr, dth = 3 * e, -2 * e
    J = POLAR.jacobian([r, theta])
    remainder = POLAR.subs({r: r + dr, theta: theta + dth}) - POLAR - J * sp.Matrix([dr, dth])
    for comp in remainder:
        series = sp.series(comp, e, 0, 2).removeO()
        assert is_zero(series)  # no constant or linear term in e


def parallelogram_area_by_counting(J, cells=800):
    """Area of the image of the unit square under J, by counting the points of a fine grid that
    fall inside it: a measurement that knows nothing of determinants."""
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]]) @ J.T
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    xs = np.linspace(lo[0], hi[0], cells, endpoint=False) + (hi[0] - lo[0]) / (2 * cells)
    ys = np.linspace(lo[1], hi[1], cells, endpoint=False) + (hi[1] - lo[1]) / (2 * cells)
    X, Y = np.meshgrid(xs, ys)
    inside = PolygonPath(corners).contains_points(np.column_stack([X.ravel(), Y.ravel()]))
    return inside.mean() * (hi[0] - lo[0]) * (hi[1] - lo[1])


def test_differentiable_means_error_small_compared_with_step():  # eq-p2-differentiable
    """For a C^1 (here C^2) function the remainder r divided by |dx| tends to 0; partial
    derivatives that merely exist are not enough: xy/(x^2+y^2) has both partials 0 at the origin
    but is not differentiable there."""
    f = sp.sin(x) * sp.exp(y) + x * y**2
    J = grad(f, (x, y)).subs({x: 0.3, y: -0.4})
    rng = np.random.default_rng(2)
    for _ in range(5):
        u = rng.normal(size=2)
        u /= np.linalg.norm(u)
        ratios = []
        for e in (1e-1, 1e-2, 1e-3):
            step = {x: 0.3 + e * u[0], y: -0.4 + e * u[1]}
            r_ = float(f.subs(step) - f.subs({x: 0.3, y: -0.4}) - (J[0] * e * u[0] + J[1] * e * u[1]))
            ratios.append(abs(r_) / e)
        assert ratios[2] < ratios[1] < ratios[0] and ratios[2] < 1e-2
    g = x * y / (x**2 + y**2)
    assert sp.limit(g.subs(y, 0), x, 0) == 0 and sp.limit(g.subs(x, 0), y, 0) == 0  # both partials 0
    e = sp.symbols("e", positive=True)
    # with J = (0, 0) the remainder along the diagonal is g(e, e) itself: it stays 1/2, so it is not
    # even small, let alone small compared with the step
    assert sp.simplify(g.subs({x: e, y: e})) == sp.Rational(1, 2)


def test_local_linear_error_quarters_when_the_step_halves():  # C^2: error ~ |dx|^2 (04 prose)
    def square(v):
        return np.array([v[0] ** 2 - v[1] ** 2, 2 * v[0] * v[1]])

    def polar(v):
        return np.array([v[0] * np.cos(v[1]), v[0] * np.sin(v[1])])

    rng = np.random.default_rng(4)
    for f in (square, polar):
        p0 = np.array([1.5, 0.5])
        J = jacobian(f, p0)
        u = rng.normal(size=2)
        errs = [np.linalg.norm(f(p0 + e * u) - f(p0) - J @ (e * u)) for e in (1e-2, 5e-3)]
        assert errs[0] / errs[1] == pytest.approx(4, rel=0.02)


def test_parallelogram_area_is_abs_det():  # the determinant as an area scale: |J11 J22 - J12 J21|
    rng = np.random.default_rng(11)
    for _ in range(20):
        J = rng.normal(size=(2, 2))
        claimed = abs(J[0, 0] * J[1, 1] - J[0, 1] * J[1, 0])
        assert parallelogram_area_by_counting(J) == pytest.approx(claimed, rel=0.02, abs=0.01)


def test_polar_patch_area_ratio():  # table on 04: exact image area ((r+d)^2 - r^2) d / 2
    rho, th0 = sp.symbols("rho th0", positive=True)
    area = sp.integrate(sp.integrate(rho, (rho, r, r + d)), (theta, th0, th0 + d))
    assert is_zero(area - ((r + d) ** 2 - r**2) * d / 2)
    assert is_zero(area / d**2 - (r + d / 2))


def test_highlighted_squares_area_ratio_is_of_middle_radii():  # 04 prose, fig-p2-polar-grid
    ratio_of = lambda r0: (r0 + d / 2)                                     # noqa: E731 (area / d^2)
    quarter = sp.Rational(1, 4)
    ratio = ratio_of(sp.Rational(7, 4)) / ratio_of(sp.Rational(1, 2))
    assert ratio.subs(d, quarter) == 3
    assert sp.Rational(7, 4) / sp.Rational(1, 2) == sp.Rational(7, 2)            # the corners' ratio, not it


def test_square_map_is_complex_squaring():  # ex-p2-jv-square: "this map squares complex numbers"
    z = x + sp.I * y
    assert sp.expand(z**2) == sp.expand((x**2 - y**2) + sp.I * 2 * x * y)


def test_exercise_complex_square():  # ex-p2-jv-square
    f = sp.Matrix([x**2 - y**2, 2 * x * y])
    J = f.jacobian([x, y])
    assert J == sp.Matrix([[2 * x, -2 * y], [2 * y, 2 * x]])
    assert is_zero(J.det() - 4 * (x**2 + y**2))
    assert J.subs({x: 1, y: 1}).det() == 8


def test_exercise_affine_map():  # ex-p2-jv-linear
    A = sp.Matrix(2, 2, sp.symbols("a11 a12 a21 a22", real=True))
    b = sp.Matrix(sp.symbols("b1 b2", real=True))
    assert (A * sp.Matrix([x, y]) + b).jacobian([x, y]) == A


def test_exercise_inverse_polar():  # ex-p2-jv-inverse
    X, Y = sp.symbols("X Y", real=True)
    inv = sp.Matrix([sp.sqrt(X**2 + Y**2), sp.atan2(Y, X)])
    Jinv = inv.jacobian([X, Y]).subs({X: r * sp.cos(theta), Y: r * sp.sin(theta)})
    rp = sp.symbols("rp", positive=True)
    Jinv = sp.simplify(Jinv.subs(r, rp))
    claimed = sp.Matrix([[sp.cos(theta), sp.sin(theta)], [-sp.sin(theta) / rp, sp.cos(theta) / rp]])
    assert (Jinv - claimed).applyfunc(sp.simplify) == sp.zeros(2, 2)
    assert (claimed * POLAR.jacobian([r, theta]).subs(r, rp)).applyfunc(sp.simplify) == sp.eye(2)
    assert sp.simplify(claimed.det() - 1 / rp) == 0


# ---- 06-hessian ----------------------------------------------------------------------------------

CUBIC = x**3 - 3 * x - y**3 + 3 * y  # eq-p2-cubic


def test_mixed_partials_commute():  # H is symmetric (eq-p2-hessian)
    for f in (CUBIC, HILL, sp.exp(x * y) * sp.sin(x + y**2), x**3 * y**2 + sp.cos(x * y)):
        assert is_zero(sp.diff(f, x, y) - sp.diff(f, y, x))


def test_hessian_is_jacobian_of_gradient():  # "the Hessian is the Jacobian of the gradient"
    f = sp.exp(x * y) * sp.sin(x + y**2)
    assert (grad(f, (x, y)).T.jacobian([x, y]) - sp.hessian(f, (x, y))).applyfunc(sp.simplify) == sp.zeros(2, 2)


def test_hessian_rows_are_jacobians_of_the_partials():  # eq-p2-hessian: H_ij = d/dx_j (df/dx_i)
    f = sp.exp(x * y) * sp.sin(x + y**2) + x**3 * y
    H = sp.Matrix(2, 2, lambda i, j: sp.diff(sp.diff(f, (x, y)[i]), (x, y)[j]))
    for i, v in enumerate((x, y)):
        assert (H[i, :] - grad(sp.diff(f, v), (x, y))).applyfunc(sp.simplify) == sp.zeros(1, 2)
    assert (H - grad(f, (x, y)).T.jacobian([x, y])).applyfunc(sp.simplify) == sp.zeros(2, 2)


def test_second_derivative_along_a_line_is_the_quadratic_form():  # g''(0) = dx^T H dx (06)
    dx1, dx2, s_ = sp.symbols("dx1 dx2 s_", real=True)
    f = sp.exp(x * y) * sp.sin(x + y**2) + x**3 * y
    g = f.subs({x: x + s_ * dx1, y: y + s_ * dx2}, simultaneous=True)
    dxv = sp.Matrix([dx1, dx2])
    first = sp.diff(g, s_).subs(s_, 0)
    second = sp.diff(g, s_, 2).subs(s_, 0)
    assert is_zero(first - (grad(f, (x, y)) * dxv)[0])
    assert is_zero(second - (dxv.T * sp.hessian(f, (x, y)) * dxv)[0])


def signs_of(f, pts):
    vals = [float(f(*p)) for p in pts]
    return (min(vals) < 0, max(vals) > 0)


def test_eigenvalue_sign_table_as_mathematics():  # the table on 06
    """Checked on the functions themselves near a stationary point at the origin, not on the code."""
    rng = np.random.default_rng(8)
    ring = [tuple(1e-2 * v / np.linalg.norm(v)) for v in rng.normal(size=(400, 3))]
    X, Y, Z = sp.symbols("X Y Z", real=True)
    cases = {
        # all positive: up in every direction (f > 0 on a small sphere)
        "minimum": X**2 + 2 * Y**2 + 3 * Z**2 + X**3,
        "maximum": -(X**2) - Y**2 - Z**2 + Y**3,
        "saddle": X**2 - Y**2 + Z**2,
        # both signs and a zero eigenvalue, H = diag(2, -2, 0): still a saddle, whatever the z terms
        "saddle with a zero": X**2 - Y**2 + Z**4,
    }
    expect = {"minimum": (False, True), "maximum": (True, False), "saddle": (True, True),
              "saddle with a zero": (True, True)}
    for name, f in cases.items():
        H = sp.hessian(f, (X, Y, Z)).subs({X: 0, Y: 0, Z: 0})
        eig = [float(e) for e in H.eigenvals(multiple=True)]
        if name == "minimum":
            assert min(eig) > 0
        if name == "maximum":
            assert max(eig) < 0
        if name.startswith("saddle"):
            assert min(eig) < 0 < max(eig)
        assert signs_of(sp.lambdify((X, Y, Z), f), ring) == expect[name], name
    # some zero, the rest one sign: H = diag(2, 0) for both, yet one is a minimum and one is not
    undecided_min, undecided_not = X**2 + Y**4, X**2 + Y**3
    for f in (undecided_min, undecided_not):
        assert sp.hessian(f, (X, Y)).subs({X: 0, Y: 0}) == sp.diag(2, 0)
    ring2 = [(1e-2 * np.cos(a), 1e-2 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 721)]
    assert signs_of(sp.lambdify((X, Y), undecided_min), ring2) == (False, True)
    assert signs_of(sp.lambdify((X, Y), undecided_not), ring2) == (True, True)


def test_central_second_difference_is_exact_on_a_cubic():  # 06 prose
    c0, c1, c2, c3 = sp.symbols("c0:4", real=True)
    f = c0 + c1 * x + c2 * x**2 + c3 * x**3
    second = (f.subs(x, x + h) - 2 * f + f.subs(x, x - h)) / h**2
    assert is_zero(second - sp.diff(f, x, 2))


def test_second_difference_rounding_is_sqrt_eps_times_f():  # 06: eps|f|/h^2 with h ~ eps^(1/4)
    e = sp.symbols("e", positive=True)
    assert is_zero(e / (e ** sp.Rational(1, 4)) ** 2 - sp.sqrt(e))
    # and the package's Hessian of the cubic at random points errs by about sqrt(eps) |f|, not more
    rng = np.random.default_rng(6)
    f_num = sp.lambdify((x, y), CUBIC)
    for p in rng.uniform(-3, 3, size=(10, 2)):
        H = hessian(lambda v: f_num(v[0], v[1]), p)
        exact = np.diag([6 * p[0], -6 * p[1]])
        scale = np.sqrt(np.finfo(float).eps) * max(1.0, abs(f_num(*p)))
        assert np.max(np.abs(H - exact)) < 30 * scale


def test_quadratic_model_at_stationary_points():  # eq-p2-quadratic-model
    e1, e2 = sp.symbols("e1 e2", real=True)
    for px, py in [(1, -1), (-1, 1), (1, 1), (-1, -1)]:
        H = sp.hessian(CUBIC, (x, y)).subs({x: px, y: py})
        delta = sp.Matrix([e1, e2])
        diff = sp.expand(CUBIC.subs({x: px + e1, y: py + e2}) - CUBIC.subs({x: px, y: py})
                         - (delta.T * H * delta)[0] / 2)
        poly = sp.Poly(diff, e1, e2)
        assert all(sum(m) >= 3 for m in poly.monoms())  # only cubic terms remain


def test_eigen_step_changes_f_by_half_lambda_s2():  # "stepping along v_k changes f by 1/2 lambda s^2"
    H = sp.Matrix([[2, 3], [3, 2]])
    for lam, vecs in ((5, [sp.Matrix([1, 1]) / sp.sqrt(2)]), (-1, [sp.Matrix([1, -1]) / sp.sqrt(2)])):
        v = vecs[0]
        assert H * v == lam * v
        assert sp.simplify((s * v).T * H * (s * v))[0] / 2 == lam * s**2 / 2


def test_second_derivative_test_from_eigenvalues():  # eq-p2-second-derivative-test
    p, q, w = sp.symbols("p q w", real=True)
    H = sp.Matrix([[p, q], [q, w]])
    l1, l2 = list(H.eigenvals().keys())
    assert is_zero(l1 * l2 - H.det()) and is_zero(l1 + l2 - H.trace())
    assert is_zero(H.det() - (p * w - q**2))
    # det > 0 forces p and w to share a sign, so the sign of H11 is the sign of the trace
    rng = np.random.default_rng(5)
    for _ in range(200):
        pp, qq, ww = rng.normal(size=3)
        if pp * ww - qq**2 > 0:
            assert np.sign(pp) == np.sign(pp + ww)


def test_cubic_jacobian_hessian_and_stationary_points():  # eq-p2-cubic and the table
    assert grad(CUBIC, (x, y)) == sp.Matrix([[3 * x**2 - 3, 3 - 3 * y**2]])
    assert sp.hessian(CUBIC, (x, y)) == sp.Matrix([[6 * x, 0], [0, -6 * y]])
    sols = sp.solve(list(grad(CUBIC, (x, y))), [x, y], dict=True)
    assert {(s_[x], s_[y]) for s_ in sols} == {(1, -1), (-1, 1), (1, 1), (-1, -1)}
    table = {(1, -1): (-4, 36), (-1, 1): (4, 36), (1, 1): (0, -36), (-1, -1): (0, -36)}
    for (px, py), (fval, det) in table.items():
        at = {x: px, y: py}
        assert CUBIC.subs(at) == fval and sp.hessian(CUBIC, (x, y)).subs(at).det() == det


def test_disguised_saddle():  # eq-p2-hidden-saddle
    g = x**2 + 3 * x * y + y**2
    H = sp.hessian(g, (x, y))
    assert H == sp.Matrix([[2, 3], [3, 2]]) and H.det() == -5
    assert H.eigenvals() == {5: 1, -1: 1}
    assert H * sp.Matrix([1, 1]) == 5 * sp.Matrix([1, 1])
    assert H * sp.Matrix([1, -1]) == -1 * sp.Matrix([1, -1])
    assert sp.expand(g.subs(y, -x)) == -(x**2)
    assert g.subs(y, 0) == x**2 and g.subs(x, 0) == y**2


def test_exercise_classify():  # ex-p2-h-classify
    f = x**2 + x * y + y**2 - 3 * x
    sols = sp.solve(list(grad(f, (x, y))), [x, y], dict=True)
    assert sols == [{x: 2, y: -1}]
    H = sp.hessian(f, (x, y))
    assert H == sp.Matrix([[2, 1], [1, 2]]) and H.det() == 3
    assert f.subs({x: 2, y: -1}) == -3
    f_num = sp.lambdify((x, y), f)
    assert classify_stationary_point(hessian(lambda v: f_num(v[0], v[1]), [2.0, -1.0])) == "minimum"


def test_exercise_flat_hessians():  # ex-p2-h-flat
    p_, q = x**4 + y**4, x**4 - y**4
    assert sp.hessian(p_, (x, y)) == sp.diag(12 * x**2, 12 * y**2)
    assert sp.hessian(q, (x, y)) == sp.diag(12 * x**2, -12 * y**2)
    for f in (p_, q):
        assert sp.hessian(f, (x, y)).subs({x: 0, y: 0}) == sp.zeros(2, 2)
    assert q.subs(y, 0).subs(x, 1) > 0 > q.subs(x, 0).subs(y, 1)
    rng = np.random.default_rng(9)
    assert all(float(p_.subs({x: a_, y: b_})) > 0 for a_, b_ in rng.normal(size=(50, 2)))


def test_exercise_flat_numerical_hessian_is_truncation_error_2h2():
    """ex-p2-h-flat: the numerical Hessians' entries are +-2h^2 with h = eps^(1/4), the truncation
    error h^2 f/12 of the central second difference (f = 24 for x^4), not rounding."""
    f4 = x**4
    second_difference = (f4.subs(x, h) - 2 * f4.subs(x, 0) + f4.subs(x, -h)) / h**2
    exact = sp.diff(f4, x, 2).subs(x, 0)
    assert sp.expand(second_difference - exact) == 2 * h**2
    assert sp.expand(second_difference - exact) == h**2 * sp.diff(f4, x, 4) / 12
    step = np.finfo(float).eps ** 0.25            # the step hessian takes at the origin
    np.testing.assert_array_equal(hessian(lambda v: v[0] ** 4 + v[1] ** 4, [0.0, 0.0]),
                                  np.diag([2 * step**2, 2 * step**2]))
    np.testing.assert_array_equal(hessian(lambda v: v[0] ** 4 - v[1] ** 4, [0.0, 0.0]),
                                  np.diag([2 * step**2, -2 * step**2]))
    # with a step chosen by the caller the residue follows 2h^2 too: truncation, not rounding
    for step in (1e-2, 1e-3):
        H = hessian(lambda v: v[0] ** 4 + v[1] ** 4, [0.0, 0.0], h=step)
        np.testing.assert_allclose(np.diag(H), 2 * step**2, rtol=1e-9)


def test_exercise_flat_numerical_hessians_are_unknown():  # ex-p2-h-flat: "answers 'unknown' for both"
    for f in (lambda v: v[0] ** 4 + v[1] ** 4, lambda v: v[0] ** 4 - v[1] ** 4):
        assert classify_stationary_point(hessian(f, [0.0, 0.0])) == "unknown"
    assert classify_stationary_point(np.diag([1.0, -1.0, 0.0])) == 'saddle'


def test_exercise_exp_xy_hessian():  # ex-p2-h-exp
    g = sp.exp(x * y)
    claimed = sp.exp(x * y) * sp.Matrix([[y**2, 1 + x * y], [1 + x * y, x**2]])
    assert (sp.hessian(g, (x, y)) - claimed).applyfunc(sp.simplify) == sp.zeros(2, 2)


# ---- 07-reality-is-hard --------------------------------------------------------------------------


def test_range_without_drag():  # "without air it lands at v^2 sin(2 theta)/g, farthest at 45 degrees"
    v, g, th = sp.symbols("v g th", positive=True)
    t_land = 2 * v * sp.sin(th) / g  # y(t) = v sin(th) t - g t^2 / 2 = 0
    assert is_zero((v * sp.sin(th) * t_land - g * t_land**2 / 2))
    rng_ = v * sp.cos(th) * t_land
    assert is_zero(rng_ - v**2 * sp.sin(2 * th) / g)
    assert sp.solve(sp.diff(sp.sin(2 * th), th), th)[0] == sp.pi / 4


def test_noise_spread_of_central_difference():  # sigma / (sqrt2 h)
    # Var((xi1 - xi2) / (2h)) for independent xi with variance sigma^2
    hp = sp.symbols("hp", positive=True)
    weights = [1, -1]  # xi1 - xi2, divided by 2h
    var = sum(w**2 for w in weights) * sigma**2 / (2 * hp) ** 2
    assert is_zero(sp.sqrt(var) - sigma / (sp.sqrt(2) * hp))


def test_noise_optimal_step_and_error():  # eq-p2-noise-error, eq-p2-noise-step
    hp = sp.symbols("hp", positive=True)
    E = sigma / (sp.sqrt(2) * hp) + hp**2 / 6 * M
    sol = sp.solve(sp.diff(E, hp), hp)
    h_star = (3 * sigma / (sp.sqrt(2) * M)) ** sp.Rational(1, 3)
    assert len(sol) == 1 and is_zero(sol[0] - h_star)
    assert is_zero(E.subs(hp, h_star) - M * h_star**2 / 2)
    # the best error grows like sigma^(2/3): a million times the noise costs 10^4
    ratio = (M * h_star**2 / 2).subs(sigma, 10**6 * sigma) / (M * h_star**2 / 2)
    assert sp.simplify(ratio) == 10**4
    # a guess of sigma/M wrong by 8 changes the step by 2
    assert sp.simplify(h_star.subs(sigma, 8 * sigma) / h_star) == 2


def test_central_difference_rounding_floor_is_about_eps_two_thirds():  # 07-reality-is-hard, intuition
    """The Part 1 error model h^2/6 |f3| + eps |f|/h, with |f| = |f3| = 1 (f3 the third derivative),
    bottoms out at (3^(2/3)/2) eps^(2/3), about eps^(2/3): a few times 1e-11 in float64."""
    hp, e = sp.symbols("hp e", positive=True)
    E = hp**2 / 6 + e / hp
    (best,) = sp.solve(sp.diff(E, hp), hp)
    floor = sp.simplify(E.subs(hp, best))
    assert is_zero(floor / e ** sp.Rational(2, 3) - 3 ** sp.Rational(2, 3) / 2)
    value = float(floor.subs(e, 2.0**-52))
    assert 1e-11 < value < 1e-10 and 1 < value / 2.0 ** (-52 * 2 / 3) < 1.1


def test_exercise_noisy_step_numbers():  # ex-p2-rh-step
    hs = (3e-2 / np.sqrt(2)) ** (1 / 3)
    assert abs(hs - 0.277) < 0.0005
    assert 0.01 < 0.5 * hs**2 < 0.05  # "good to a few hundredths"
    # the noise term at the page's real default step (first_step at p = (0.5, 0.3)), far above 1
    h_default = first_step(np.array([0.5, 0.3]))[0]
    assert 1e-2 / (np.sqrt(2) * h_default) > 100


def test_exercise_second_difference_noise():  # ex-p2-rh-hessian
    # truncation of the second difference: h^2/12 f''''
    g = sp.exp(3 * x) + x**6  # a smooth function
    second = (g.subs(x, x + h) - 2 * g + g.subs(x, x - h)) / h**2
    lead = sp.series(second - sp.diff(g, x, 2), h, 0, 3).removeO()
    assert is_zero(lead - h**2 / 12 * sp.diff(g, x, 4))
    hp = sp.symbols("hp", positive=True)
    weights = [1, -2, 1]  # xi1 - 2 xi0 + xi2, divided by h^2
    assert is_zero(sp.sqrt(sum(w**2 for w in weights) * sigma**2) / hp**2 - sp.sqrt(6) * sigma / hp**2)
    E = sp.sqrt(6) * sigma / hp**2 + hp**2 * M / 12
    sol = sp.solve(sp.diff(E, hp), hp)
    h_star = (12 * sp.sqrt(6) * sigma / M) ** sp.Rational(1, 4)
    assert len(sol) == 1 and is_zero(sol[0] - h_star)
    assert is_zero(E.subs(hp, h_star) - 2 * sp.sqrt(6) * sigma / h_star**2)
    num = {sigma: sp.Rational(1, 10**4), M: 1}
    assert abs(float(h_star.subs(num)) - 0.23) < 0.005
    assert abs(float(E.subs(hp, h_star).subs(num)) - 0.009) < 0.0005


def test_mean_of_k_readings_has_noise_sigma_over_sqrt_k():  # 07 prose
    k = 9
    rng = np.random.default_rng(12)
    means = rng.normal(0.0, 0.3, size=(200_000, k)).mean(axis=1)
    assert np.std(means) == pytest.approx(0.3 / np.sqrt(k), rel=0.01)
    kk = sp.symbols("kk", positive=True, integer=True)
    assert is_zero(sp.sqrt(kk * sigma**2 / kk**2) - sigma / sp.sqrt(kk))


def test_jacobian_costs_two_evaluations_per_input_plus_one():  # 07 prose and p2rh-calls
    for n_in in (1, 2, 5):
        calls = []

        def f(v):
            calls.append(1)
            return np.array([np.sum(v**2), np.prod(v)])

        jacobian(f, np.linspace(0.5, 1.5, n_in))
        assert len(calls) == 2 * n_in + 1


def test_exercise_averaging():  # ex-p2-rh-average
    k = sp.symbols("k", positive=True)
    best = M / 2 * (3 * sigma / (sp.sqrt(2) * M)) ** sp.Rational(2, 3)
    ratio = sp.simplify(best.subs(sigma, sigma / sp.sqrt(k)) / best)
    assert is_zero(ratio - k ** sp.Rational(-1, 3))
    assert ratio.subs(k, 8) == sp.Rational(1, 2)


# ---- solutions that say "the check agrees", run through the checks ---------------------------------


def test_solutions_pass_their_self_checks():  # ex-p2-js-check, ex-p2-h-exp: "agrees at all ten points"
    from mlcalc.multivariate import check_hessian, check_jacobian

    def g(v):
        return np.sin(v[0] * v[1]) + v[1] ** 2

    def J_g(v):
        x_, y_ = v
        return np.array([y_ * np.cos(x_ * y_), x_ * np.cos(x_ * y_) + 2 * y_])

    def J_g_dropped(v):  # "dropping the factor y in the first entry": disagreement in entry [0, 0]
        x_, y_ = v
        return np.array([np.cos(x_ * y_), x_ * np.cos(x_ * y_) + 2 * y_])

    assert check_jacobian(g, J_g, 2, verbose=False).passed
    dropped = check_jacobian(g, J_g_dropped, 2, verbose=False)
    assert not dropped.passed and "[0, 0]" in str(dropped)

    def e(v):
        return np.exp(v[0] * v[1])

    def H_e(v):
        x_, y_ = v
        return np.exp(x_ * y_) * np.array([[y_**2, 1 + x_ * y_], [1 + x_ * y_, x_**2]])

    assert check_hessian(e, H_e, 2, low=-1.5, high=1.5, verbose=False).passed
