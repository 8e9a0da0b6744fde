"""Tests of mlcalc.sandpit.strategies and the strategy viewer's export (Part 5, the Sandpit part 2).

Every formula the page states is checked as stated: the four steps (eq-p5sp-fixed, -gradient,
-newton, -hybrid), the Newton step as the stationary point of the quadratic model (eq-p5sp-model),
the Newton step landing on the centre of any quadratic, and the scorer's three numbers.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.sandpit import (
    BOUNDS,
    SCORED_SCENARIOS,
    STRATEGIES,
    Probe,
    Score,
    browser_json,
    decode_grid,
    fixed_length,
    game_html,
    gradient_descent,
    hybrid,
    newton,
    random_pit,
    run,
    scenario,
    score,
    starts,
    strategy_data,
)
from mlcalc.sandpit._terms import _Quadratic
from mlcalc.sandpit.landscapes import Landscape

coords = st.floats(-0.99, 0.99, allow_nan=False, allow_infinity=False)
PITS = ["bowl", "random", "several-minima", "rocks", "narrow-well"]


def probe_at(name, x, y):
    return scenario(name).probe(x, y)


# -- the four steps, as the page states them ---------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PITS), coords, coords, st.floats(0.01, 1.0))
def test_formula_p5sp_fixed_length_step(name, x, y, ell):
    p = probe_at(name, x, y)
    g = scenario(name).jacobian(x, y)
    s = fixed_length(ell)(p)
    assert np.hypot(*s) == pytest.approx(ell, rel=1e-12)
    np.testing.assert_allclose(s, -ell * g / np.linalg.norm(g), rtol=1e-12, atol=1e-15)
    assert s @ g < 0, "straight downhill"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PITS), coords, coords, st.floats(0.001, 2.0))
def test_formula_p5sp_gradient_step(name, x, y, eta):
    p = probe_at(name, x, y)
    np.testing.assert_allclose(gradient_descent(eta)(p), -eta * scenario(name).jacobian(x, y), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PITS), coords, coords)
def test_formula_p5sp_newton_step_solves_h_dx_equals_minus_gradient(name, x, y):
    land = scenario(name)
    p = land.probe(x, y)
    H, g = land.hessian(x, y), land.jacobian(x, y)
    if abs(np.linalg.det(H)) < 1e-6:
        return
    s = newton()(p)
    np.testing.assert_allclose(H @ s, -g, rtol=1e-8, atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(PITS), coords, coords)
def test_formula_p5sp_newton_step_is_the_stationary_point_of_the_quadratic_model(name, x, y):
    """eq-p5sp-model: the model's gradient in dx, checked by central differences, is zero at the step."""
    land = scenario(name)
    H, g = land.hessian(x, y), land.jacobian(x, y)
    if abs(np.linalg.det(H)) < 1e-6:
        return
    s = newton()(land.probe(x, y))
    f0 = land.height(x, y)

    def model(d):
        return f0 + g @ d + 0.5 * d @ H @ d

    h = 1e-4 * max(1.0, float(np.hypot(*s)))
    grad = np.array([(model(s + h * e) - model(s - h * e)) / (2 * h) for e in np.eye(2)])
    assert np.hypot(*grad) <= 1e-6 * max(1.0, float(np.abs(g).max()), float(np.abs(H).max()) * np.hypot(*s))
    # and the model approximates f to second order: the error shrinks like |d|^3
    d = np.array([0.3, -0.2])
    errs = []
    for t in (1e-2, 5e-3):
        q = np.clip([x + t * d[0], y + t * d[1]], -1, 1)
        errs.append(abs(land.height(*q) - model(q - [x, y])))
    if errs[0] > 1e-11:
        assert errs[1] < errs[0] / 4


@settings(max_examples=30, deadline=None)
@given(
    st.floats(-0.5, 0.5), st.floats(-0.5, 0.5), st.floats(0.2, 3.0), st.floats(-0.5, 0.5), st.floats(0.2, 3.0),
    coords, coords,
)
def test_formula_p5sp_newton_lands_on_the_centre_of_any_quadratic(cx, cy, a, b, d, x, y):
    """Exercise ex-p5sp-newton-bowl: one Newton step from anywhere reaches c (A invertible)."""
    if abs(a * d - b * b) < 0.05:
        return
    land = Landscape("bowl", "q", "", [_Quadratic(cx, cy, a, b, d)], max_depth=1.0)
    s = newton()(land.probe(x, y))
    np.testing.assert_allclose(np.array([x, y]) + s, [cx, cy], atol=1e-9)


