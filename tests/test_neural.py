"""Tests for mlcalc.neural: the sigmoid, the heart curve, the network, backpropagation, training."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.derivatives import derivative
from mlcalc.neural import (
    HEART_X_RANGE,
    HEART_Y_RANGE,
    BackpropCheck,
    Network,
    TrainingResult,
    check_backprop,
    heart_curve,
    sigmoid,
    sigmoid_derivative,
)

FAST = settings(max_examples=50, deadline=None)


def central_jacobians(net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-5):
    """Central differences of the cost for every weight and bias, written independently here."""
    out = []
    for arrays in (net.weights, net.biases):
        layer_grads = []
        for arr in arrays:
            g = np.empty_like(arr)
            for idx in np.ndindex(arr.shape):
                keep = arr[idx]
                arr[idx] = keep + h
                up = net.cost(x, y)
                arr[idx] = keep - h
                down = net.cost(x, y)
                arr[idx] = keep
                g[idx] = (up - down) / (2 * h)
            layer_grads.append(g)
        out.append(layer_grads)
    return out[0], out[1]


def flat(arrays) -> np.ndarray:
    return np.concatenate([np.ravel(a) for a in arrays])


# --- sigmoid ----------------------------------------------------------------------------------


@FAST
@given(st.floats(-30, 30))
def test_sigmoid_matches_logistic_formula(z):
    assert sigmoid(z) == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-12, abs=1e-300)


def test_sigmoid_values_and_no_overflow():
    assert sigmoid(0.0) == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning for the overflow of exp(1000)
        out = sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(out, [0.0, 1.0])
    assert isinstance(sigmoid(1.0), float)
    assert sigmoid(np.zeros((2, 3))).shape == (2, 3)


@FAST
@given(st.floats(-8, 8))
def test_sigmoid_derivative_matches_finite_differences(z):
    assert sigmoid_derivative(z) == pytest.approx(derivative(sigmoid, z), rel=1e-7, abs=1e-10)


def test_sigmoid_derivative_peak():
    z = np.linspace(-5, 5, 1001)
    d = sigmoid_derivative(z)
    assert d.max() == pytest.approx(0.25)
    assert z[np.argmax(d)] == pytest.approx(0.0)


@pytest.mark.parametrize("bad, err", [("a", TypeError), (np.nan, ValueError), ([1.0, np.inf], ValueError), (None, TypeError)])
def test_sigmoid_bad_input(bad, err):
    with pytest.raises(err, match="z"):
        sigmoid(bad)


# --- heart curve ------------------------------------------------------------------------------


def test_heart_curve_shapes_and_positions():
    t, pts = heart_curve(8)
    assert t.shape == (1, 8) and pts.shape == (2, 8)
    np.testing.assert_allclose(t[0], np.arange(8) / 8)


def test_heart_curve_is_the_scaled_formula():
    t, pts = heart_curve(50, margin=0.1)
    th = 2 * np.pi * t[0]
    x = 16 * np.sin(th) ** 3
    y = 13 * np.cos(th) - 5 * np.cos(2 * th) - 2 * np.cos(3 * th) - np.cos(4 * th)
    # invert the affine maps and compare with the raw curve
    np.testing.assert_allclose((pts[0] - 0.1) / 0.8 * 32 - 16, x, atol=1e-12)
    lo, hi = HEART_Y_RANGE
    np.testing.assert_allclose((pts[1] - 0.1) / 0.8 * (hi - lo) + lo, y, atol=1e-12)


def test_heart_ranges_are_the_true_extremes():
    th = np.linspace(0, 2 * np.pi, 2_000_001)
    y = 13 * np.cos(th) - 5 * np.cos(2 * th) - 2 * np.cos(3 * th) - np.cos(4 * th)
    x = 16 * np.sin(th) ** 3
    assert HEART_X_RANGE == (x.min(), pytest.approx(x.max()))
    assert y.min() == pytest.approx(HEART_Y_RANGE[0], abs=1e-9)
    assert y.max() <= HEART_Y_RANGE[1] + 1e-12
    assert y.max() == pytest.approx(HEART_Y_RANGE[1], abs=1e-9)


@pytest.mark.parametrize("margin", [0.0, 0.05, 0.2])
def test_heart_curve_fills_the_box(margin):
    _, pts = heart_curve(4000, margin=margin)
    assert pts.min() >= margin - 1e-12 and pts.max() <= 1 - margin + 1e-12
    np.testing.assert_allclose(pts.min(axis=1), margin, atol=1e-5)
    np.testing.assert_allclose(pts.max(axis=1), 1 - margin, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, err, word",
    [({"n": 0}, ValueError, "n"), ({"n": 2.5}, TypeError, "n"), ({"n": 5, "margin": 0.5}, ValueError, "margin"),
     ({"n": 5, "margin": -0.1}, ValueError, "margin"), ({"n": 5, "margin": np.nan}, ValueError, "margin")],
)
def test_heart_curve_bad_input(kwargs, err, word):
    with pytest.raises(err, match=word):
        heart_curve(**kwargs)


# --- the network ------------------------------------------------------------------------------


def test_network_shapes():
    net = Network()
    assert net.sizes == (1, 6, 7, 2) and net.n_layers == 3
    assert [w.shape for w in net.weights] == [(6, 1), (7, 6), (2, 7)]
    assert [b.shape for b in net.biases] == [(6, 1), (7, 1), (2, 1)]
    assert net.n_parameters == sum(w.size + b.size for w, b in zip(net.weights, net.biases)) == 77
    assert "77" in repr(net)


def test_network_initialisation_is_seeded_and_scaled():
    a, b, c = Network(seed=3), Network(seed=3), Network(seed=4)
    np.testing.assert_array_equal(flat(a.weights + a.biases), flat(b.weights + b.biases))
    assert not np.array_equal(flat(a.weights), flat(c.weights))
    big = Network((1, 200, 200, 1), seed=0, scale=0.5)
    values = flat(big.weights + big.biases)
    assert values.std() == pytest.approx(0.5, rel=0.02)
    assert abs(values.mean()) < 0.02


def test_network_accepts_numpy_sizes():
    assert Network(np.array([2, 3, 1])).sizes == (2, 3, 1)


@pytest.mark.parametrize(
    "sizes, err",
    [((1,), ValueError), ((), ValueError), ((1, 0, 2), ValueError), ((1, -3, 2), ValueError),
     ((1, 2.5, 2), TypeError), ("162", TypeError), (5, TypeError), ((1, True, 2), TypeError)],
)
def test_network_bad_sizes(sizes, err):
    with pytest.raises(err, match="sizes"):
        Network(sizes)


def test_network_bad_seed_and_scale():
    with pytest.raises(TypeError, match="seed"):
        Network(seed=1.5)
    with pytest.raises(ValueError, match="scale"):
        Network(scale=0)


def test_forward_is_the_layer_formula():
    net = Network((2, 3, 4, 1), seed=1)
    x = np.random.default_rng(0).normal(size=(2, 5))
    fp = net.forward(x)
    a = x
    for i, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = w @ a + b
        a = 1 / (1 + np.exp(-z))
        np.testing.assert_allclose(fp.zs[i], z, rtol=1e-13)
        np.testing.assert_allclose(fp.activations[i + 1], a, rtol=1e-13)
    np.testing.assert_array_equal(fp.activations[0], x)
    np.testing.assert_array_equal(fp.output, net.predict(x))
    assert fp.output.shape == (1, 5)


def test_cost_is_mean_squared_distance():
    net = Network(seed=2)
    t, pts = heart_curve(30)
    out = net.predict(t)
    assert net.cost(t, pts) == pytest.approx(np.mean(np.sum((out - pts) ** 2, axis=0)), rel=1e-13)


@FAST
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    seed=st.integers(0, 2**16),
    n_points=st.integers(1, 6),
)
def test_gradients_match_central_differences(sizes, seed, n_points):
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=seed, scale=float(rng.uniform(0.3, 2.0)))
    x = rng.normal(size=(sizes[0], n_points))
    y = rng.uniform(0, 1, size=(sizes[-1], n_points))
    dW, db = net.gradients(x, y)
    assert [g.shape for g in dW] == [w.shape for w in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]
    nW, nb = central_jacobians(net, x, y)
    ours, numerical = flat(dW + db), flat(nW + nb)
    scale = np.max(np.abs(numerical))
    assert scale > 0
    assert np.max(np.abs(ours - numerical)) <= 1e-7 * scale


def test_gradients_do_not_change_the_network():
    net = Network(seed=5)
    before = flat(net.weights + net.biases)
    t, pts = heart_curve(10)
    net.gradients(t, pts)
    np.testing.assert_array_equal(before, flat(net.weights + net.biases))


# --- bad data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, y, err, word",
    [
        (np.zeros(5), np.zeros((2, 5)), ValueError, "x"),
        (np.zeros((2, 5)), np.zeros((2, 5)), ValueError, "x"),
        (np.zeros((1, 5)), np.zeros((3, 5)), ValueError, "y"),
        (np.zeros((1, 5)), np.zeros((2, 4)), ValueError, "columns"),
        (np.full((1, 5), np.nan), np.zeros((2, 5)), ValueError, "x"),
        (np.zeros((1, 5)), np.full((2, 5), np.inf), ValueError, "y"),
        (np.zeros((1, 0)), np.zeros((2, 0)), ValueError, "x"),
        ("t", np.zeros((2, 5)), TypeError, "x"),
    ],
)
@pytest.mark.parametrize("method", ["cost", "gradients", "train"])
def test_bad_data(x, y, err, word, method):
    net = Network()
    args = (x, y, 1, 0.1) if method == "train" else (x, y)
    with pytest.raises(err, match=word):
        getattr(net, method)(*args)


def test_one_dimensional_x_gets_a_hint():
    with pytest.raises(ValueError, match="reshape"):
        Network().predict(np.linspace(0, 1, 5))


def test_broken_parameters_are_named():
    net = Network()
    t, pts = heart_curve(5)
    net.weights[1] = np.zeros((6, 7))
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        net.predict(t)
    net = Network()
    net.biases[2][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"biases\[2\]"):
        net.cost(t, pts)
    net = Network()
    net.weights.pop()
    with pytest.raises(ValueError, match="weight matrices"):
        net.predict(t)


@pytest.mark.parametrize(
    "kwargs, err, word",
    [({"steps": -1}, ValueError, "steps"), ({"steps": 2.0}, TypeError, "steps"), ({"rate": 0.0}, ValueError, "rate"),
     ({"rate": np.nan}, ValueError, "rate"), ({"noise": -0.1}, ValueError, "noise"), ({"snapshot_every": 0}, ValueError, "snapshot_every"),
     ({"snapshot_x": np.zeros((2, 3))}, ValueError, "snapshot_x"), ({"seed": "a"}, TypeError, "seed")],
)
def test_train_bad_arguments(kwargs, err, word):
    t, pts = heart_curve(10)
    args = {"steps": 5, "rate": 1.0} | kwargs
    with pytest.raises(err, match=word):
        Network().train(t, pts, **args)


# --- training ---------------------------------------------------------------------------------


def test_one_step_is_a_gradient_step():
    t, pts = heart_curve(40)
    net = Network(seed=1)
    dW, db = net.gradients(t, pts)
    trained = net.copy()
    res = trained.train(t, pts, steps=1, rate=0.7)
    for i in range(3):
        np.testing.assert_allclose(trained.weights[i], net.weights[i] - 0.7 * dW[i], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(trained.biases[i], net.biases[i] - 0.7 * db[i], rtol=1e-12, atol=1e-15)
    assert res.costs[0] == pytest.approx(net.cost(t, pts), rel=1e-12)
    assert res.costs[1] == pytest.approx(trained.cost(t, pts), rel=1e-12)


def test_many_steps_match_repeated_gradient_steps():
    x = np.random.default_rng(0).normal(size=(3, 7))
    y = np.random.default_rng(1).uniform(size=(2, 7))
    net = Network((3, 4, 2), seed=2)
    slow = net.copy()
    for _ in range(25):
        dW, db = slow.gradients(x, y)
        slow.weights = [w - 0.3 * g for w, g in zip(slow.weights, dW)]
        slow.biases = [b - 0.3 * g for b, g in zip(slow.biases, db)]
    net.train(x, y, 25, 0.3)
    np.testing.assert_allclose(flat(net.weights + net.biases), flat(slow.weights + slow.biases), rtol=1e-10)


def test_noise_scales_each_jacobian_entry_separately():
    t, pts = heart_curve(40)
    net = Network(seed=1)
    dW, db = net.gradients(t, pts)
    trained = net.copy()
    trained.train(t, pts, steps=1, rate=0.5, noise=0.3, seed=7)
    factors = (flat(trained.weights + trained.biases) - flat(net.weights + net.biases)) / (-0.5 * flat(dW + db))
    xi = (factors - 1) / 0.3
    assert np.unique(np.round(xi, 8)).size == xi.size  # a different draw for every entry
    assert abs(xi.mean()) < 0.5 and 0.7 < xi.std() < 1.3  # standard normal draws (77 of them)


def test_training_decreases_the_cost():
    t, pts = heart_curve(50)
    net = Network()
    res = net.train(t, pts, steps=3000, rate=5.0, noise=0.5)
    assert isinstance(res, TrainingResult)
    assert res.costs.shape == (3001,)
    assert res.final_cost == res.costs[-1] == pytest.approx(net.cost(t, pts), rel=1e-12)
    assert res.final_cost < 0.1 * res.costs[0]
    assert res.seconds > 0 and res.steps == 3000 and res.rate == 5.0 and res.noise == 0.5


def test_plain_descent_with_a_small_rate_never_increases_the_cost():
    t, pts = heart_curve(30)
    res = Network(seed=4).train(t, pts, steps=500, rate=0.5)
    assert np.all(np.diff(res.costs) <= 1e-15)


def test_training_is_deterministic():
    t, pts = heart_curve(30)
    runs = [Network(seed=2).train(t, pts, 200, 3.0, noise=1.0, seed=s) for s in (9, 9, 10)]
    np.testing.assert_array_equal(runs[0].costs, runs[1].costs)
    assert not np.array_equal(runs[0].costs, runs[2].costs)


def test_snapshots():
    t, pts = heart_curve(30)
    fine = np.linspace(0, 1, 101).reshape(1, -1)
    net = Network(seed=3)
    before = net.predict(fine)
    res = net.train(t, pts, steps=250, rate=2.0, snapshot_every=100, snapshot_x=fine)
    np.testing.assert_array_equal(res.snapshot_steps, [0, 100, 200, 250])
    assert res.snapshots.shape == (4, 2, 101)
    np.testing.assert_allclose(res.snapshots[0], before, rtol=1e-13)
    np.testing.assert_allclose(res.snapshots[-1], net.predict(fine), rtol=1e-13)
    res = Network(seed=3).train(t, pts, steps=10, rate=2.0)
    np.testing.assert_array_equal(res.snapshot_steps, [0, 10])
    assert res.snapshots.shape == (2, 2, 30)


def test_zero_steps_changes_nothing():
    t, pts = heart_curve(10)
    net = Network()
    before = flat(net.weights + net.biases)
    res = net.train(t, pts, 0, 1.0, noise=1.0)
    np.testing.assert_array_equal(before, flat(net.weights + net.biases))
    assert res.costs.shape == (1,) and res.final_cost == pytest.approx(net.cost(t, pts))


def test_train_does_not_touch_the_data():
    t, pts = heart_curve(10)
    t0, p0 = t.copy(), pts.copy()
    Network().train(t, pts, 10, 1.0, noise=0.5)
    np.testing.assert_array_equal(t, t0)
    np.testing.assert_array_equal(pts, p0)


# --- check_backprop ---------------------------------------------------------------------------


def backprop(net, x, y):
    return net.gradients(x, y)


def test_check_backprop_passes_correct_jacobians(capsys):
    res = check_backprop(backprop)
    assert isinstance(res, BackpropCheck) and res.passed
    assert [c.label for c in res.checks] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert res.worst_relative_error < 1e-8
    out = capsys.readouterr().out
    assert out.startswith("✓ backprop") and "W3" in out


def test_check_backprop_finds_a_missing_factor(capsys):
    def half(net, x, y):
        dW, db = net.gradients(x, y)
        dW[0] = dW[0] / 2
        return dW, db

    res = check_backprop(half)
    assert not res.passed
    assert [c.label for c in res.checks if not c.passed] == ["W1"]
    assert res.checks[0].relative_error == pytest.approx(0.5, rel=1e-6)
    out = capsys.readouterr().out
    assert out.startswith("✗ half: W1 disagrees") and "0.5 times" in out


def test_check_backprop_reports_a_transposed_jacobian():
    def transposed(net, x, y):
        dW, db = net.gradients(x, y)
        dW[1] = dW[1].T
        return dW, db

    res = check_backprop(transposed, verbose=False)
    assert not res.passed
    assert res.checks[2].yours_shape == (6, 7) and res.checks[2].expected_shape == (7, 6)
    assert "transposed" in str(res)


def test_check_backprop_one_layer_on_given_network_and_data(capsys):
    net = Network((2, 3, 3, 1), seed=4)
    x = np.random.default_rng(0).normal(size=(2, 9))
    y = np.random.default_rng(1).uniform(size=(1, 9))

    def layer2(n, xx, yy):
        dW, db = n.gradients(xx, yy)
        return dW[1], db[1].ravel()  # a flat bias Jacobian is accepted

    res = check_backprop(layer2, net, x, y, layer=2, verbose=False)
    assert res.passed and [c.label for c in res.checks] == ["W2", "b2"]
    assert capsys.readouterr().out == ""
    wrong = check_backprop(lambda n, xx, yy: (-n.gradients(xx, yy)[0][1], n.gradients(xx, yy)[1][1]), net, x, y,
                           layer=2, verbose=False)
    assert not wrong.passed and "your function" in str(wrong)


def test_check_backprop_does_not_change_the_network():
    net = Network(seed=8)
    before = flat(net.weights + net.biases)
    check_backprop(backprop, net, verbose=False)
    np.testing.assert_array_equal(before, flat(net.weights + net.biases))


@pytest.mark.parametrize(
    "kwargs, err, word",
    [({"jacobians": 3}, TypeError, "jacobians"), ({"layer": 4}, ValueError, "layer"), ({"layer": 0}, ValueError, "layer"),
     ({"rtol": 0}, ValueError, "rtol"), ({"network": "net"}, TypeError, "network"), ({"x": np.zeros((1, 3))}, ValueError, "both"),
     ({"jacobians": lambda n, x, y: 1.0}, TypeError, "pair"), ({"jacobians": lambda n, x, y: ([1.0], [2.0])}, TypeError, "list of 3"),
     ({"jacobians": lambda n, x, y: (["a"] * 3, ["b"] * 3)}, TypeError, "dW"),
     ({"jacobians": lambda n, x, y: ([np.full((6, 1), np.nan)] * 3, [0] * 3)}, ValueError, "NaN")],
)
def test_check_backprop_bad_input(kwargs, err, word):
    args = {"jacobians": backprop} | kwargs
    with pytest.raises(err, match=word):
        check_backprop(**args, verbose=False)


# --------------------------------------------------------------------------- issue 13


def test_the_subpackage_keeps_every_import_path():
    import mlcalc.neural as neural
    from mlcalc.neural.checking import check_backprop as cb
    from mlcalc.neural.network import Network as N

    assert neural.Network is N and neural.check_backprop is cb
    for name in neural.__all__:
        assert getattr(neural, name) is not None


def test_train_stops_at_divergence_and_keeps_the_last_finite_weights():
    from mlcalc.neural import TrainingDiverged

    t, pts = heart_curve(16)
    net = Network(seed=0)
    with pytest.warns(TrainingDiverged, match="rate"):
        run = net.train(t, pts, 40, 1e300, snapshot_every=10)
    assert run.diverged_at is not None and run.steps == run.diverged_at
    assert len(run.costs) == run.diverged_at + 1 and np.all(np.isfinite(run.costs))
    assert all(np.all(np.isfinite(a)) for a in net.weights + net.biases)
    assert run.snapshot_steps[-1] == run.diverged_at and len(run.snapshots) == len(run.snapshot_steps)
    # a rate that does not diverge reports nothing
    calm = Network(seed=0).train(t, pts, 40, 1.0)
    assert calm.diverged_at is None and calm.steps == 40


def test_public_methods_take_the_fast_path_and_the_slow_one_alike():
    t, pts = heart_curve(16)
    net = Network(seed=3)
    fast = net.gradients(t, pts), net.cost(t, pts)
    slow = net.gradients(t.tolist(), pts.tolist()), net.cost(t.tolist(), pts.tolist())
    for a, b in zip(fast[0][0] + fast[0][1], slow[0][0] + slow[0][1]):
        np.testing.assert_array_equal(a, b)
    assert fast[1] == slow[1]
    net.weights[1][0, 0] = np.inf  # a reader's in-place change is seen
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        net.cost(t, pts)
