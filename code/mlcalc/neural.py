r"""Part 3 — a small neural network, its Jacobians by backpropagation, and its training.

A fully connected network with layer sizes :math:`n_0 \to n_1 \to \dots \to n_L` and the
logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` in every layer maps an input column
:math:`a^{(0)} = x` to an output :math:`a^{(L)}` by

.. math:: z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = \sigma\bigl(z^{(l)}\bigr),
   \qquad l = 1, \dots, L.

Training points are the *columns* of an array, so that one matrix product pushes all of them
through a layer at once. The cost is the squared distance between output and target, averaged
over the :math:`N` training points,

.. math:: C = \frac{1}{N}\sum_{k=1}^{N} \bigl\lVert a^{(L)}_k - y_k \bigr\rVert^2 .

Backpropagation finds the Jacobians :math:`\partial C/\partial W^{(l)}` and
:math:`\partial C/\partial b^{(l)}` by the chain rule, from the output layer back: with
:math:`\delta^{(L)} = \tfrac{2}{N}\,(a^{(L)} - y) \odot \sigma'(z^{(L)})` and
:math:`\delta^{(l-1)} = \bigl(W^{(l)\top} \delta^{(l)}\bigr) \odot \sigma'(z^{(l-1)})`,

.. math:: \frac{\partial C}{\partial W^{(l)}} = \delta^{(l)} a^{(l-1)\top}, \qquad
   \frac{\partial C}{\partial b^{(l)}} = \delta^{(l)} \mathbf{1}.

The book's network (sizes 1 → 6 → 7 → 2) learns to draw the heart curve of :func:`heart_curve`.
Python lists are indexed from 0, the maths from 1: ``weights[0]`` is :math:`W^{(1)}`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_finite_array, as_finite_scalar, as_int, as_positive_scalar, require_callable
from .multivariate import gradient

__all__ = [
    "HEART_X_RANGE",
    "HEART_Y_RANGE",
    "sigmoid",
    "sigmoid_derivative",
    "heart_curve",
    "ForwardPass",
    "TrainingResult",
    "Network",
    "LayerCheck",
    "BackpropCheck",
    "check_backprop",
]

Array = NDArray[np.float64]


# ----------------------------------------------------------------------------------------------
# The sigmoid
# ----------------------------------------------------------------------------------------------


def _sigmoid_raw(a: Array) -> Array:
    """Overwrite ``a`` with :math:`\\sigma(a) = 1/(1 + e^{-a})`; for ``a < -709`` the exponential
    overflows to ``inf`` and the result is the correct limit 0, so callers silence overflow."""
    np.negative(a, out=a)
    np.exp(a, out=a)
    np.add(a, 1.0, out=a)
    np.reciprocal(a, out=a)
    return a


def _sigmoid_inplace(a: Array) -> Array:
    """:func:`_sigmoid_raw` with the harmless overflow warning silenced."""
    with np.errstate(over="ignore"):
        return _sigmoid_raw(a)


def sigmoid(z: ArrayLike) -> Array | float:
    r"""The logistic sigmoid :math:`\sigma(z) = \dfrac{1}{1 + e^{-z}}`, elementwise.

    It squashes every real number into :math:`(0, 1)`: :math:`\sigma(0) = \tfrac12`,
    :math:`\sigma(z) \to 1` as :math:`z \to \infty` and :math:`\to 0` as :math:`z \to -\infty`.
    Computed as written, which is accurate to rounding in relative terms for every :math:`z`
    (for :math:`z < -709` the exponential overflows and the result is the correct limit 0).
    Returns a float for a number, else an array of ``z``'s shape.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """
    za = np.array(as_finite_array(z, "z"), dtype=np.float64)
    out = _sigmoid_inplace(za)
    return float(out) if out.ndim == 0 else out


def sigmoid_derivative(z: ArrayLike) -> Array | float:
    r"""The derivative of the sigmoid, :math:`\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr)`.

    It is largest, :math:`\tfrac14`, at :math:`z = 0` and decays like :math:`e^{-|z|}`: a
    neuron whose input is far from zero barely changes when its weights do.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """
    s = np.asarray(sigmoid(z), dtype=np.float64)
    out = s * (1.0 - s)
    return float(out) if out.ndim == 0 else out


