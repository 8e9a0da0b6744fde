"""Every formula stated on the Part 1 pages on the sum and power rules and on the special cases.

Pages: book/part1-derivatives/03-sum-and-power-rules.md (p1sum) and
book/part1-derivatives/04-special-cases.md (p1spec). Each formula is checked symbolically with
sympy and, where a numerical check adds something, with mlcalc's numerical derivative at random
points from a seeded generator.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mlcalc.derivatives import check_derivative, derivative, difference_quotient

x, h = sp.symbols("x h", real=True)
xp = sp.symbols("x_p", positive=True)
a_sym = sp.symbols("a", positive=True)


def _random_points(seed: int, low: float, high: float, n: int = 25) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, n)


def _assert_numerically(expr: sp.Expr, claimed: sp.Expr, var: sp.Symbol, low: float, high: float, seed: int) -> None:
    """Compare the claimed derivative with mlcalc's central difference of ``expr`` at random points."""
    f = sp.lambdify(var, expr, "numpy")
    df = sp.lambdify(var, claimed, "numpy")
    pts = _random_points(seed, low, high)
    numerical = derivative(f, pts)
    np.testing.assert_allclose(df(pts) + 0 * pts, numerical, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- 03: sum and power rules


@pytest.mark.parametrize(
    ("f", "g"),
    [(x**3, sp.sin(x)), (sp.exp(x), 5 * x**2 - 1), (sp.cos(x), -(x**4))],
)
def test_p1sum_sum_rule(f: sp.Expr, g: sp.Expr) -> None:
    """(f + g)' = f' + g' (eq-p1sum-sum-rule), symbolically and numerically."""
    assert sp.simplify(sp.diff(f + g, x) - (sp.diff(f, x) + sp.diff(g, x))) == 0
    _assert_numerically(f + g, sp.diff(f, x) + sp.diff(g, x), x, -2.0, 2.0, seed=1)


@pytest.mark.parametrize(("a", "b"), [(2, 3), (-1, 4), (sp.Rational(1, 2), -7), (1, -1)])
def test_p1sum_linearity(a: sp.Expr, b: sp.Expr) -> None:
    """(a f + b g)' = a f' + b g' (eq-p1sum-linearity), including the difference rule b = -1."""
    f, g = x**5 - x, sp.sin(x)
    assert sp.simplify(sp.diff(a * f + b * g, x) - (a * sp.diff(f, x) + b * sp.diff(g, x))) == 0
    fn = sp.lambdify(x, a * f + b * g, "numpy")
    pts = _random_points(2, -2.0, 2.0)
    claimed = float(a) * (5 * pts**4 - 1) + float(b) * np.cos(pts)
    np.testing.assert_allclose(derivative(fn, pts), claimed, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("n", range(0, 9))
def test_p1sum_power_rule_whole_numbers(n: int) -> None:
    """d/dx x^n = n x^(n-1) for whole n (eq-p1sum-power-rule)."""
    assert sp.simplify(sp.diff(x**n, x) - n * x ** (n - 1)) == 0
    pts = _random_points(n, -2.0, 2.0)
    np.testing.assert_allclose(
        derivative(lambda t: t**n, pts), n * pts ** max(n - 1, 0) * (n > 0), rtol=1e-6, atol=1e-8
    )


@pytest.mark.parametrize("n", range(1, 9))
def test_p1sum_binomial_quotient(n: int) -> None:
    """((x+h)^n - x^n)/h = n x^(n-1) + h * (a polynomial) and tends to n x^(n-1)
    (eq-p1sum-binomial, eq-p1sum-power-quotient)."""
    quotient = sp.expand(sp.cancel(((x + h) ** n - x**n) / h))
    remainder = sp.expand(quotient - n * x ** (n - 1))
    assert sp.expand(remainder.subs(h, 0)) == 0  # every other term carries a factor of h
    assert remainder.is_polynomial(x, h)
    assert sp.limit(quotient, h, 0) == n * x ** (n - 1)
    # the second coefficient is binomial(n, 2) x^(n-2)
    assert sp.expand(quotient.coeff(h, 1) - sp.binomial(n, 2) * x ** (n - 2)) == 0


@pytest.mark.parametrize("n", [-2, -1, sp.Rational(1, 2), sp.Rational(-1, 2), sp.Rational(5, 2), sp.Rational(2, 3)])
def test_p1sum_power_rule_real_powers(n: sp.Expr) -> None:
    """d/dx x^n = n x^(n-1) for real n and x > 0 (stated on the page, checked with check_derivative)."""
    assert sp.simplify(sp.diff(xp**n, xp) - n * xp ** (n - 1)) == 0
    nf = float(n)
    result = check_derivative(lambda t: t**nf, lambda t: nf * t ** (nf - 1), low=0.1, high=3.0, verbose=False)
    assert result.passed


def test_p1sum_square_root() -> None:
    """d/dx sqrt(x) = 1/(2 sqrt(x))."""
    assert sp.simplify(sp.diff(sp.sqrt(xp), xp) - 1 / (2 * sp.sqrt(xp))) == 0
    _assert_numerically(sp.sqrt(xp), 1 / (2 * sp.sqrt(xp)), xp, 0.2, 4.0, seed=3)


def test_p1sum_worked_cubic() -> None:
    """f = x^3/3 - x^2 - 3x + 2 has f' = x^2 - 2x - 3 = (x+1)(x-3), zero at -1 and 3
    (eq-p1sum-cubic, eq-p1sum-cubic-derivative)."""
    f = x**3 / 3 - x**2 - 3 * x + 2
    df = x**2 - 2 * x - 3
    assert sp.expand(sp.diff(f, x) - df) == 0
    assert sp.expand((x + 1) * (x - 3) - df) == 0
    assert set(sp.solve(df, x)) == {-1, 3}
    # between the zeros f falls, outside it climbs
    assert df.subs(x, 0) < 0 and df.subs(x, -2) > 0 and df.subs(x, 4) > 0
    _assert_numerically(f, df, x, -3.0, 5.0, seed=4)


def test_p1sum_check_catches_the_slip() -> None:
    """The page's slip x^2 - x - 3 fails check_derivative: yours - numerical = x at every point."""
    result = check_derivative(lambda t: t**3 / 3 - t**2 - 3 * t + 2, lambda t: t**2 - t - 3, verbose=False)
    assert not result.passed
    np.testing.assert_allclose(result.yours - result.numerical, result.points, atol=1e-6)


MATCHING = {  # exercise ex-p1sum-match: function -> the derivative it is paired with
    "A": (x**3 / 3 - x, x**2 - 1),
    "B": (x - x**3 / 3, 1 - x**2),
    "C": (x**2 / 2, x),
    "D": (x**4 / 4 - x**2, x**3 - 2 * x),
}


@pytest.mark.parametrize("name", sorted(MATCHING))
def test_p1sum_matching_exercise(name: str) -> None:
    """The four function/derivative pairs of the matching exercise."""
    f, df = MATCHING[name]
    assert sp.expand(sp.diff(f, x) - df) == 0
    _assert_numerically(f, df, x, -2.0, 2.0, seed=5)


def test_p1sum_matching_d_zeros() -> None:
    """D' = x^3 - 2x is zero at 0 and ±sqrt(2)."""
    assert set(sp.solve(x**3 - 2 * x, x)) == {0, sp.sqrt(2), -sp.sqrt(2)}


PRACTICE = [  # exercise ex-p1sum-list: (function, answer, domain for the numerical check)
    (4 * x**5 - 2 * x**3 + x - 9, 20 * x**4 - 6 * x**2 + 1, (-2.0, 2.0)),
    (sp.sqrt(x), 1 / (2 * sp.sqrt(x)), (0.2, 4.0)),
    (3 / x**2, -6 / x**3, (0.5, 3.0)),
    ((2 * x + 1) ** 2, 8 * x + 4, (-2.0, 2.0)),
    ((x**3 + x) / x, 2 * x, (0.5, 3.0)),
    (x ** sp.Rational(2, 3) + 7, sp.Rational(2, 3) * x ** sp.Rational(-1, 3), (0.2, 4.0)),
]


@pytest.mark.parametrize(("f", "df", "domain"), PRACTICE, ids=[f"item{i + 1}" for i in range(len(PRACTICE))])
def test_p1sum_practice_list(f: sp.Expr, df: sp.Expr, domain: tuple[float, float]) -> None:
    """Each answer of the list exercise, symbolically (x > 0) and numerically."""
    fp, dfp = f.subs(x, xp), df.subs(x, xp)
    assert sp.simplify(sp.diff(fp, xp) - dfp) == 0
    _assert_numerically(fp, dfp, xp, *domain, seed=6)


def test_p1sum_practice_expansions() -> None:
    """The rewritten forms: (2x+1)^2 = 4x^2 + 4x + 1 and (x^3 + x)/x = x^2 + 1."""
    assert sp.expand((2 * x + 1) ** 2) == 4 * x**2 + 4 * x + 1
    assert sp.cancel((x**3 + x) / x) == x**2 + 1


def test_p1sum_turning_exercise() -> None:
    """g = x^3 - 12x: g' = 3(x-2)(x+2), peak g(-2) = 16, trough g(2) = -16."""
    g = x**3 - 12 * x
    assert sp.expand(sp.diff(g, x) - 3 * (x - 2) * (x + 2)) == 0
    assert g.subs(x, -2) == 16 and g.subs(x, 2) == -16
    assert sp.diff(g, x, 2).subs(x, -2) < 0 < sp.diff(g, x, 2).subs(x, 2)


# ---------------------------------------------------------------- 04: special cases


def test_p1spec_reciprocal() -> None:
    """d/dx 1/x = -1/x^2 (eq-p1spec-reciprocal), on both sides of the tear."""
    assert sp.simplify(sp.diff(1 / x, x) + 1 / x**2) == 0
    _assert_numerically(1 / x, -1 / x**2, x, 0.2, 3.0, seed=7)
    _assert_numerically(1 / x, -1 / x**2, x, -3.0, -0.2, seed=8)


def test_p1spec_reciprocal_quotient() -> None:
    """(1/(x+h) - 1/x)/h = -1/(x(x+h)) -> -1/x^2 (eq-p1spec-reciprocal-quotient)."""
    q = (1 / (x + h) - 1 / x) / h
    assert sp.simplify(q + 1 / (x * (x + h))) == 0
    assert sp.simplify(sp.limit(q, h, 0) + 1 / x**2) == 0


def test_p1spec_reciprocal_central_difference() -> None:
    """The central difference of 1/x is -1/(x^2 - h^2) (eq-p1spec-reciprocal-central), so it is
    positive when the step straddles 0, and equals 1/h^2 at x = 0."""
    c = (1 / (x + h) - 1 / (x - h)) / (2 * h)
    assert sp.simplify(c + 1 / (x**2 - h**2)) == 0
    rng = np.random.default_rng(9)
    step = 0.5
    xs = rng.uniform(-0.45, 0.45, 20)
    est = derivative(lambda t: 1 / t, xs, h=step)
    np.testing.assert_allclose(est, -1 / (xs**2 - step**2), rtol=1e-12)
    assert np.all(est > 0)
    assert derivative(lambda t: 1 / t, 0.0, h=1e-3) == pytest.approx(1e6, rel=1e-9)


def test_p1spec_inverse_square_exercise() -> None:
    """g = 1/x^2: g' = -2/x^3, and its central difference at 0 is exactly 0 (ex-p1spec-tear)."""
    assert sp.simplify(sp.diff(1 / x**2, x) + 2 / x**3) == 0
    _assert_numerically(1 / x**2, -2 / x**3, x, 0.3, 3.0, seed=10)
    assert derivative(lambda t: 1 / t**2, 0.0) == 0.0


def test_p1spec_exp_is_its_own_derivative() -> None:
    """d/dx e^x = e^x (eq-p1spec-exp)."""
    assert sp.diff(sp.exp(x), x) == sp.exp(x)
    assert check_derivative(np.exp, np.exp, verbose=False).passed


def test_p1spec_exp_quotient_factorises() -> None:
    """(a^(x+h) - a^x)/h = a^x (a^h - 1)/h (eq-p1spec-exp-quotient)."""
    lhs = (a_sym ** (x + h) - a_sym**x) / h
    rhs = a_sym**x * (a_sym**h - 1) / h
    assert sp.simplify(sp.expand_power_exp(lhs) - rhs) == 0


def test_p1spec_exp_limit_is_one() -> None:
    """lim (e^h - 1)/h = 1 (eq-p1spec-exp-limit), symbolically and by shrinking h."""
    assert sp.limit((sp.exp(h) - 1) / h, h, 0) == 1
    runs = np.array([1e-3, 1e-4, 1e-5])
    q = difference_quotient(np.exp, 0.0, runs)
    np.testing.assert_allclose(q, 1 + runs / 2, rtol=1e-6)  # forward error ~ h/2


@pytest.mark.parametrize("a", [2, 3, sp.Rational(3, 2), 4])
def test_p1spec_exp_base(a: sp.Expr) -> None:
    """d/dx a^x = L(a) a^x with L(a) = lim (a^h - 1)/h = ln a (eq-p1spec-exp-base)."""
    assert sp.simplify(sp.limit((a**h - 1) / h, h, 0) - sp.log(a)) == 0
    assert sp.simplify(sp.diff(a**x, x) - sp.log(a) * a**x) == 0
    af = float(a)
    slope = derivative(lambda t: af**t, 0.0, method="complex")
    assert slope == pytest.approx(np.log(af), rel=1e-12)


def test_p1spec_e_is_the_only_base_with_slope_one() -> None:
    """L(a) = ln a increases, and equals 1 only at a = e."""
    assert sp.solve(sp.Eq(sp.log(a_sym), 1), a_sym) == [sp.E]
    grid = np.linspace(1.5, 4.0, 501)
    slopes = np.array([derivative(lambda t, a=a: a**t, 0.0, method="complex") for a in grid])
    assert np.all(np.diff(slopes) > 0)
    assert float(np.interp(1.0, slopes, grid)) == pytest.approx(np.e, abs=1e-5)


def test_p1spec_sin_cos_derivatives() -> None:
    """sin' = cos and cos' = -sin (eq-p1spec-sin-cos)."""
    assert sp.diff(sp.sin(x), x) == sp.cos(x)
    assert sp.diff(sp.cos(x), x) == -sp.sin(x)
    _assert_numerically(sp.sin(x), sp.cos(x), x, -7.0, 7.0, seed=11)
    _assert_numerically(sp.cos(x), -sp.sin(x), x, -7.0, 7.0, seed=12)


def test_p1spec_sin_quotient_split() -> None:
    """(sin(x+h) - sin x)/h = sin x (cos h - 1)/h + cos x sin h / h (eq-p1spec-sin-quotient),
    and the cosine's analogue."""
    lhs = (sp.expand_trig(sp.sin(x + h)) - sp.sin(x)) / h
    rhs = sp.sin(x) * (sp.cos(h) - 1) / h + sp.cos(x) * sp.sin(h) / h
    assert sp.simplify(lhs - rhs) == 0
    assert sp.expand_trig(sp.cos(x + h)) == sp.cos(x) * sp.cos(h) - sp.sin(x) * sp.sin(h)


def test_p1spec_trig_limits() -> None:
    """sin h / h -> 1 and (cos h - 1)/h -> 0 (eq-p1spec-trig-limits)."""
    assert sp.limit(sp.sin(h) / h, h, 0) == 1
    assert sp.limit((sp.cos(h) - 1) / h, h, 0) == 0


def test_p1spec_cycle_of_four() -> None:
    """sin -> cos -> -sin -> -cos -> sin (eq-p1spec-cycle), as in the figure's numerical check."""
    cycle = [sp.sin(x), sp.cos(x), -sp.sin(x), -sp.cos(x)]
    for k, f in enumerate(cycle):
        assert sp.simplify(sp.diff(f, x) - cycle[(k + 1) % 4]) == 0
        _assert_numerically(f, cycle[(k + 1) % 4], x, 0.0, 2 * np.pi, seed=13 + k)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 103])