def test_newton_on_the_bowl_finds_the_bottom_in_two_probes():
    for p in starts(10):
        w = run(newton(), "bowl", start=p)
        assert w.found and w.n_probes <= 2


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PITS), coords, coords)
def test_formula_p5sp_hybrid_takes_newton_only_downhill_and_short(name, x, y):
    land = scenario(name)
    p = land.probe(x, y)
    g, H = land.jacobian(x, y), land.hessian(x, y)
    s = hybrid(0.1, 0.3)(p)
    if abs(np.linalg.det(H)) > 1e-6:
        sn = -np.linalg.solve(H, g)
        if g @ sn < 0 and np.hypot(*sn) <= 0.3:
            np.testing.assert_allclose(s, sn, rtol=1e-8, atol=1e-12)
            return
        if g @ sn < -1e-9 * np.hypot(*g) * np.hypot(*sn) and np.hypot(*sn) < 0.3 * (1 - 1e-9):
            pytest.fail("the Newton step was downhill and short, but the hybrid did not take it")
    np.testing.assert_allclose(s, -0.1 * g, rtol=1e-12)


def test_the_hybrid_falls_back_where_newton_points_uphill():
    land = scenario("several-minima")
    xs = np.linspace(-0.95, 0.95, 25)
    seen = 0
    for x in xs:
        for y in xs:
            g, H = land.jacobian(x, y), land.hessian(x, y)
            sn = -np.linalg.solve(H, g)
            if g @ sn > 0:
                seen += 1
                np.testing.assert_allclose(hybrid()(land.probe(x, y)), -0.1 * g)
                assert newton()(land.probe(x, y)) @ g > 0, "pure Newton goes uphill there"
    assert seen > 50


def test_zero_gradient_and_singular_hessian_give_a_zero_step():
    land = scenario("bowl")
    p = land.probe(*land.minimum)
    zero = Probe(1, 0.0, 0.0, 1.0, np.zeros(2), np.zeros((2, 2)), "searching")
    np.testing.assert_array_equal(fixed_length()(zero), [0, 0])
    np.testing.assert_array_equal(newton()(zero), [0, 0])
    np.testing.assert_array_equal(hybrid()(zero), [0, 0])
    assert np.hypot(*newton()(p)) < 1e-12


# -- the scorer -----------------------------------------------------------------------------------


def test_starts_are_seeded_uniform_points_of_the_pit_with_nested_prefixes():
    a = starts(50, seed=3)
    assert a.shape == (50, 2) and np.all((a >= BOUNDS[0]) & (a <= BOUNDS[1]))
    np.testing.assert_array_equal(a, starts(50, seed=3))
    np.testing.assert_array_equal(starts(7, seed=3), a[:7])
    assert not np.allclose(starts(5, seed=4), a[:5])


def test_score_counts_success_median_and_stuck_as_defined():
    rule = gradient_descent(0.1)
    result = score(rule, ["several-minima", "bowl"], n_starts=12, seed=5, max_probes=60)
    assert isinstance(result, Score) and [r.scenario for r in result.rows] == ["several-minima", "bowl"]
    walks = [run(rule, "several-minima", start=p, max_probes=60) for p in starts(12, seed=5)]
    row = result["several-minima"]
    assert [w.n_probes for w in row.walks] == [w.n_probes for w in walks]
    assert row.success_rate == sum(w.found for w in walks) / 12
    found = [w.n_probes for w in walks if w.found]
    assert row.median_probes == (float(np.median(found)) if found else None)
    # stuck: the last probe is stuck by the game's rule (the scorer and the game agree)
    trapped = [w.landscape.status(*w.points[-1]) == "stuck" for w in walks]
    assert row.stuck_rate == sum(trapped) / 12 and sum(trapped) >= 1
    assert all(w.trapped == (w.status == "stuck") for w in walks), "trapped is the game's stuck"
    assert row.n_found == sum(w.found for w in walks)
    assert result["bowl"].success_rate == 1.0
    assert "Several minima" in str(result) and "12 starts" in str(result)
    with pytest.raises(KeyError, match="volcano"):
        result["volcano"]


def test_score_makes_a_fresh_instance_of_a_class_for_every_walk():
    class Counting:
        made = 0

        def __init__(self):
            Counting.made += 1
            self.calls = 0

        def __call__(self, probe):
            self.calls += 1
            assert self.calls <= 3, "memory leaked from an earlier walk"
            return -0.1 * probe.gradient

    score(Counting, ["bowl"], n_starts=4, max_probes=4)
    assert Counting.made == 4


def test_score_is_deterministic():
    a = score(STRATEGIES["hybrid"], ["rocks"], n_starts=10)
    b = score(STRATEGIES["hybrid"], ["rocks"], n_starts=10)
    assert [w.n_probes for w in a.rows[0].walks] == [w.n_probes for w in b.rows[0].walks]


