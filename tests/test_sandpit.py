"""Unit and property tests of mlcalc.sandpit (the Sandpit game, Part 2 page 05)."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mlcalc import sandpit as sp  # noqa: E402
from mlcalc.sandpit import export, scenarios  # noqa: E402
from mlcalc.sandpit import (  # noqa: E402
    BOUNDS,
    BROWSER_RANDOM_SEEDS,
    FOUND_RADIUS,
    SCENARIOS,
    Probe,
    Sandpit,
    browser_data,
    browser_json,
    decode_grid,
    game_html,
    grid_nodes,
    play,
    random_pit,
    reveal,
    run,
    scenario,
)

FIXED = [k for k in SCENARIOS if k != "random"]
ALL = [scenario(k) for k in FIXED] + [random_pit(s) for s in BROWSER_RANDOM_SEEDS]
IDS = [f"{L.key}-{L.seed}" if L.seed is not None else L.key for L in ALL]

coords = st.floats(BOUNDS[0], BOUNDS[1], allow_nan=False, allow_infinity=False)


def dense_grid(n: int, shift: float = 0.0):
    """A grid of the pit, offset by ``shift`` spacings (clipped), independent of the finder's."""
    xs = np.clip(np.linspace(*BOUNDS, n) + shift * (BOUNDS[1] - BOUNDS[0]) / (n - 1), *BOUNDS)
    return np.meshgrid(xs, xs)


# -- the minima ------------------------------------------------------------------------------


@pytest.mark.parametrize("land", ALL, ids=IDS)
def test_the_minimum_is_below_every_point_of_a_dense_grid(land):
    X, Y = dense_grid(1201, shift=0.37)
    H = land.height(X, Y)
    f_min = land.height(*land.minimum)
    assert f_min <= H.min() + 1e-12
    # ... and the grid's lowest point is next to it (the minimum is the grid's valley, not a tie)
    k = np.argmin(H)
    assert np.hypot(X.flat[k] - land.minimum[0], Y.flat[k] - land.minimum[1]) < 3 * 2 / 1200
    assert land.minimum_depth == pytest.approx(-f_min, abs=1e-15)


@pytest.mark.parametrize("land", ALL, ids=IDS)
def test_formula_p2_sandpit_every_minimum_has_zero_jacobian(land):
    lo, hi = BOUNDS
    points = np.vstack([land.minimum[None, :], land.local_minima])
    for x, y in points:
        interior = lo < x < hi and lo < y < hi
        if interior:  # zero gradient and a positive definite Hessian
            assert np.hypot(*land.jacobian(x, y)) < 1e-7
            assert np.all(np.linalg.eigvalsh(land.hessian(x, y)) > 0)
        t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        for r in (1e-3, 1e-2):
            rx = np.clip(x + r * np.cos(t), lo, hi)
            ry = np.clip(y + r * np.sin(t), lo, hi)
            assert np.all(land.height(rx, ry) >= land.height(x, y) - 1e-12)
    depths = np.concatenate([[land.minimum_depth], land.local_depths])
    assert np.all(np.diff(depths) <= 0), "the deepest first, then the others deepest first"
    assert land.minimum_depth > land.local_depths.max(initial=-np.inf)


def assert_no_minimum_missed(land, n, shift):
    """Every discrete minimum of an independent grid lies next to one of the listed minima."""
    X, Y = dense_grid(n, shift=shift)
    H = land.height(X, Y)
    P = np.pad(H, 1, constant_values=np.inf)
    is_min = np.ones_like(H, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= H < P[1 + di : 1 + di + n, 1 + dj : 1 + dj + n]
    listed = np.vstack([land.minimum[None, :], land.local_minima])
    spacing = 2 / (n - 1)
    for x, y in zip(X[is_min], Y[is_min]):
        assert np.hypot(listed[:, 0] - x, listed[:, 1] - y).min() < 3 * spacing, (x, y)


@pytest.mark.parametrize("land", ALL, ids=IDS)
def test_no_local_minimum_of_a_dense_grid_is_missed(land):
    assert_no_minimum_missed(land, 501, shift=0.5)
    assert_no_minimum_missed(land, 777, shift=0.21)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6))