# ----------------------------------------------------------------------------------------------
# The heart curve
# ----------------------------------------------------------------------------------------------


def _heart_y_max() -> float:
    # y(θ) = 13 cos θ − 5 cos 2θ − 2 cos 3θ − cos 4θ is a polynomial in c = cos θ:
    # y = −8c⁴ − 8c³ − 2c² + 19c + 4. Its maximum on [−1, 1] is at the real root of
    # y'(c) = −32c³ − 24c² − 4c + 19 (the only one; y(1) = 5 and y(−1) = −17 are smaller).
    roots = np.roots([-32.0, -24.0, -4.0, 19.0])
    c = float(min(roots, key=lambda r: abs(r.imag)).real)
    return float(np.polyval([-8.0, -8.0, -2.0, 19.0, 4.0], c))


#: The range of :math:`x = 16\sin^3\theta` over the closed curve.
HEART_X_RANGE: tuple[float, float] = (-16.0, 16.0)
#: The range of :math:`y = 13\cos\theta - 5\cos 2\theta - 2\cos 3\theta - \cos 4\theta`:
#: the minimum :math:`-17` at :math:`\theta = \pi`, the maximum (about 11.92) at the root
#: of a cubic in :math:`\cos\theta`.
HEART_Y_RANGE: tuple[float, float] = (-17.0, _heart_y_max())


def heart_curve(n: int, *, margin: float = 0.05) -> tuple[Array, Array]:
    r"""Training data for the heart: positions ``t`` of shape ``(1, n)`` and points ``(2, n)``.

    The positions are :math:`t_k = k/n`, :math:`k = 0, \dots, n-1`, evenly spread over
    :math:`[0, 1)`, and with :math:`\theta = 2\pi t` the curve is

    .. math:: x = 16\sin^3\theta, \qquad
       y = 13\cos\theta - 5\cos 2\theta - 2\cos 3\theta - \cos 4\theta .

    Each coordinate is then mapped by its own affine map from the curve's true range
    (:data:`HEART_X_RANGE` :math:`= [-16, 16]` and :data:`HEART_Y_RANGE`
    :math:`= [-17, 11.92\ldots]`) onto :math:`[m, 1 - m]` with :math:`m` = ``margin``, e.g.
    :math:`\tilde x = m + (1 - 2m)\,(x + 16)/32`. The margin keeps every target inside the
    open interval :math:`(0, 1)` that a sigmoid output can reach: with the default
    :math:`m = 0.05` the extreme targets need :math:`z = \pm 2.94`, not :math:`z = \pm\infty`.

    Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
    """
    count = as_int(n, "n", minimum=1)
    m = as_finite_scalar(margin, "margin")
    if not 0.0 <= m < 0.5:
        raise ValueError(f"margin must be in [0, 0.5), got {m}")
    t = np.arange(count, dtype=np.float64).reshape(1, count) / count
    theta = 2.0 * np.pi * t[0]
    x = 16.0 * np.sin(theta) ** 3
    y = 13.0 * np.cos(theta) - 5.0 * np.cos(2 * theta) - 2.0 * np.cos(3 * theta) - np.cos(4 * theta)
    points = np.empty((2, count))
    for row, values, (lo, hi) in ((0, x, HEART_X_RANGE), (1, y, HEART_Y_RANGE)):
        points[row] = m + (1.0 - 2.0 * m) * (values - lo) / (hi - lo)
    return t, points


# ----------------------------------------------------------------------------------------------
# The network
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForwardPass:
    r"""Every layer's weighted input and activation, from :meth:`Network.forward`.

    ``zs[l - 1]`` is :math:`z^{(l)}` and ``activations[l]`` is :math:`a^{(l)}` for
    :math:`l = 1, \dots, L`; ``activations[0]`` is the input :math:`a^{(0)} = x`. Every array
    has one column per point.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """

    zs: list[Array]
    activations: list[Array]

    @property
    def output(self) -> Array:
        """The network's output :math:`a^{(L)}`."""
        return self.activations[-1]