def test_p1spec_sin_nth_derivative(n: int) -> None:
    """d^n/dx^n sin x = sin(x + n pi/2) (eq-p1spec-sin-nth); cos x = sin(x + pi/2)."""
    assert sp.simplify(sp.diff(sp.sin(x), x, n) - sp.sin(x + n * sp.pi / 2)) == 0
    assert sp.simplify(sp.cos(x) - sp.sin(x + sp.pi / 2)) == 0


def test_p1spec_cycle_exercise() -> None:
    """The 103rd derivative of sin is -cos; the 7th derivative of cos is sin (ex-p1spec-cycle)."""
    assert sp.simplify(sp.diff(sp.sin(x), x, 103) + sp.cos(x)) == 0
    assert sp.simplify(sp.diff(sp.cos(x), x, 7) - sp.sin(x)) == 0


def test_p1spec_degrees_exercise() -> None:
    """d/dd sin(pi d/180) = (pi/180) cos(pi d/180): the slope at 0 is pi/180 (ex-p1spec-degrees)."""
    d = sp.symbols("d", real=True)
    c = sp.pi / 180
    assert sp.simplify(sp.diff(sp.sin(c * d), d) - c * sp.cos(c * d)) == 0
    assert sp.limit(sp.sin(c * h) / h, h, 0) == c
    slope = derivative(lambda t: np.sin(np.deg2rad(t)), 0.0)
    assert slope == pytest.approx(np.pi / 180, rel=1e-9)


def test_p1spec_mixed_exercise() -> None:
    """(3e^x - 2 sin x + 1/x + cos x + x^2)' = 3e^x - 2 cos x - 1/x^2 - sin x + 2x (ex-p1spec-mix)."""
    f = 3 * sp.exp(x) - 2 * sp.sin(x) + 1 / x + sp.cos(x) + x**2
    df = 3 * sp.exp(x) - 2 * sp.cos(x) - 1 / x**2 - sp.sin(x) + 2 * x
    assert sp.simplify(sp.diff(f, x) - df) == 0
    fn, dfn = sp.lambdify(x, f, "numpy"), sp.lambdify(x, df, "numpy")
    assert check_derivative(fn, dfn, low=0.5, high=3.0, verbose=False).passed