def test_random_pits_have_their_minimum_below_a_dense_grid(seed):
    land = random_pit(seed)
    X, Y = dense_grid(701, shift=0.29)
    assert land.height(*land.minimum) <= land.height(X, Y).min() + 1e-12
    assert land.minimum_depth == pytest.approx(land.depth(X, Y).max(), abs=1e-3)
    assert 1.2 - 1e-6 <= land.minimum_depth <= 2.4 + 1e-3
    assert land.height(X, Y).max() <= 1e-3, "the rim is the highest sand (up to grid resolution)"
    assert_no_minimum_missed(land, 301, shift=0.5)


def test_scenarios_have_the_features_their_names_promise():
    assert len(scenario("bowl").local_minima) == 0
    assert len(scenario("depth-only").local_minima) == 0 and not scenario("depth-only").arrows
    assert len(scenario("several-minima").local_minima) >= 2
    assert len(scenario("rocks").local_minima) >= 8
    well = scenario("narrow-well")
    assert len(well.local_minima) >= 1
    # the well is narrow: at 0.25 m from its bottom the sand is less than half as deep
    x, y = well.minimum
    assert well.depth(x + 0.25, y) < 0.6 * well.minimum_depth
    assert all(scenario(k).arrows for k in SCENARIOS if k != "depth-only")


def test_random_pits_are_reproducible_and_differ_between_seeds():
    a, b = random_pit(7), random_pit(7)
    xs, ys = np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-1, 1, 9))
    np.testing.assert_array_equal(a.height(xs, ys), b.height(xs, ys))
    scenarios._CACHE.pop(("random", 7))  # a fresh build gives the same numbers
    np.testing.assert_array_equal(random_pit(7).height(xs, ys), a.height(xs, ys))
    assert not np.allclose(random_pit(8).height(xs, ys), a.height(xs, ys))
    assert scenario("random") is random_pit(BROWSER_RANDOM_SEEDS[0])
    assert scenario("random", seed=7) is random_pit(7)


# -- derivatives -----------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(range(len(ALL))), coords, coords)
def test_formula_p2_sandpit_arrow_jacobian_matches_central_differences(index, x, y):
    land = ALL[index]
    h = 1e-6
    fd = np.array(
        [
            (land.height(x + h, y) - land.height(x - h, y)) / (2 * h),
            (land.height(x, y + h) - land.height(x, y - h)) / (2 * h),
        ]
    )
    J = land.jacobian(x, y)
    assert J.shape == (2,)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(range(len(ALL))), coords, coords)
def test_the_hessian_matches_differences_of_the_jacobian(index, x, y):
    land = ALL[index]
    h = 1e-6
    cols = [
        (land.jacobian(x + h, y) - land.jacobian(x - h, y)) / (2 * h),
        (land.jacobian(x, y + h) - land.jacobian(x, y - h)) / (2 * h),
    ]
    H = land.hessian(x, y)
    assert H.shape == (2, 2)
    np.testing.assert_allclose(H, np.column_stack(cols), rtol=1e-5, atol=1e-4)
    assert H[0, 1] == H[1, 0]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(range(len(ALL))), coords, coords, st.floats(0, 2 * np.pi))
def test_formula_p2_sandpit_minus_j_is_the_steepest_way_down(index, x, y, angle):
    """Page 05: the directional derivative J·u is smallest for u = -J/|J| (the arrow)."""
    land = ALL[index]
    J = land.jacobian(x, y)
    u = np.array([np.cos(angle), np.sin(angle)])
    downhill = -J / np.linalg.norm(J)
    assert J @ downhill <= J @ u + 1e-12
    assert J @ downhill == pytest.approx(-np.linalg.norm(J))


def test_functions_broadcast_and_return_floats_for_scalars():
    land = scenario("bowl")
    assert isinstance(land.height(0.1, 0.2), float)
    assert isinstance(land.depth(0.1, 0.2), float)
    xs = np.linspace(-1, 1, 5)
    assert land.height(xs, 0.3).shape == (5,)
    assert land.jacobian(xs[:, None], xs[None, :]).shape == (5, 5, 2)
    assert land.hessian(xs, xs).shape == (5, 2, 2)
    assert land.depth(0.3, -0.1) == -land.height(0.3, -0.1)