@dataclass(frozen=True)
class TrainingResult:
    r"""What :meth:`Network.train` returns.

    ``costs[k]`` is the cost after ``k`` steps (so ``costs[0]`` is the cost before training
    and ``costs[-1]`` after the last step); ``snapshot_steps[j]`` is a step count and
    ``snapshots[j]`` the network's outputs on the snapshot inputs at that moment, of shape
    ``(sizes[-1], number of snapshot points)``. ``seconds`` is the wall time of the loop.

    Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
    """

    costs: Array = field(repr=False)
    snapshot_steps: NDArray[np.int64] = field(repr=False)
    snapshots: Array = field(repr=False)
    seconds: float
    steps: int
    rate: float
    noise: float

    @property
    def final_cost(self) -> float:
        """The cost after the last step."""
        return float(self.costs[-1])


def _as_sizes(sizes: Any) -> tuple[int, ...]:
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of layer sizes such as (1, 6, 7, 2), not {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layers (input and output), got {tuple(sizes)}")
    return tuple(as_int(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes))


class Network:
    r"""A fully connected network with the logistic sigmoid in every layer.

    Parameters
    ----------
    sizes
        The number of neurons in each layer, input first: the book's network is
        ``(1, 6, 7, 2)``, a position :math:`t` in, a point :math:`(x, y)` out.
    seed
        Seeds ``np.random.default_rng`` for the initial parameters.
    scale
        Every weight and bias starts as an independent draw from the normal distribution
        :math:`\mathcal N(0, \text{scale}^2)`; the default is 1. (Larger weights saturate the
        sigmoids, whose derivative then vanishes; much smaller ones make every neuron alike.)

    Attributes
    ----------
    sizes
        The layer sizes, a tuple of ints.
    weights
        A list of :math:`L` arrays; ``weights[l - 1]`` is :math:`W^{(l)}`, of shape
        ``(sizes[l], sizes[l - 1])``.
    biases
        A list of :math:`L` arrays; ``biases[l - 1]`` is :math:`b^{(l)}`, a column of shape
        ``(sizes[l], 1)``.

    Inputs ``x`` have shape ``(sizes[0], N)`` and targets ``y`` shape ``(sizes[-1], N)``: one
    column per point. You may replace ``weights[i]`` and ``biases[i]`` with arrays of the same
    shape; every method checks them.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """

    def __init__(self, sizes: Sequence[int] = (1, 6, 7, 2), seed: int = 0, *, scale: float = 1.0) -> None:
        self.sizes: tuple[int, ...] = _as_sizes(sizes)
        s = as_positive_scalar(scale, "scale")
        rng = np.random.default_rng(as_int(seed, "seed"))
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            self.weights.append(s * rng.standard_normal((n_out, n_in)))
            self.biases.append(s * rng.standard_normal((n_out, 1)))

    # -- bookkeeping ---------------------------------------------------------------------------

    @property
    def n_layers(self) -> int:
        """The number :math:`L` of layers with weights (the input layer does not count)."""
        return len(self.sizes) - 1

    @property
    def n_parameters(self) -> int:
        """The total number of weights and biases."""
        return sum(a * b + b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, parameters={self.n_parameters})"

    def copy(self) -> Network:
        """An independent copy (the arrays are copied too)."""
        other = Network.__new__(Network)
        other.sizes = self.sizes
        other.weights = [np.array(w, dtype=np.float64) for w in self.weights]
        other.biases = [np.array(b, dtype=np.float64) for b in self.biases]
        return other

    def _parameters(self) -> tuple[list[Array], list[Array]]:
        """The weights and biases as float64 arrays, after checking their shapes and values."""
        if len(self.weights) != self.n_layers or len(self.biases) != self.n_layers:
            raise ValueError(
                f"a network with sizes {self.sizes} needs {self.n_layers} weight matrices and bias "
                f"vectors, but has {len(self.weights)} and {len(self.biases)}"
            )
        ws, bs = [], []
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            ws.append(as_finite_array(self.weights[i], f"weights[{i}]", shape=(n_out, n_in)))
            bs.append(as_finite_array(self.biases[i], f"biases[{i}]", shape=(n_out, 1)))
        return ws, bs

    def _inputs(self, x: ArrayLike, name: str = "x") -> Array:
        xa = as_finite_array(x, name)
        if xa.ndim == 1 and self.sizes[0] == 1:
            raise ValueError(
                f"{name} must have shape ({self.sizes[0]}, N), one column per point, got {xa.shape}; "
                f"for N numbers t use t.reshape(1, -1)"
            )
        return as_finite_array(xa, name, shape=(self.sizes[0], None))

    def _data(self, x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        xa = self._inputs(x)
        ya = as_finite_array(y, "y", shape=(self.sizes[-1], None))
        if ya.shape[1] != xa.shape[1]:
            raise ValueError(
                f"x and y must have the same number of columns (points), got {xa.shape[1]} and {ya.shape[1]}"
            )
        return xa, ya

    # -- the maths -----------------------------------------------------------------------------

    def forward(self, x: ArrayLike) -> ForwardPass:
        r"""Push the columns of ``x`` through the network: :math:`a^{(l)} = \sigma(W^{(l)} a^{(l-1)} + b^{(l)})`.

        Returns a :class:`ForwardPass` with every layer's :math:`z^{(l)}` and :math:`a^{(l)}`.
        Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
        """
        xa = self._inputs(x)
        ws, bs = self._parameters()
        zs, acts = [], [xa]
        for w, b in zip(ws, bs):
            z = w @ acts[-1] + b
            zs.append(z)
            acts.append(_sigmoid_inplace(z.copy()))
        return ForwardPass(zs=zs, activations=acts)

    def predict(self, x: ArrayLike) -> Array:
        r"""The network's output :math:`a^{(L)}` for the columns of ``x``, shape ``(sizes[-1], N)``.

        Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
        """
        return self.forward(x).output

    def cost(self, x: ArrayLike, y: ArrayLike) -> float:
        r"""The mean squared distance :math:`C = \frac1N \sum_k \lVert a^{(L)}_k - y_k \rVert^2`.

        Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
        """
        xa, ya = self._data(x, y)
        diff = self.forward(xa).output - ya
        return float(np.vdot(diff, diff) / xa.shape[1])

    def gradients(self, x: ArrayLike, y: ArrayLike) -> tuple[list[Array], list[Array]]:
        r"""The Jacobians of the cost with respect to every weight matrix and bias vector.

        Backpropagation, for all :math:`N` points at once (one column each):

        .. math::
           \delta^{(L)} = \tfrac{2}{N}\bigl(a^{(L)} - y\bigr) \odot \sigma'(z^{(L)}), \qquad
           \delta^{(l-1)} = \bigl(W^{(l)\top}\delta^{(l)}\bigr) \odot \sigma'(z^{(l-1)}),

        .. math::
           \frac{\partial C}{\partial W^{(l)}} = \delta^{(l)}\, a^{(l-1)\top}, \qquad
           \frac{\partial C}{\partial b^{(l)}} = \sum_{k=1}^{N} \delta^{(l)}_k ,

        with :math:`\sigma'(z^{(l)}) = a^{(l)} \odot (1 - a^{(l)})`. Returns ``(dW, db)``, two
        lists shaped like :attr:`weights` and :attr:`biases`: ``dW[i][j, k]`` is
        :math:`\partial C / \partial W^{(i+1)}_{jk}`.

        Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
        """
        xa, ya = self._data(x, y)
        ws, _ = self._parameters()
        acts = self.forward(xa).activations
        n_points = xa.shape[1]
        a_out = acts[-1]
        delta = (2.0 / n_points) * (a_out - ya) * a_out * (1.0 - a_out)
        dW: list[Array] = [np.empty(0)] * self.n_layers
        db: list[Array] = [np.empty(0)] * self.n_layers
        for i in range(self.n_layers - 1, -1, -1):
            dW[i] = delta @ acts[i].T
            db[i] = delta.sum(axis=1, keepdims=True)
            if i > 0:
                delta = (ws[i].T @ delta) * acts[i] * (1.0 - acts[i])
        return dW, db

    # -- training ------------------------------------------------------------------------------

    def train(
        self,
        x: ArrayLike,
        y: ArrayLike,
        steps: int,
        rate: float,
        *,
        noise: float = 0.0,
        seed: int = 0,
        snapshot_every: int | None = None,
        snapshot_x: ArrayLike | None = None,
    ) -> TrainingResult:
        r"""Stochastic steepest descent on the cost; updates the network in place.

        Each step computes the Jacobians :math:`J_W = \partial C/\partial W^{(l)}` and
        :math:`J_b = \partial C/\partial b^{(l)}` of :meth:`gradients` for every layer and moves

        .. math:: W^{(l)} \leftarrow W^{(l)} - \eta\, J_W \odot (1 + \nu\,\xi), \qquad
           b^{(l)} \leftarrow b^{(l)} - \eta\, J_b \odot (1 + \nu\,\xi),

        with step size :math:`\eta` = ``rate`` and noise level :math:`\nu` = ``noise``. The
        noise is **elementwise**: every entry of every Jacobian gets its own fresh standard
        normal draw :math:`\xi` at every step (``np.random.default_rng(seed)``). With
        ``noise=0`` this is plain gradient descent.

        ``snapshot_every=k`` records the outputs on ``snapshot_x`` (default ``x``) after
        0, k, 2k, … steps and after the last; ``None`` records only the start and the end.
        Returns a :class:`TrainingResult`.

        The loop is the same backpropagation as :meth:`gradients`, written for speed: all
        parameters and Jacobians live in two flat preallocated buffers, every array operation
        writes into preallocated memory, the factors :math:`-\eta\tfrac{2}{N}(1 + \nu\xi)` are
        drawn for a block of steps at once and one multiply and one add update every parameter.

        Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
        """
        xa, ya = self._data(x, y)
        n_steps = as_int(steps, "steps", minimum=0)
        eta = as_positive_scalar(rate, "rate")
        nu = as_finite_scalar(noise, "noise")
        if nu < 0:
            raise ValueError(f"noise must be non-negative, got {nu}")
        rng = np.random.default_rng(as_int(seed, "seed"))
        every = None if snapshot_every is None else as_int(snapshot_every, "snapshot_every", minimum=1)
        xs = xa if snapshot_x is None else self._inputs(snapshot_x, "snapshot_x")
        ws, bs = self._parameters()

        n_layers = self.n_layers
        n_points = xa.shape[1]
        shapes = [(w.shape, b.shape) for w, b in zip(ws, bs)]
        n_params = self.n_parameters
        params = np.empty(n_params)
        grads = np.empty(n_params)
        W, B, gW, gB = [], [], [], []
        start = 0
        for (w_shape, b_shape), w, b in zip(shapes, ws, bs):
            for arrays, source, shape in ((W, gW, w_shape), (B, gB, b_shape)):
                size = shape[0] * shape[1]
                arrays.append(params[start : start + size].reshape(shape))
                source.append(grads[start : start + size].reshape(shape))
                start += size
            W[-1][...] = w
            B[-1][...] = b
        acts = [np.ascontiguousarray(xa)] + [np.empty((n, n_points)) for n in self.sizes[1:]]
        acts_T = [a.T for a in acts]
        deltas = [np.empty((n, n_points)) for n in self.sizes[1:]]
        slopes = [np.empty((n, n_points)) for n in self.sizes[1:]]
        W_T = [w.T for w in W]
        a_out, d_out, s_out = acts[-1], deltas[-1], slopes[-1]
        diff = np.empty((self.sizes[-1], n_points))
        costs = np.empty(n_steps + 1)

        snap_steps = sorted({0, n_steps} | (set(range(0, n_steps, every)) if every else set()))
        snapshots = np.empty((len(snap_steps), self.sizes[-1], xs.shape[1]))
        snap_index = 0
        next_snap = snap_steps[0]

        base = -eta * 2.0 / n_points
        block = max(1, min(n_steps, 4_000_000 // (8 * n_params)))
        factors: Array | float = base
        row = block  # forces a draw at the first step

        t0 = time.perf_counter()
        with np.errstate(over="ignore"):  # exp(-z) may overflow to inf: sigma is then 0, correctly
            for step in range(n_steps + 1):
                if step == next_snap:
                    snapshots[snap_index] = _predict_with(W, B, xs)
                    snap_index += 1
                    next_snap = snap_steps[snap_index] if snap_index < len(snap_steps) else -1
                # forward pass
                for i in range(n_layers):
                    np.matmul(W[i], acts[i], out=acts[i + 1])
                    np.add(acts[i + 1], B[i], out=acts[i + 1])
                    _sigmoid_raw(acts[i + 1])
                np.subtract(a_out, ya, out=diff)
                costs[step] = np.vdot(diff, diff)
                if step == n_steps:
                    break
                # backward pass: δ⁽ᴸ⁾ = (a − y) ⊙ a ⊙ (1 − a); the factor 2/N is in the step factors
                np.subtract(1.0, a_out, out=s_out)
                np.multiply(diff, a_out, out=d_out)
                np.multiply(d_out, s_out, out=d_out)
                for i in range(n_layers - 1, -1, -1):
                    np.matmul(deltas[i], acts_T[i], out=gW[i])
                    np.add.reduce(deltas[i], axis=1, keepdims=True, out=gB[i])
                    if i > 0:
                        prev, slope = deltas[i - 1], slopes[i - 1]
                        np.matmul(W_T[i], deltas[i], out=prev)
                        np.subtract(1.0, acts[i], out=slope)
                        np.multiply(prev, acts[i], out=prev)
                        np.multiply(prev, slope, out=prev)
                # the update θ ← θ − η (2/N) J ⊙ (1 + ν ξ), for every parameter at once
                if nu > 0:
                    if row == block:
                        count = min(block, n_steps - step)
                        factors = rng.standard_normal((count, n_params))
                        np.multiply(factors, base * nu, out=factors)
                        np.add(factors, base, out=factors)
                        row = 0
                    np.multiply(grads, factors[row], out=grads)  # type: ignore[index]
                    row += 1
                else:
                    np.multiply(grads, base, out=grads)
                np.add(params, grads, out=params)
        seconds = time.perf_counter() - t0

        costs /= n_points
        self.weights = [w.copy() for w in W]
        self.biases = [b.copy() for b in B]
        return TrainingResult(
            costs=costs,
            snapshot_steps=np.array(snap_steps, dtype=np.int64),
            snapshots=snapshots,
            seconds=seconds,
            steps=n_steps,
            rate=eta,
            noise=nu,
        )


def _predict_with(ws: Sequence[Array], bs: Sequence[Array], x: Array) -> Array:
    a = x
    for w, b in zip(ws, bs):
        a = _sigmoid_inplace(w @ a + b)
    return a


# ----------------------------------------------------------------------------------------------
# Checking a reader's Jacobians
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCheck:
    r"""How one Jacobian (of one weight matrix or bias vector) compared with finite differences.

    ``layer`` counts from 1 as in the maths (``weights[layer - 1]``); ``part`` is ``"W"`` or
    ``"b"``. ``error`` is the largest absolute difference, ``relative_error`` that divided by the
    largest entry of the numerical Jacobian, and ``worst_index`` the entry where it occurs.
    When the shapes differ, ``yours_shape != expected_shape`` and the errors are ``inf``.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """

    layer: int
    part: str
    expected_shape: tuple[int, ...]
    yours_shape: tuple[int, ...]
    error: float
    relative_error: float
    worst_index: tuple[int, ...]
    yours_value: float
    numerical_value: float
    passed: bool

    @property
    def label(self) -> str:
        """``"W3"`` or ``"b3"``: the part and the layer."""
        return f"{self.part}{self.layer}"


@dataclass(frozen=True)
class BackpropCheck:
    """The result of :func:`check_backprop`: one :class:`LayerCheck` per Jacobian compared.

    ``passed`` is true when every Jacobian agrees within tolerance. ``str(result)`` is the
    friendly message that :func:`check_backprop` prints.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """

    name: str
    checks: tuple[LayerCheck, ...]
    rtol: float
    passed: bool

    @property
    def worst_relative_error(self) -> float:
        """The largest relative error over every Jacobian compared."""
        return max(c.relative_error for c in self.checks)

    def __str__(self) -> str:
        labels = ", ".join(c.label for c in self.checks)
        if self.passed:
            return (
                f"✓ {self.name}: {labels} agree with finite differences of the cost "
                f"(largest relative difference {self.worst_relative_error:.2g})."
            )
        bad = [c for c in self.checks if not c.passed]
        lines = [
            f"✗ {self.name}: {', '.join(c.label for c in bad)} disagree"
            f"{'s' if len(bad) == 1 else ''} with finite differences of the cost "
            f"(tolerance {self.rtol:.0e} relative).",
            "   Jacobian  shape      worst entry   yours          numerical      relative difference",
        ]
        for c in self.checks:
            shape = "×".join(map(str, c.expected_shape))
            if c.yours_shape != c.expected_shape:
                hint = "  (transposed?)" if c.yours_shape == c.expected_shape[::-1] else ""
                lines.append(
                    f"   {c.label:<9} {shape:<10} your array has shape {c.yours_shape}, "
                    f"expected {c.expected_shape}{hint}"
                )
                continue
            mark = "ok" if c.passed else f"{c.relative_error:.2g}"
            lines.append(
                f"   {c.label:<9} {shape:<10} {str(list(c.worst_index)):<13} {c.yours_value:<14.6g} "
                f"{c.numerical_value:<14.6g} {mark}"
            )
        ratios = [
            c.yours_value / c.numerical_value
            for c in bad
            if c.yours_shape == c.expected_shape and c.numerical_value != 0
        ]
        if ratios and all(abs(r - ratios[0]) < 1e-6 * max(1.0, abs(ratios[0])) for r in ratios):
            lines.append(f"   Hint: yours is {ratios[0]:.4g} times the numerical value; a constant factor is missing?")
        return "\n".join(lines)


def _numerical_jacobian(network: Network, x: Array, y: Array, array: Array) -> Array:
    """Central differences of the cost with respect to every entry of ``array``, one of the
    network's own parameter arrays (changed in place while the cost is evaluated, then restored)."""
    keep = array.copy()

    def cost_at(values: Array) -> float:
        array[...] = values.reshape(array.shape)
        return network.cost(x, y)

    try:
        return gradient(cost_at, keep.reshape(-1)).reshape(array.shape)
    finally:
        array[...] = keep


def check_backprop(
    jacobians: Callable[[Network, Array, Array], Any],
    network: Network | None = None,
    x: ArrayLike | None = None,
    y: ArrayLike | None = None,
    *,
    layer: int | None = None,
    seed: int = 0,
    rtol: float = 1e-6,
    verbose: bool = True,
) -> BackpropCheck:
    r"""Check Jacobians you wrote against central finite differences of the cost.

    Parameters
    ----------
    jacobians
        Your function, called as ``jacobians(network, x, y)``. With ``layer=None`` it returns
        ``(dW, db)``, two lists with one array per layer, shaped like ``network.weights`` and
        ``network.biases`` (as :meth:`Network.gradients` does). With ``layer=l`` it returns
        the pair ``(dW, db)`` for that layer only: :math:`\partial C/\partial W^{(l)}` and
        :math:`\partial C/\partial b^{(l)}`.
    network, x, y
        Where to check. By default the book's network ``Network((1, 6, 7, 2), seed)`` on 16
        points of :func:`heart_curve`.
    layer
        Check one layer, numbered from 1 as in the maths (``weights[layer - 1]``), or all.
    rtol
        A Jacobian passes when its largest difference from the numerical one is at most
        ``rtol`` times the numerical Jacobian's largest entry.

    Each entry of the numerical Jacobian is :math:`\bigl(C(\theta + h) - C(\theta - h)\bigr)/2h`
    with :math:`h = 10^{-5}\max(1, |\theta|)`, about :math:`10^{-10}` relative accuracy here.
    Prints a message that says, for each Jacobian, where and by how much yours disagrees
    (unless ``verbose=False``), and returns a :class:`BackpropCheck`.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """
    require_callable(jacobians, "jacobians")
    tol = as_positive_scalar(rtol, "rtol")
    if network is None:
        net = Network((1, 6, 7, 2), seed=as_int(seed, "seed"))
    elif isinstance(network, Network):
        net = network.copy()
    else:
        raise TypeError(f"network must be a mlcalc.neural.Network, not {type(network).__name__}")
    if (x is None) != (y is None):
        raise ValueError("give both x and y, or neither (then the heart curve is used)")
    if x is None:
        if net.sizes[0] != 1 or net.sizes[-1] != 2:
            raise ValueError(f"give x and y for a network with sizes {net.sizes} (the default data is the heart curve)")
        xa, ya = heart_curve(16)
    else:
        xa, ya = net._data(x, y)
    net._parameters()
    layers = range(1, net.n_layers + 1)
    if layer is not None:
        lay = as_int(layer, "layer", minimum=1)
        if lay > net.n_layers:
            raise ValueError(f"layer must be between 1 and {net.n_layers} for a network with sizes {net.sizes}, got {lay}")
        layers = range(lay, lay + 1)

    returned = jacobians(net.copy(), xa.copy(), ya.copy())
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        want = "(dW, db) for that layer" if layer is not None else "(dW, db), two lists with one array per layer"
        raise TypeError(f"jacobians must return a pair {want}; got {type(returned).__name__}")
    if layer is None:
        dWs, dbs = returned
        for name, value in (("dW", dWs), ("db", dbs)):
            if not isinstance(value, (list, tuple)) or len(value) != net.n_layers:
                raise TypeError(
                    f"jacobians must return {name} as a list of {net.n_layers} arrays (one per layer); "
                    f"to check one layer pass layer=..."
                )
        yours = {(lay, "W"): dWs[lay - 1] for lay in layers} | {(lay, "b"): dbs[lay - 1] for lay in layers}
    else:
        yours = {(layers[0], "W"): returned[0], (layers[0], "b"): returned[1]}

    checks = []
    for lay in layers:
        for part, store in (("W", net.weights), ("b", net.biases)):
            mine = as_finite_array(yours[(lay, part)], f"your d{part} for layer {lay}", allow_empty=True)
            numerical = _numerical_jacobian(net, xa, ya, store[lay - 1])
            if mine.shape != numerical.shape and mine.size == numerical.size and numerical.shape[1] == 1 and mine.ndim == 1:
                mine = mine.reshape(numerical.shape)  # a bias Jacobian given as a flat vector is fine
            if mine.shape != numerical.shape:
                inf = float("inf")
                checks.append(LayerCheck(lay, part, numerical.shape, mine.shape, inf, inf, (), inf, inf, False))
                continue
            err = np.abs(mine - numerical)
            worst = np.unravel_index(int(np.argmax(err)), err.shape)
            size = max(float(np.max(np.abs(numerical))), 1e-12)
            rel = float(err[worst]) / size
            checks.append(
                LayerCheck(
                    layer=lay,
                    part=part,
                    expected_shape=numerical.shape,
                    yours_shape=mine.shape,
                    error=float(err[worst]),
                    relative_error=rel,
                    worst_index=tuple(int(i) for i in worst),
                    yours_value=float(mine[worst]),
                    numerical_value=float(numerical[worst]),
                    passed=rel <= tol,
                )
            )
    fname = getattr(jacobians, "__name__", "jacobians")
    result = BackpropCheck(
        name="your function" if fname == "<lambda>" else fname,
        checks=tuple(checks),
        rtol=tol,
        passed=all(c.passed for c in checks),
    )
    if verbose:
        print(result)
    return result
