"""Benchmark: the scalar autodiff engine of mlcalc.autodiff against vectorised backpropagation.

Run from the repository root:

    python tests/benchmarks/bench_autodiff.py

It prints a Markdown table. The network is the book's (sizes 1 → 6 → 7 → 2, sigmoid in every
layer), the data points of the heart curve, float64 throughout. Times are the best of several
runs (the machine may be shared). The page book/part3-neural-networks/06-automatic-differentiation
quotes only orders of magnitude (its builds must be identical); this script prints the ratios.

Measured:

* agreement: largest |engine − Network.gradients| over every Jacobian entry (goal ≤ 1e-12);
* the scalar engine (graph + backward) against ``Network.gradients`` on 8 and 100 points;
* forward mode (one Dual pass per parameter) against reverse mode (one Value graph + backward);
* a chain of 100 000 multiplications: backward() must not overflow the stack.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable

import numpy as np

from mlcalc.autodiff import Dual, Value, network_cost, network_gradients
from mlcalc.neural import Network, heart_curve

REPEATS = 5


def best(fn: Callable[[], object], repeats: int = REPEATS, inner: int = 1) -> float:
    """Best wall time of one call (seconds), over ``repeats`` runs of ``inner`` calls."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return min(times)


def flat_parameters(net: Network) -> np.ndarray:
    return np.concatenate([a.ravel() for pair in zip(net.weights, net.biases) for a in pair])


def nest(net: Network, numbers: list) -> tuple[list, list]:
    weights, biases, i = [], [], 0
    for w in net.weights:
        rows, cols = w.shape
        weights.append([numbers[i + r * cols : i + (r + 1) * cols] for r in range(rows)])
        i += rows * cols
        biases.append(numbers[i : i + rows])
        i += rows
    return weights, biases


def main() -> int:
    print("# bench_autodiff — scalar reverse/forward mode vs vectorised backpropagation, network 1 → 6 → 7 → 2\n")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs; "
          f"Python {platform.python_version()}, numpy {np.__version__}.\n")
    net = Network(seed=0)
    rows: list[tuple[str, str, str]] = []

    worst = 0.0
    for seed in range(5):
        trial = Network(seed=seed)
        t, pts = heart_curve(100)
        dW, db, _ = network_gradients(trial, t, pts)
        gW, gb = trial.gradients(t, pts)
        worst = max(worst, max(float(np.max(np.abs(a - b))) for a, b in zip(dW + db, gW + gb)))
    rows.append(("largest difference engine − Network.gradients, 5 networks, 100 points", f"{worst:.2g}",
                 "✓ goal ≤ 1e-12" if worst <= 1e-12 else "✗ goal ≤ 1e-12"))

    for n_points in (8, 100):
        t, pts = heart_curve(n_points)
        scalar = best(lambda: network_gradients(net, t, pts), repeats=3)
        vector = best(lambda: net.gradients(t, pts), inner=200)
        nodes = network_gradients(net, t, pts)[2]
        rows.append((f"scalar engine, {n_points} points ({nodes:,} nodes)", f"{scalar * 1e3:.2f} ms", ""))
        rows.append((f"Network.gradients, {n_points} points", f"{vector * 1e6:.1f} µs",
                     f"scalar / vectorised = {scalar / vector:.0f}×"))

    t, pts = heart_curve(8)
    flat = flat_parameters(net)

    def forward_mode() -> None:
        for k in range(flat.size):
            network_cost(*nest(net, [Dual(v, 1.0 if j == k else 0.0) for j, v in enumerate(flat)]), t, pts)

    def reverse_mode() -> None:
        network_cost(*nest(net, [Value(v) for v in flat]), t, pts).backward()

    fwd = best(forward_mode, repeats=3)
    rev = best(reverse_mode, repeats=3)
    rows.append((f"forward mode, {flat.size} passes (8 points)", f"{fwd * 1e3:.1f} ms", ""))
    rows.append(("reverse mode, 1 graph + backward (8 points)", f"{rev * 1e3:.2f} ms", f"forward / reverse = {fwd / rev:.0f}×"))

    x = Value(1.0)
    y = x
    t0 = time.perf_counter()
    for _ in range(100_000):
        y = y * 1.00001
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    y.backward()
    back = time.perf_counter() - t0
    error = abs(x.grad - 1.00001**100_000) / 1.00001**100_000
    rows.append(("chain of 100 000 products: build / backward", f"{build:.2f} s / {back:.2f} s",
                 f"no RecursionError; relative error {error:.1g}"))

    print("| measurement | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