# -- the rules: found and stuck ---------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(range(len(ALL))), coords, coords)
def test_formula_p2_sandpit_found_and_stuck_rules(index, x, y):
    land = ALL[index]
    d_min = np.hypot(x - land.minimum[0], y - land.minimum[1])
    slope = np.hypot(*land.jacobian(x, y))
    # eq-p2-sandpit-stuck: within r of a trap m and slope <= s_m = |grad f(m)| + lambda_max(H(m)) r
    stuck = False
    for m in land.local_minima:
        s_m = np.hypot(*land.jacobian(*m)) + max(np.linalg.eigvalsh(land.hessian(*m)).max(), 0) * FOUND_RADIUS
        stuck |= bool(np.hypot(x - m[0], y - m[1]) <= FOUND_RADIUS and slope <= s_m)
    expected = "found" if d_min <= FOUND_RADIUS else "stuck" if stuck else "searching"
    assert land.status(x, y) == expected
    assert land.probe(x, y).status == expected


@pytest.mark.parametrize("land", ALL, ids=IDS)
def test_stuck_only_where_the_arrow_is_short_at_a_real_local_minimum(land):
    """At every survey point where the game says stuck: within r of a trap that is a true local
    minimum (zero gradient inside the pit, positive definite Hessian, nothing lower around it),
    with a slope at most that trap's s_m, and s_m short for the pit (below its 95th percentile
    slope). And the rule covers the ring that the reveal draws: nine tenths of its survey points."""
    xs = sp.grid_nodes(sp.BROWSER_GRID)
    X, Y = np.meshgrid(xs, xs)
    status = land.status(X, Y)
    slope = np.hypot(*np.moveaxis(land.jacobian(X, Y), -1, 0))
    covered = np.zeros(X.shape, dtype=bool)
    ring_nodes = stuck_nodes = 0
    for m, s_m in zip(land.local_minima, land.stuck_slopes):
        lam = np.linalg.eigvalsh(land.hessian(*m))
        interior = np.all(np.abs(m) < 1 - 1e-9)
        if interior:
            assert np.hypot(*land.jacobian(*m)) < 1e-6 and lam.min() > 0, "a real local minimum"
        angles = np.linspace(0, 2 * np.pi, 36, endpoint=False)
        around = np.clip(m + 1e-3 * np.stack([np.cos(angles), np.sin(angles)], axis=1), -1, 1)
        assert np.all(land.height(around[:, 0], around[:, 1]) >= land.height(*m) - 1e-12)
        assert s_m < np.percentile(slope, 95), "the stuck slope is short for this pit"
        ring = np.hypot(X - m[0], Y - m[1]) <= land.radius
        covered |= ring & (slope <= s_m)
        ring_nodes += int(ring.sum())
        stuck_nodes += int((ring & (status == "stuck")).sum())
    assert np.array_equal(status == "stuck", covered & (status != "found"))
    if ring_nodes:
        assert stuck_nodes >= 0.7 * ring_nodes, (stuck_nodes, ring_nodes)


@pytest.mark.parametrize("land", ALL, ids=IDS)
def test_status_at_the_edge_of_the_found_radius(land):
    mx, my = land.minimum
    lo, hi = BOUNDS
    for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
        c, s = np.cos(angle), np.sin(angle)
        inside = (mx + 0.999 * FOUND_RADIUS * c, my + 0.999 * FOUND_RADIUS * s)
        outside = (mx + 1.001 * FOUND_RADIUS * c, my + 1.001 * FOUND_RADIUS * s)
        if lo <= inside[0] <= hi and lo <= inside[1] <= hi:
            assert land.status(*inside) == "found"
        if lo <= outside[0] <= hi and lo <= outside[1] <= hi:
            assert land.status(*outside) != "found"
    for lx, ly in land.local_minima:
        if np.hypot(lx - mx, ly - my) > FOUND_RADIUS:
            assert land.status(lx, ly) == "stuck"


def test_status_is_vectorised():
    land = scenario("several-minima")
    pts = np.vstack([land.minimum, land.local_minima, [[-1.0, -1.0]]])
    out = land.status(pts[:, 0], pts[:, 1])
    assert list(out) == ["found"] + ["stuck"] * len(land.local_minima) + ["searching"]


# -- probes, games and runs -------------------------------------------------------------------


