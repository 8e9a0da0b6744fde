"""Every formula stated on the Part 1 pages 01 (rise over run) and 02 (the derivative as a limit),
checked symbolically with sympy."""

from __future__ import annotations

import sympy as sp

x, h, m, c = sp.symbols("x h m c", real=True)
eps, F, D = sp.symbols("varepsilon F D", positive=True)


def rise_over_run(f, at=x):
    return (f.subs(x, at + h) - f.subs(x, at)) / h


# ---- 01-rise-over-run ------------------------------------------------------------------------


def test_rise_over_run_of_a_line_is_its_slope():  # eq-p1-rise-over-run on f = m x + c
    assert sp.simplify(rise_over_run(m * x + c) - m) == 0


def test_exercise_line_3_minus_2x():  # ex-p1-ror-line
    assert sp.simplify(rise_over_run(3 - 2 * x)) == -2


def test_secant_slope_of_square_at_1_is_2_plus_h():  # eq-p1-square-secant
    assert sp.simplify(rise_over_run(x**2, at=1) - (2 + h)) == 0


def test_exercise_cube_rise_over_run():  # ex-p1-ror-cube (the code's value: test_formulas_part1_numbers)
    assert sp.expand(sp.simplify(rise_over_run(x**3))) == sp.expand(3 * x**2 + 3 * x * h + h**2)


def test_average_of_forward_and_backward_slopes_of_square_is_2():  # ex-p1-ror-negative
    fwd = rise_over_run(x**2, at=1)
    bwd = fwd.subs(h, -h)
    assert sp.simplify((fwd + bwd) / 2) == 2


# ---- 02-derivative-as-limit --------------------------------------------------------------------


def test_derivative_of_square_by_the_limit():  # eq-p1-derivative, eq-p1-derivative-square
    q = sp.simplify(rise_over_run(x**2))
    assert sp.simplify(q - (2 * x + h)) == 0
    assert sp.limit(q, h, 0) == 2 * x


def test_abs_has_different_one_sided_slopes_at_zero():
    q = sp.Abs(h) / h
    assert sp.limit(q, h, 0, dir="+") == 1
    assert sp.limit(q, h, 0, dir="-") == -1


def _truncation(expr, order):
    return sp.series(expr, h, 0, order).removeO()


def test_forward_difference_truncation_is_h_over_2_f2():
    for g in (sp.sin(x), sp.exp(2 * x), x**4):
        err = rise_over_run(g) - sp.diff(g, x)
        lead = _truncation(err, 2)
        assert sp.simplify(lead - h / 2 * sp.diff(g, x, 2)) == 0


def test_central_difference_truncation_is_h2_over_6_f3():  # eq-p1-central
    for g in (sp.sin(x), sp.exp(2 * x), x**5):
        central = (g.subs(x, x + h) - g.subs(x, x - h)) / (2 * h)
        lead = _truncation(central - sp.diff(g, x), 3)
        assert sp.simplify(lead - h**2 / 6 * sp.diff(g, x, 3)) == 0


def test_complex_step_has_no_cancellation_and_h2_truncation():  # eq-p1-complex-step
    for g in (sp.sin(x), sp.exp(x), x**3):
        shifted = sp.expand_complex(g.subs(x, x + sp.I * h))
        approx = sp.im(shifted) / h
        lead = _truncation(sp.simplify(approx - sp.diff(g, x)), 3)
        assert sp.simplify(lead + h**2 / 6 * sp.diff(g, x, 3)) == 0


def test_best_steps_minimise_the_error_models():
    fwd = h / 2 * D + 2 * eps * F / h
    cen = h**2 / 6 * D + eps * F / h
    (h_fwd,) = [s for s in sp.solve(sp.diff(fwd, h), h) if s.is_positive]
    (h_cen,) = [s for s in sp.solve(sp.diff(cen, h), h) if s.is_positive]
    assert sp.simplify(h_fwd - 2 * sp.sqrt(eps * F / D)) == 0
    assert sp.simplify(h_cen - sp.cbrt(3 * eps * F / D)) == 0


def test_exercise_exp_at_10_model_error():  # ex-p1-lim-exp
    fwd = h / 2 * D + 2 * eps * F / h
    best = fwd.subs(h, 2 * sp.sqrt(eps * F / D))
    # with F = D (the exponential) the best error is 2 sqrt(eps) |f''|
    assert sp.simplify(best.subs(F, D) - 2 * sp.sqrt(eps) * D) == 0