def test_the_default_scenarios_are_those_with_arrows():
    assert SCORED_SCENARIOS == ("bowl", "random", "several-minima", "rocks", "narrow-well")
    assert all(scenario(k).arrows for k in SCORED_SCENARIOS)


# -- the viewer's export --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_scores():
    return {name: score(rule, ["bowl", "several-minima"], n_starts=6) for name, rule in STRATEGIES.items()}


def test_strategy_data_carries_the_walks_and_the_score(small_scores):
    data = json.loads(browser_json(strategy_data(small_scores, viewer_starts=4)))
    assert data["kind"] == "strategies" and data["version"] == 2
    assert [s["key"] for s in data["strategies"]] == list(STRATEGIES)
    assert data["scenarios"] == ["bowl", "several-minima"]
    for i, item in enumerate(data["landscapes"]):
        land = scenario(item["key"])
        n = data["n"]
        X, Y = np.meshgrid(np.linspace(-1, 1, n), np.linspace(-1, 1, n))
        np.testing.assert_allclose(decode_grid(item["depth"], n), land.depth(X, Y), atol=6e-4)
        assert "gx" not in item, "the viewer draws no arrows: no gradients sent"
        np.testing.assert_array_equal(item["starts"], starts(6)[:4])
        for name, s in small_scores.items():
            row, out = s.rows[i], item["strategies"][name]
            assert out["success_rate"] == row.success_rate and out["stuck_rate"] == row.stuck_rate
            assert out["median_probes"] == row.median_probes and out["n_starts"] == 6
            assert len(out["paths"]) == 4
            for w, path in zip(row.walks, out["paths"]):
                assert path["probes"] == w.n_probes and path["reason"] == w.reason and path["trapped"] == w.trapped
                pts = np.array(path["mm"]).reshape(-1, 2) / 1000
                np.testing.assert_allclose(pts, w.points, atol=5e-4 + 1e-12)


def test_the_viewer_html_is_safe_and_names_its_python_fallback(small_scores):
    html = game_html(strategy_data(small_scores, viewer_starts=2), element_id="sandpit-strategies")
    assert 'data-sandpit="sandpit-strategies-data"' in html and "score(" in html
    assert html.split('type="application/json"', 1)[1].count("</script") == 1
    assert "http" not in html


# -- bad input: every public callable of the strategies and the export -------------------------


GOOD_PROBE = scenario("bowl").probe(0.1, 0.2)
DEPTH_ONLY_PROBE = scenario("depth-only").probe(0.1, 0.2)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: fixed_length(0), ValueError, "length"),
        (lambda: fixed_length(-1), ValueError, "length"),
        (lambda: fixed_length(np.nan), ValueError, "length"),
        (lambda: fixed_length("0.1"), TypeError, "length"),
        (lambda: gradient_descent(np.inf), ValueError, "eta"),
        (lambda: gradient_descent(None), TypeError, "eta"),
        (lambda: gradient_descent(True), TypeError, "eta"),
        (lambda: hybrid(eta=0), ValueError, "eta"),
        (lambda: hybrid(max_length=-0.3), ValueError, "max_length"),
        (lambda: hybrid(max_length=[0.3]), TypeError, "max_length"),
        (lambda: fixed_length()((0.1, 0.2)), TypeError, "probe must be a Probe"),
        (lambda: newton()(None), TypeError, "probe must be a Probe"),
        (lambda: gradient_descent()(DEPTH_ONLY_PROBE), ValueError, "no gradient"),
        (lambda: hybrid()(DEPTH_ONLY_PROBE), ValueError, "no gradient"),
        (lambda: starts(0), ValueError, "n"),
        (lambda: starts(10**9), ValueError, "n must be at most"),
        (lambda: starts(2.5), TypeError, "n"),
        (lambda: starts(5, seed=-1), ValueError, "seed"),
        (lambda: starts(5, seed="0"), TypeError, "seed"),
        (lambda: score(3), TypeError, "next_step"),
        (lambda: score(newton(), "bowl"), TypeError, "scenarios must be a list"),
        (lambda: score(newton(), []), ValueError, "scenarios must not be empty"),
        (lambda: score(newton(), ["volcano"]), ValueError, "name"),
        (lambda: score(newton(), [3]), TypeError, "scenarios entry"),
        (lambda: score(newton(), ["bowl"], n_starts=0), ValueError, "n"),
        (lambda: score(newton(), ["bowl"], max_probes=0), ValueError, "max_probes"),
        (lambda: score(newton(), ["bowl"], max_probes=10**7), ValueError, "max_probes must be at most"),
        (lambda: score(newton(), ["depth-only"], n_starts=2), ValueError, "no gradient"),
        (lambda: score(lambda p: "left", ["bowl"], n_starts=2), TypeError, "step next_step returned"),
        (lambda: score(lambda p: [np.nan, 0], ["bowl"], n_starts=2), ValueError, "finite"),
        (lambda: strategy_data({"newton": 3}), ValueError, "scores must map"),
        (lambda: strategy_data({"steepest": score(newton(), ["bowl"], n_starts=2)}), ValueError, "scores must map"),
        (lambda: strategy_data({}), ValueError, "scores must map"),
        (lambda: strategy_data({"newton": score(newton(), ["bowl"], n_starts=2)}, viewer_starts=3), ValueError,
         "viewer_starts"),
        (lambda: strategy_data({"newton": score(newton(), ["bowl"], n_starts=2),
                                "hybrid": score(hybrid(), ["rocks"], n_starts=2)}), ValueError, "same scenarios"),
        (lambda: strategy_data({"newton": score(newton(), ["bowl"], n_starts=2)}, n=10**6), ValueError, "n must be"),
    ],
)
def test_bad_input_is_reported_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=3), st.lists(st.floats(), max_size=3), st.floats(), st.integers()))
def test_a_rule_returning_garbage_is_named_or_played(garbage):
    """Whatever a reader's rule returns, score either plays it or raises a named error."""
    try:
        result = score(lambda p: garbage, ["bowl"], n_starts=2, max_probes=3)
    except (TypeError, ValueError) as exc:
        assert "next_step" in str(exc)
    else:
        assert isinstance(result, Score)