def test_a_probe_reveals_depth_jacobian_and_status():
    land = scenario("bowl")
    p = land.probe(0.1, -0.2, number=3)
    assert isinstance(p, Probe) and p.number == 3
    assert p.depth == pytest.approx(land.depth(0.1, -0.2))
    assert p.height == -p.depth
    np.testing.assert_array_equal(p.jacobian, land.jacobian(0.1, -0.2))
    np.testing.assert_array_equal(p.downhill, -land.jacobian(0.1, -0.2))
    np.testing.assert_array_equal(p.hessian, land.hessian(0.1, -0.2))
    np.testing.assert_array_equal(p.point, [0.1, -0.2])
    assert "Probe 3 at (0.100, -0.200)" in str(p) and "downhill" in str(p)


def test_depth_only_probes_hide_the_gradient():
    p = scenario("depth-only").probe(0.0, 0.0)
    assert p.jacobian is None and p.hessian is None and p.downhill is None
    assert "downhill" not in str(p)


def test_a_game_counts_probes_finds_and_resets():
    game = play("bowl")
    assert isinstance(game, Sandpit) and game.n_probes == 0 and not game.found
    game.probe(-0.9, 0.9)
    assert game.n_probes == 1 and not game.found
    x, y = game.landscape.minimum
    p = game.probe(x, y)
    assert p.number == 2 and p.status == "found" and game.found
    assert "found" in repr(game)
    game.reset()
    assert game.n_probes == 0 and not game.found


def test_stuck_is_reported_at_a_local_minimum():
    game = play("several-minima")
    x, y = game.landscape.local_minima[0]
    p = game.probe(x, y)
    assert p.status == "stuck" and "stuck" in str(p)
    assert not game.found


def test_formula_p2_sandpit_step_run_follows_the_rule_to_the_bottom():
    path = run(lambda p: -0.3 * p.jacobian, "bowl", start=(-0.8, 0.8), max_probes=100)
    assert isinstance(path, sp.Walk)
    assert path.found and path.reason == "found" and path.status == "found"
    assert path.n_probes == len(path.probes) == path.points.shape[0] == path.depths.shape[0]
    assert [p.number for p in path.probes] == list(range(1, path.n_probes + 1))
    # each step is the rule's step: p_{k+1} = p_k - 0.3 J(p_k) (inside the pit)
    steps = np.diff(path.points, axis=0)
    J = np.array([p.jacobian for p in path.probes[:-1]])
    np.testing.assert_allclose(steps, -0.3 * J, atol=1e-15)
    assert np.all(np.diff(path.depths) > 0), "small steps downhill only go deeper on a bowl"
    assert "found" in str(path)


def test_run_gets_stuck_in_a_local_minimum_of_several_minima():
    path = run(lambda p: -0.1 * p.jacobian, "several-minima", start=(-0.8, 0.8), max_probes=200)
    assert not path.found and path.status == "stuck"


def test_run_stops_when_out_of_probes_or_stalled():
    out = run(lambda p: [0.01, 0.0], "bowl", start=(-0.9, 0.9), max_probes=5)
    assert out.reason == "max_probes" and out.n_probes == 5
    stalled = run(lambda p: [0.0, 0.0], "bowl", start=(-0.9, 0.9))
    assert stalled.reason == "stalled" and stalled.n_probes == 1
    rim = run(lambda p: [-1.0, 0.0], "bowl", start=(-0.5, 0.9))
    assert rim.reason == "stalled" and rim.points[-1, 0] == -1.0  # clipped to the rim, then stuck there


