"""Training the network of Part 3: steepest descent with optional noise, written for speed."""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_scalar, as_int, as_positive_scalar, as_seed
from .activation import _sigmoid_inplace, _sigmoid_raw

__all__ = ["TrainingResult", "TrainingDiverged", "MAX_STEPS", "MAX_SNAPSHOT_VALUES"]

Array = NDArray[np.float64]

#: The most steps one call of :meth:`~mlcalc.neural.Network.train` takes (one cost is kept per step).
MAX_STEPS: int = 10_000_000
#: The most numbers the snapshots of one training run may hold (160 MB).
MAX_SNAPSHOT_VALUES: int = 20_000_000

_vdot = np.vdot
_isfinite = math.isfinite


class TrainingDiverged(RuntimeWarning):
    """Warned by :meth:`~mlcalc.neural.Network.train` when the descent diverges.

    Training stops at that step and the network keeps its last finite parameters. Turn it
    into an error with ``warnings.simplefilter("error", TrainingDiverged)``.

    Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
    """


@dataclass(frozen=True)
class TrainingResult:
    r"""What :meth:`Network.train` returns.

    ``costs[k]`` is the cost after ``k`` steps (so ``costs[0]`` is the cost before training
    and ``costs[-1]`` after the last step); ``snapshot_steps[j]`` is a step count and
    ``snapshots[j]`` the network's outputs on the snapshot inputs at that moment, of shape
    ``(sizes[-1], number of snapshot points)``. ``seconds`` is the wall time of the loop.
    ``diverged_at`` is ``None``, or the step at which the descent diverged and stopped (then
    ``costs`` ends at that step and ``steps`` counts the steps actually taken).

    Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
    """

    costs: Array = field(repr=False)
    snapshot_steps: NDArray[np.int64] = field(repr=False)
    snapshots: Array = field(repr=False)
    seconds: float
    steps: int
    rate: float
    noise: float
    diverged_at: int | None = None

    @property
    def final_cost(self) -> float:
        """The cost after the last step."""
        return float(self.costs[-1])



def train_loop(
    sizes: tuple[int, ...],
    ws: Sequence[Array],
    bs: Sequence[Array],
    xa: Array,
    ya: Array,
    xs: Array,
    *,
    steps: int,
    rate: float,
    noise: float,
    seed: int,
    snapshot_every: int | None,
) -> tuple[list[Array], list[Array], TrainingResult]:
    """The loop of :meth:`~mlcalc.neural.Network.train` on checked data and parameters.

    Returns the new weights and biases and the :class:`TrainingResult`.
    """
    n_steps = as_int(steps, "steps", minimum=0, maximum=MAX_STEPS)
    eta = as_positive_scalar(rate, "rate")
    nu = as_finite_scalar(noise, "noise")
    if nu < 0:
        raise ValueError(f"noise must be non-negative, got {nu}")
    rng = np.random.default_rng(as_seed(seed))
    every = None if snapshot_every is None else as_int(snapshot_every, "snapshot_every", minimum=1, maximum=MAX_STEPS)
    n_snaps = 2 + (0 if every is None else n_steps // every)
    if n_snaps * sizes[-1] * xs.shape[1] > MAX_SNAPSHOT_VALUES:
        raise ValueError(
            f"snapshot_every={every} would keep {n_snaps:,} snapshots of {sizes[-1] * xs.shape[1]:,} numbers, "
            f"more than {MAX_SNAPSHOT_VALUES:,}; take snapshots less often (or on fewer snapshot_x points)"
        )

    n_layers = len(ws)
    n_points = xa.shape[1]
    shapes = [(w.shape, b.shape) for w, b in zip(ws, bs)]
    n_params = sum(w.size + b.size for w, b in zip(ws, bs))
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
    acts = [np.ascontiguousarray(xa)] + [np.empty((n, n_points)) for n in sizes[1:]]
    acts_T = [a.T for a in acts]
    deltas = [np.empty((n, n_points)) for n in sizes[1:]]
    slopes = [np.empty((n, n_points)) for n in sizes[1:]]
    W_T = [w.T for w in W]
    a_out, d_out, s_out = acts[-1], deltas[-1], slopes[-1]
    diff = np.empty((sizes[-1], n_points))
    costs = np.empty(n_steps + 1)
    last_params = np.empty(n_params)
    diverged_at = None

    snap_steps = sorted({0, n_steps} | (set(range(0, n_steps, every)) if every else set()))
    snapshots = np.empty((len(snap_steps), sizes[-1], xs.shape[1]))
    snap_index = 0
    next_snap = snap_steps[0]

    base = -eta * 2.0 / n_points
    block = max(1, min(n_steps, 4_000_000 // (8 * n_params)))
    factors: Array | float = base
    row = block  # forces a draw at the first step

    t0 = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):  # exp(-z) may overflow to inf: sigma is then 0, correctly
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
            np.copyto(last_params, params)
            np.add(params, grads, out=params)
            if not _isfinite(_vdot(params, params)):  # NaN, inf or |θ| > ~1e154: keep the last weights
                np.copyto(params, last_params)
                diverged_at = step
                break
    seconds = time.perf_counter() - t0

    costs /= n_points
    taken = n_steps
    if diverged_at is not None:
        taken = diverged_at
        costs = costs[: diverged_at + 1]
        kept = [i for i, s in enumerate(snap_steps) if s <= diverged_at and i < snap_index]
        if not kept or snap_steps[kept[-1]] != diverged_at:
            snapshots[len(kept)] = _predict_with(W, B, xs)
            snap_steps = [snap_steps[i] for i in kept] + [diverged_at]
            kept.append(len(kept))
        else:
            snap_steps = [snap_steps[i] for i in kept]
        snapshots = snapshots[: len(kept)]
        warnings.warn(
            f"training diverged at step {diverged_at} of {n_steps} with rate {eta:g}: a parameter "
            "became NaN or too large for float64 (beyond about 1e154, where its square overflows). "
            "Training stopped there and the network keeps its last finite weights; try a smaller rate.",
            TrainingDiverged,
            stacklevel=3,
        )
    result = TrainingResult(
        costs=costs,
        snapshot_steps=np.array(snap_steps, dtype=np.int64),
        snapshots=snapshots,
        seconds=seconds,
        steps=taken,
        rate=eta,
        noise=nu,
        diverged_at=diverged_at,
    )
    return [w.copy() for w in W], [b.copy() for b in B], result


def _predict_with(ws: Sequence[Array], bs: Sequence[Array], x: Array) -> Array:
    a = x
    with np.errstate(over="ignore", invalid="ignore"):
        for w, b in zip(ws, bs):
            a = _sigmoid_inplace(w @ a + b)
    return a