def test_random_pits_work_as_score_scenarios():
    land = random_pit(11)
    result = score(STRATEGIES["hybrid"], [land], n_starts=3, max_probes=20)
    assert result.rows[0].scenario == "random" and 0 <= result.rows[0].success_rate <= 1


# -- the stability limit eta < 2 / lambda_max (eq-p5sp-stable) ---------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.floats(-0.3, 0.3), st.floats(-0.3, 0.3), st.floats(0.2, 3.0), st.floats(-0.5, 0.5), st.floats(0.2, 3.0),
    coords, coords, st.floats(0.01, 2.0),
)
def test_formula_p5sp_gradient_step_multiplies_each_eigen_component_by_one_minus_eta_lambda(cx, cy, a, b, d, x, y, eta):
    """On a quadratic a gradient step maps x - c to (I - eta H)(x - c): along each eigenvector of H
    the distance to the centre is multiplied by 1 - eta * lambda."""
    if a * d - b * b < 0.05:
        return
    land = Landscape("bowl", "q", "", [_Quadratic(cx, cy, a, b, d)], max_depth=1.0)
    probe = land.probe(x, y)
    lam, vecs = np.linalg.eigh(probe.hessian)
    before = vecs.T @ (np.array([x, y]) - land.minimum)
    after = vecs.T @ (np.array([x, y]) + gradient_descent(eta)(probe) - land.minimum)
    np.testing.assert_allclose(after, (1 - eta * lam) * before, atol=1e-9)


def test_gradient_descent_below_the_limit_never_steps_up_on_the_bowl_and_above_it_does():
    land = scenario("bowl")
    limit = 2 / np.linalg.eigvalsh(land.hessian(0, 0)).max()
    for eta in (0.1, 0.5, 0.9 * limit):
        for p in starts(20):
            w = run(gradient_descent(eta), "bowl", start=p, max_probes=60)
            assert np.all(np.diff(w.depths) >= -1e-9), (eta, p)
    went_up = [np.any(np.diff(run(gradient_descent(1.1 * limit), "bowl", start=p, max_probes=60).depths) < -1e-9)
               for p in starts(20)]
    assert sum(went_up) >= 10


@pytest.mark.parametrize("pit, stable", [("bowl", True), ("random", False), ("several-minima", False),
                                         ("rocks", True), ("narrow-well", False)])
def test_eta_0_1_against_the_stability_limit_at_each_pit_bottom(pit, stable):
    """The page's claim: eta = 0.1 is below 2 / lambda_max at the deepest point of the bowl and the
    rocks, above it in the other three. Started just off the bottom along the steepest eigenvector,
    a walk with eta = 0.1 settles where the limit allows it and moves away where it does not."""
    land = scenario(pit)
    lam, vecs = np.linalg.eigh(land.hessian(*land.minimum))
    limit = 2 / lam.max()
    assert (0.1 < limit) == stable
    start = land.minimum + 1e-3 * vecs[:, -1]
    w = run(gradient_descent(0.1), land, start=start, max_probes=40)
    # found at once (the start is in the circle); follow the walk without the found rule instead
    x = start.copy()
    for _ in range(40):
        x = np.clip(x - 0.1 * land.jacobian(*x), -1, 1)
    moved = np.hypot(*(x - land.minimum))
    assert (moved < 1e-3) == stable, (pit, moved)
    assert w.found