def test_run_accepts_a_landscape_and_a_stateful_rule():
    class Spiral:
        def __init__(self):
            self.calls = 0

        def __call__(self, probe):
            self.calls += 1
            return [0.05, 0.0]

    rule = Spiral()
    path = run(rule, random_pit(3), start=(-0.9, 0.0), max_probes=4)
    assert rule.calls == 3 and path.landscape is random_pit(3)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"next_step": 3}, TypeError, "next_step"),
        ({"start": (2.0, 0.0)}, ValueError, "outside the pit"),
        ({"start": (0.0, np.nan)}, ValueError, "start"),
        ({"start": (0.0, 0.0, 0.0)}, ValueError, "start"),
        ({"max_probes": 0}, ValueError, "max_probes"),
        ({"max_probes": 2.5}, TypeError, "max_probes"),
        ({"scenario": "volcano"}, ValueError, "name"),
        ({"scenario": 3}, TypeError, "scenario"),
        ({"next_step": lambda p: None}, TypeError, "returned None"),
        ({"next_step": lambda p: [1.0]}, ValueError, "step next_step returned at probe 1"),
        ({"next_step": lambda p: [np.inf, 0]}, ValueError, "finite"),
        ({"scenario": "depth-only", "next_step": lambda p: -p.jacobian}, TypeError, "shows no arrow"),
    ],
)
def test_run_rejects_bad_input(kwargs, error, match):
    args = {"next_step": lambda p: -0.1 * p.jacobian, "scenario": "bowl", "start": (-0.5, 0.5), **kwargs}
    with pytest.raises(error, match=match):
        run(**args)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: scenario("bowl", seed=3), ValueError, "seed"),
        (lambda: scenario(None), ValueError, "name"),
        (lambda: random_pit(-1), ValueError, "seed"),
        (lambda: random_pit(1.5), TypeError, "seed"),
        (lambda: scenario("bowl").probe(1.5, 0), ValueError, "x = 1.5 is outside the pit"),
        (lambda: scenario("bowl").probe(0, np.nan), ValueError, "y"),
        (lambda: scenario("bowl").probe("0", 0), TypeError, "x"),
        (lambda: scenario("bowl").status(0, -3), ValueError, "y = -3"),
        (lambda: scenario("bowl").height([0, 1], [0, 1, 2]), ValueError, "broadcast"),
        (lambda: scenario("bowl").jacobian([], []), ValueError, "empty"),
        (lambda: play("bowl").probe(0, 1.01), ValueError, "outside"),
        (lambda: Sandpit(scenario("bowl"), seed=2), ValueError, "seed"),
        (lambda: reveal("bowl", probes=[1, 2]), TypeError, "probes must be a Walk"),
        (lambda: reveal("bowl", resolution=3), ValueError, "resolution"),
        (lambda: grid_nodes(2), ValueError, "n"),
        (lambda: browser_data(random_seeds=[]), ValueError, "random_seeds"),
        (lambda: browser_json({"format": "other"}), ValueError, "browser_data"),
        (lambda: decode_grid({"step": 1e-3}, 3), ValueError, "residuals"),
        (lambda: decode_grid({"step": 1e-3, "residuals": [0, 0, 0]}, 3), ValueError, "expected n \\* n = 9"),
        (lambda: decode_grid({"step": 1e-3, "residuals": ["0"] * 9}, 3), TypeError, "integers"),
        (lambda: decode_grid({"step": -1.0, "residuals": [0] * 9}, 3), ValueError, "step"),
        (lambda: game_html(element_id="a b"), ValueError, "element_id"),
        (lambda: game_html(element_id=""), ValueError, "element_id"),
        (lambda: play(3), TypeError, "scenario"),
        (lambda: play("volcano"), ValueError, "name"),
        (lambda: play("random", seed=-2), ValueError, "seed"),
        (lambda: random_pit(2**70), ValueError, "seed"),
        (lambda: random_pit(True), TypeError, "seed"),
        (lambda: scenario("bowl").height("a", 0), TypeError, "x"),
        (lambda: scenario("bowl").depth(np.inf, 0), ValueError, "x"),
        (lambda: scenario("bowl").hessian(0, None), TypeError, "y"),
        (lambda: scenario("bowl").status(np.nan, 0), ValueError, "x"),
        (lambda: scenario("bowl").probe(0, 0, number=0), ValueError, "number"),
        (lambda: scenario("bowl").probe(0, [0, 1]), TypeError, "y"),
        (lambda: run(lambda p: [0, 0], "bowl", start="ab"), TypeError, "start"),
        (lambda: run(lambda p: [0, 0], "bowl", start=(0.5, 1.5)), ValueError, "start\\[1\\] = 1.5 is outside"),
        (lambda: run(lambda p: [0, 0], "bowl", max_probes=10**9), ValueError, "max_probes must be at most"),
        (lambda: reveal("bowl", resolution=10**6), ValueError, "resolution"),
        (lambda: reveal("bowl", ax=3), TypeError, "ax must be"),
        (lambda: reveal(None), TypeError, "scenario"),
        (lambda: sp.arrow_scale("bowl"), TypeError, "land"),
        (lambda: sp.arrow_scale(scenario("bowl"), n=2), ValueError, "n"),
        (lambda: browser_data(n=2), ValueError, "n"),
        (lambda: browser_data(n=10**6), ValueError, "n must be at most"),
        (lambda: browser_data(random_seeds="12"), TypeError, "random_seeds"),
        (lambda: browser_data(random_seeds=[-1]), ValueError, "random_seeds entry"),
        (lambda: browser_data(random_seeds=list(range(51))), ValueError, "random_seeds"),
        (lambda: browser_json([1]), ValueError, "browser_data"),
        (lambda: grid_nodes(10**6), ValueError, "n must be at most"),
        (lambda: scenario("rocks").height(1e200, 0), ValueError, "x = 1e\\+200 is far outside"),
        (lambda: scenario("rocks").jacobian(0, -1e308), ValueError, "y = -1e\\+308 is far outside"),
        (lambda: scenario("rocks").hessian([0, 3], 0), ValueError, "x = 3 is far outside"),
        (lambda: grid_nodes(5.0), TypeError, "n"),
        (lambda: decode_grid("AAA", 3), ValueError, "entry"),
        (lambda: decode_grid({"step": 1e-3, "residuals": [0] * 9}, 2), ValueError, "n"),
    ],
)
def test_bad_input_is_reported_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- the reveal figure -------------------------------------------------------------------------


