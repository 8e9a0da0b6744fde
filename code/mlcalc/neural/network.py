"""The network of Part 3: its parameters, forward pass, cost and backpropagation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, as_positive_scalar, as_seed
from .activation import _sigmoid_raw
from .training import TrainingResult, train_loop

__all__ = ["ForwardPass", "Network"]

Array = NDArray[np.float64]

#: Limits on a network's size: this is a teaching network in numpy, not a framework.
MAX_LAYERS: int = 100
MAX_WIDTH: int = 100_000
MAX_PARAMETERS: int = 10_000_000
#: The largest ``scale`` of the initial weights.
MAX_SCALE: float = 1e6

_F64 = np.dtype(np.float64)
_vdot = np.vdot
_isfinite = math.isfinite


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


def _as_sizes(sizes: Any) -> tuple[int, ...]:
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of layer sizes such as (1, 6, 7, 2), not {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layers (input and output), got {tuple(sizes)}")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"sizes must list at most {MAX_LAYERS} layers, got {len(sizes)}")
    out = tuple(as_int(s, f"sizes[{i}]", minimum=1, maximum=MAX_WIDTH) for i, s in enumerate(sizes))
    count = sum(a * b + b for a, b in zip(out[:-1], out[1:]))
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"sizes {out} give {count:,} parameters, more than the {MAX_PARAMETERS:,} this small "
            "numpy network is meant for"
        )
    return out


def _finite(dW: list[Array], db: list[Array]) -> tuple[list[Array], list[Array]]:
    """``(dW, db)`` if every entry is finite, else a ``ValueError`` (weights too large for float64)."""
    total = 0.0
    for g in dW + db:
        total += _vdot(g, g)
    if not _isfinite(total):
        raise ValueError("the gradients overflowed (an entry is inf or NaN): the weights are too large for float64")
    return dW, db


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
        if s > MAX_SCALE:
            raise ValueError(f"scale must be at most {MAX_SCALE:g} (larger weights overflow the forward pass), got {s:g}")
        rng = np.random.default_rng(as_seed(seed))
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
        """The weights and biases as float64 arrays, after checking their shapes and values.

        The common case (float64 arrays of the right shapes, all finite) costs one shape test
        and one dot product per array; anything else goes through the full check, which
        names the array at fault.
        """
        ws, bs = self.weights, self.biases
        n = self.n_layers
        if type(ws) is list and type(bs) is list and len(ws) == n and len(bs) == n:
            shapes = self._shapes
            for i in range(n):
                w, b = ws[i], bs[i]
                if not (type(w) is np.ndarray and type(b) is np.ndarray and w.dtype == _F64
                        and b.dtype == _F64 and w.shape == shapes[i][0] and b.shape == shapes[i][1]
                        and _isfinite(_vdot(w, w) + _vdot(b, b))):
                    break
            else:
                return ws, bs
        return self._parameters_checked()

    def _parameters_checked(self) -> tuple[list[Array], list[Array]]:
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

    @property
    def _shapes(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return [((n_out, n_in), (n_out, 1)) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]

    def _inputs(self, x: ArrayLike, name: str = "x") -> Array:
        if (type(x) is np.ndarray and x.dtype == _F64 and x.ndim == 2 and x.shape[0] == self.sizes[0]
                and x.shape[1] > 0 and _isfinite(_vdot(x, x))):
            return x
        xa = as_finite_array(x, name)
        if xa.ndim == 1 and self.sizes[0] == 1:
            raise ValueError(
                f"{name} must have shape ({self.sizes[0]}, N), one column per point, got {xa.shape}; "
                f"for N numbers t use t.reshape(1, -1)"
            )
        return as_finite_array(xa, name, shape=(self.sizes[0], None))

    def _targets(self, y: ArrayLike, columns: int) -> Array:
        if not (type(y) is np.ndarray and y.dtype == _F64 and y.ndim == 2 and y.shape[0] == self.sizes[-1]
                and _isfinite(_vdot(y, y))):
            y = as_finite_array(y, "y", shape=(self.sizes[-1], None))
        if y.shape[1] != columns:
            raise ValueError(
                f"x and y must have the same number of columns (points), got {columns} and {y.shape[1]}"
            )
        return y

    def _data(self, x: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
        xa = self._inputs(x)
        return xa, self._targets(y, xa.shape[1])

    # -- the maths -----------------------------------------------------------------------------

    def _activations(
        self, xa: Array, ws: Sequence[Array], bs: Sequence[Array], keep_z: bool = True
    ) -> tuple[list[Array], list[Array]]:
        """Every layer's z and a (exp(-z) may overflow to inf, and then sigma is 0, correctly)."""
        zs, acts = [], [xa]
        with np.errstate(over="ignore", invalid="ignore"):
            for w, b in zip(ws, bs):
                z = w @ acts[-1]
                z += b
                if keep_z:
                    zs.append(z)
                    z = z.copy()
                acts.append(_sigmoid_raw(z))
        if not _isfinite(_vdot(acts[-1], acts[-1])):
            self._overflowed()
        return zs, acts

    def _outputs(self, xa: Array, ws: Sequence[Array], bs: Sequence[Array]) -> list[Array]:
        """Every layer's activation a(0), ..., a(L), without keeping the z's."""
        return self._activations(xa, ws, bs, keep_z=False)[1]

    def _overflowed(self) -> None:
        raise ValueError(
            "the forward pass overflowed (a weighted input is inf or NaN): the weights, biases or "
            "inputs are too large for float64"
        )

    def forward(self, x: ArrayLike) -> ForwardPass:
        r"""Push the columns of ``x`` through the network: :math:`a^{(l)} = \sigma(W^{(l)} a^{(l-1)} + b^{(l)})`.

        Returns a :class:`ForwardPass` with every layer's :math:`z^{(l)}` and :math:`a^{(l)}`.
        Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
        """
        xa = self._inputs(x)
        ws, bs = self._parameters()
        zs, acts = self._activations(xa, ws, bs)
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
        ws, bs = self._parameters()
        diff = self._outputs(xa, ws, bs)[-1] - ya
        return float(_vdot(diff, diff) / xa.shape[1])

    def gradients(self, x: ArrayLike, y: ArrayLike) -> tuple[list[Array], list[Array]]:
        r"""The gradients of the cost with respect to every weight matrix and bias vector.

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
        ws, bs = self._parameters()
        acts = self._outputs(xa, ws, bs)  # the forward pass: a(0) = x, a(1), ..., a(L)
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
        return _finite(dW, db)

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
        r"""Noisy gradient descent on the cost; updates the network in place.

        Each step computes the gradients :math:`G_W = \partial C/\partial W^{(l)}` and
        :math:`G_b = \partial C/\partial b^{(l)}` of :meth:`gradients` for every layer and moves

        .. math:: W^{(l)} \leftarrow W^{(l)} - \eta\, G_W \odot (1 + \nu\,\xi), \qquad
           b^{(l)} \leftarrow b^{(l)} - \eta\, G_b \odot (1 + \nu\,\xi),

        with step size :math:`\eta` = ``rate`` and noise level :math:`\nu` = ``noise``. The
        noise is **elementwise**: every entry of every gradient gets its own fresh standard
        normal draw :math:`\xi` at every step (``np.random.default_rng(seed)``). With
        ``noise=0`` this is plain gradient descent.

        ``snapshot_every=k`` records the outputs on ``snapshot_x`` (default ``x``) after
        0, k, 2k, … steps and after the last; ``None`` records only the start and the end.
        Returns a :class:`TrainingResult`.

        If the descent diverges (a rate too large sends a parameter to NaN or beyond about
        :math:`10^{154}`, where its square overflows), training stops at that step with the
        last finite parameters kept in the network, a :class:`TrainingDiverged` warning names
        the step and the rate, and :attr:`TrainingResult.diverged_at` records the step.

        The loop is the same backpropagation as :meth:`gradients`, written for speed: all
        parameters and gradients live in two flat preallocated buffers, every array operation
        writes into preallocated memory, the factors :math:`-\eta\tfrac{2}{N}(1 + \nu\xi)` are
        drawn for a block of steps at once and one multiply and one add update every parameter.

        Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
        """
        xa, ya = self._data(x, y)
        xs = xa if snapshot_x is None else self._inputs(snapshot_x, "snapshot_x")
        ws, bs = self._parameters()
        weights, biases, result = train_loop(
            self.sizes, ws, bs, xa, ya, xs, steps=steps, rate=rate, noise=noise, seed=seed,
            snapshot_every=snapshot_every,
        )
        self.weights, self.biases = weights, biases
        return result