def test_reveal_draws_the_pit_with_its_minima_and_probes():
    path = run(lambda p: -0.3 * p.jacobian, "several-minima", start=(0.8, -0.9), max_probes=8)
    fig = reveal("several-minima", probes=path)
    ax = fig.axes[0]
    assert ax.get_title() == "Several minima"
    labels = ax.get_legend_handles_labels()[1]
    assert {"deepest point", "local minimum", "probe"} <= set(labels)
    probe_line = [ln for ln in ax.lines if ln.get_label() == "probe"][0]
    np.testing.assert_array_equal(np.column_stack(probe_line.get_data()), path.points)
    plt.close(fig)
    game = play("bowl")
    game.probe(0, 0)
    fig, ax = plt.subplots()
    assert game.reveal(ax=ax) is fig
    plt.close(fig)


# -- the export to the browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported():
    return json.loads(browser_json())


def test_the_export_round_trips(exported):
    n = exported["n"]
    assert exported["format"] == "mlcalc-sandpit" and exported["version"] == 2 and exported["kind"] == "game"
    assert exported["bounds"] == list(BOUNDS) and exported["scenarios"] == list(SCENARIOS)
    X, Y = np.meshgrid(grid_nodes(n), grid_nodes(n))
    keys = [item["key"] for item in exported["landscapes"]]
    assert keys == ["bowl", "depth-only", *[f"random-{s}" for s in BROWSER_RANDOM_SEEDS],
                    "several-minima", "rocks", "narrow-well"]
    for item in exported["landscapes"]:
        land = random_pit(int(item["key"].split("-")[1])) if item["scenario"] == "random" else scenario(item["key"])
        step = item["depth"]["step"]
        np.testing.assert_allclose(decode_grid(item["depth"], n), land.depth(X, Y), rtol=0, atol=step / 2 + 1e-12)
        assert item["arrows"] == land.arrows and ("gx" in item) == land.arrows
        if land.arrows:
            J = land.jacobian(X, Y)
            np.testing.assert_allclose(decode_grid(item["gx"], n), J[..., 0], rtol=0, atol=step / 2 + 1e-12)
            np.testing.assert_allclose(decode_grid(item["gy"], n), J[..., 1], rtol=0, atol=step / 2 + 1e-12)
            assert item["arrow_scale"] == sp.arrow_scale(land, n)
        # the minima travel exactly, so the browser's rule sees the same numbers as Python's
        assert item["minimum"] == list(land.minimum) and item["minimum_depth"] == land.minimum_depth
        assert np.array_equal(np.array(item["local_minima"]).reshape(-1, 2), land.local_minima)
        assert item["radius"] == land.radius == FOUND_RADIUS
        assert item["title"] == land.title and item["description"] == land.description


def test_the_browser_rule_on_exported_minima_equals_python_status_at_every_node(exported):
    """The JavaScript rule, written out in numpy on the exported data, at every survey point."""
    n = exported["n"]
    X, Y = np.meshgrid(grid_nodes(n), grid_nodes(n))
    for item in exported["landscapes"]:
        land = random_pit(int(item["key"].split("-")[1])) if item["scenario"] == "random" else scenario(item["key"])
        r2 = item["radius"] * item["radius"]
        mx, my = item["minimum"]
        found = (X - mx) * (X - mx) + (Y - my) * (Y - my) <= r2
        stuck = np.zeros_like(found)
        slope2 = np.zeros_like(X)
        if item["arrows"]:
            gx, gy = decode_grid(item["gx"], n), decode_grid(item["gy"], n)
            slope2 = gx * gx + gy * gy
        assert len(item["stuck_slopes"]) == len(item["local_minima"])
        for (lx, ly), s_m in zip(item["local_minima"], item["stuck_slopes"]):
            near = (X - lx) * (X - lx) + (Y - ly) * (Y - ly) <= r2
            level = slope2 <= s_m * s_m
            stuck |= near & level
            # every local minimum has a survey point where the game says stuck
            assert np.any(near & level & ~found), (item["key"], lx, ly)
        js = np.where(found, "found", np.where(stuck, "stuck", "searching"))
        np.testing.assert_array_equal(js, land.status(X, Y))
        assert found.sum() >= 1, "at least one survey point counts as found"


def test_grid_nodes_use_the_browser_formula():
    n = sp.BROWSER_GRID
    xs = grid_nodes(n)
    assert xs[0] == BOUNDS[0] and xs[-1] == BOUNDS[1] and xs[(n - 1) // 2] == 0.0
    assert [xs[i] for i in range(n)] == [BOUNDS[0] + (BOUNDS[1] - BOUNDS[0]) * i / (n - 1) for i in range(n)]


@settings(max_examples=50, deadline=None)
@given(
    st.integers(3, 9),
    st.lists(st.integers(-(2**40), 2**40), min_size=81, max_size=81),
    st.sampled_from([1e-3, 0.5, 2.0]),
)
def test_the_grid_code_round_trips_any_integers(n, values, step):
    q = np.array(values[: n * n], dtype=np.int64).reshape(n, n)
    entry = export._encode(q * step, step)
    assert all(isinstance(v, int) for v in entry["residuals"])
    np.testing.assert_array_equal(np.rint(decode_grid(entry, n) / step).astype(np.int64), q)


def test_the_data_is_compact_and_safe_inside_a_script_element():
    text = browser_json()
    assert len(text) < 300_000, f"the game's data grew to {len(text) / 1024:.0f} KB"
    html = game_html()
    body = html.split('type="application/json"', 1)[1]
    assert body.count("</script") == 1, "no premature end of the data's <script> element"
    assert 'data-sandpit="sandpit-game-data"' in html and 'id="sandpit-game-data"' in html
    assert "http" not in html, "the game's HTML refers to no other host"


junk = st.one_of(
    st.none(), st.text(max_size=3), st.booleans(), st.just(np.nan), st.just(np.inf), st.just([]),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=3), st.just({"a": 1}),
    st.floats(-1e308, 1e308), st.integers(-(10**30), 10**30),
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["height", "depth", "jacobian", "hessian", "status", "probe"]), junk, junk)
def test_landscape_methods_answer_junk_with_a_named_error_or_a_finite_result(method, x, y):
    """Bad input to every method of a Landscape: a ValueError/TypeError naming x or y, or a finite answer."""
    land = scenario("rocks")
    try:
        with np.errstate(all="raise"):
            out = getattr(land, method)(x, y)
    except (TypeError, ValueError) as exc:
        assert any(name in str(exc) for name in ("x", "y")), str(exc)
        return
    if method == "probe":
        assert np.isfinite(out.depth) and np.all(np.isfinite(out.jacobian))
    elif method != "status":
        assert np.all(np.isfinite(out))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(ALL))), coords, coords)
def test_a_probe_agrees_with_the_vectorised_formulas(index, x, y):
    """Landscape.probe evaluates every term once, in floats; it must give what height/jacobian/hessian/status give."""
    land = ALL[index]
    p = land.probe(x, y)
    assert p.depth == pytest.approx(land.depth(x, y), rel=1e-12, abs=1e-13)
    assert p.status == land.status(x, y)
    if land.arrows:
        np.testing.assert_allclose(p.jacobian, land.jacobian(x, y), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(p.hessian, land.hessian(x, y), rtol=1e-12, atol=1e-11)
        assert p.slope == pytest.approx(np.hypot(*land.jacobian(x, y)), rel=1e-12, abs=1e-13)
