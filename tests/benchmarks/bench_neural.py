"""Benchmark: training the book's network with mlcalc.neural, against PyTorch eager on the CPU.

Run from the repository root:

    python tests/benchmarks/bench_neural.py

It prints a Markdown table. The network is the book's (sizes 1 → 6 → 7 → 2, sigmoid in every
layer), the data 100 points of the heart curve, everything in float64. One training step is a
forward pass, the Jacobians of every weight and bias, and the update; "noise" is the stochastic
steepest descent of ``Network.train`` (each Jacobian entry times 1 + noise·N(0, 1)).

PyTorch is optional (it is not a dependency of the book): without it the script prints mlcalc's
own numbers, says what to install, and exits 0. Install the CPU build with
``pip install torch==2.13.0``. The PyTorch step is the idiomatic eager one: forward, ``backward()``,
and an in-place update under ``no_grad``; it does not record the cost (mlcalc records it every step).

It also times a reader's own training loop through the public API (``Network.gradients``,
an in-place update of every weight and bias, ``Network.cost``), input checks included.

Goals: 10 000 steps on 100 points in at most 1 s; at most 0.5× PyTorch's time per step, for
``train`` and for the public-API loop; gradients within 1e-10 of autograd's.

Without PyTorch, the public-API step is compared with the figure recorded in issue 13 on the
machine where ``train`` took 32 µs per step: PyTorch eager took about 297 µs per step there (the
public API's 108 + 70 µs were 0.6× of it). Both mlcalc times are then expressed in units of
``train``'s own step on this machine, so that the comparison survives a slower or busier machine.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import numpy as np

from mlcalc.neural import Network, heart_curve

SIZES = (1, 6, 7, 2)
N_POINTS = 100
STEPS = 10_000
RATE = 5.0
REPEATS = 5
#: Recorded in issue 13: PyTorch eager µs per step, and mlcalc train's µs per step, same machine.
RECORDED_TORCH_US = 297.0
RECORDED_TRAIN_US = 32.0


def time_mlcalc(noise: float) -> float:
    """Best wall time of ``STEPS`` training steps (seconds) over ``REPEATS`` runs."""
    t, pts = heart_curve(N_POINTS)
    Network(SIZES, seed=0).train(t, pts, 500, RATE, noise=noise)  # warm-up
    times = []
    for r in range(REPEATS):
        net = Network(SIZES, seed=0)
        t0 = time.perf_counter()
        net.train(t, pts, STEPS, RATE, noise=noise, seed=r)
        times.append(time.perf_counter() - t0)
    return min(times)


def time_public_api(steps: int = 2_000) -> float:
    """Best wall time (seconds) of one step of a reader's loop through the public API."""
    t, pts = heart_curve(N_POINTS)

    def run(net: Network, k: int) -> None:
        for _ in range(k):
            dW, db = net.gradients(t, pts)
            for w, g in zip(net.weights, dW):
                w -= RATE * g
            for b, g in zip(net.biases, db):
                b -= RATE * g
            net.cost(t, pts)

    run(Network(SIZES, seed=0), 200)  # warm-up
    times = []
    for _ in range(REPEATS):
        net = Network(SIZES, seed=0)
        t0 = time.perf_counter()
        run(net, steps)
        times.append((time.perf_counter() - t0) / steps)
    return min(times)


def blas_threads() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS threads: unknown (threadpoolctl not installed)"
    info = [f"{d.get('internal_api')} {d.get('num_threads')}" for d in threadpool_info() if d.get("user_api") == "blas"]
    return "BLAS threads: " + (", ".join(info) if info else "none found")


def torch_setup(torch, net: Network):
    t, pts = heart_curve(N_POINTS)
    x = torch.tensor(t, dtype=torch.float64)
    y = torch.tensor(pts, dtype=torch.float64)
    Ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net.weights]
    Bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    return x, y, Ws, Bs


def torch_cost(torch, x, y, Ws, Bs):
    a = x
    for W, b in zip(Ws, Bs):
        a = torch.sigmoid(W @ a + b)
    return ((a - y) ** 2).sum() / x.shape[1]


def time_torch(torch, noise: float, threads: int) -> float:
    """Best wall time of ``STEPS`` eager PyTorch steps (from blocks of STEPS/5), with ``threads`` intra-op threads."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, y, Ws, Bs = torch_setup(torch, Network(SIZES, seed=0))
    params = Ws + Bs
    n_steps = STEPS // 5

    def run(k: int) -> None:
        for _ in range(k):
            cost = torch_cost(torch, x, y, Ws, Bs)
            for p in params:
                p.grad = None
            cost.backward()
            with torch.no_grad():
                for p in params:
                    if noise:
                        p.sub_(RATE * p.grad * (1 + noise * torch.randn_like(p)))
                    else:
                        p.sub_(RATE * p.grad)

    run(300)  # warm-up
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        run(n_steps)
        times.append((time.perf_counter() - t0) * STEPS / n_steps)
    return min(times)


def gradient_differences(torch) -> tuple[float, float]:
    """Max |mlcalc − autograd| over every Jacobian entry at 5 random networks, and the largest
    entry, plus the max parameter difference after 1000 noiseless training steps."""
    t, pts = heart_curve(N_POINTS)
    worst = 0.0
    for seed in range(5):
        net = Network(SIZES, seed=seed)
        dW, db = net.gradients(t, pts)
        x, y, Ws, Bs = torch_setup(torch, net)
        torch_cost(torch, x, y, Ws, Bs).backward()
        for ours, p in zip(dW + db, Ws + Bs):
            worst = max(worst, float(np.max(np.abs(ours - p.grad.numpy()))))
    # the same 1000 steps of plain descent in both
    net = Network(SIZES, seed=0)
    x, y, Ws, Bs = torch_setup(torch, net)
    net.train(t, pts, 1000, RATE)
    for _ in range(1000):
        cost = torch_cost(torch, x, y, Ws, Bs)
        for p in Ws + Bs:
            p.grad = None
        cost.backward()
        with torch.no_grad():
            for p in Ws + Bs:
                p.sub_(RATE * p.grad)
    drift = max(float(np.max(np.abs(a - p.detach().numpy()))) for a, p in zip(net.weights + net.biases, Ws + Bs))
    return worst, drift


def main() -> int:
    print(f"# bench_neural — network {' → '.join(map(str, SIZES))}, {N_POINTS} points, float64\n")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs; "
          f"Python {platform.python_version()}, numpy {np.__version__}; {blas_threads()}.\n")
    ours = {noise: time_mlcalc(noise) for noise in (0.0, 1.0)}
    public = time_public_api()
    train_step = ours[0.0] / STEPS
    rows = [
        ("mlcalc: time per step, noise 0", f"{ours[0.0] / STEPS * 1e6:.1f} µs", ""),
        ("mlcalc public API (gradients + update + cost): time per step", f"{public * 1e6:.1f} µs",
         f"{public / train_step:.2f}× train's step"),
        ("mlcalc: time per step, noise 1", f"{ours[1.0] / STEPS * 1e6:.1f} µs", ""),
        (f"mlcalc: {STEPS:,} steps on {N_POINTS} points (noise 1)", f"{ours[1.0]:.3f} s",
         "✓ goal ≤ 1 s" if ours[1.0] <= 1.0 else "✗ goal ≤ 1 s"),
    ]
    try:
        import torch
    except ImportError:
        torch = None
    if torch is None:
        ratio = (public / train_step) * RECORDED_TRAIN_US / RECORDED_TORCH_US
        rows.append(("public API vs PyTorch eager as recorded in issue 13 (in units of train's step)",
                     f"{ratio:.2f}×", f"{'✓' if ratio <= 0.5 else '✗'} goal ≤ 0.5×"))
    if torch is not None:
        default_threads = torch.get_num_threads()
        for threads in sorted({1, default_threads}):
            for noise in (0.0, 1.0):
                theirs = time_torch(torch, noise, threads)
                ratio = ours[noise] / theirs
                rows.append((f"PyTorch {torch.__version__} eager, {threads} thread(s): time per step, noise {noise:g}",
                             f"{theirs / STEPS * 1e6:.1f} µs",
                             f"mlcalc/PyTorch = {ratio:.2f}× {'✓' if ratio <= 0.5 else '✗'} goal ≤ 0.5×"))
                if noise == 0.0:
                    api = public / (theirs / STEPS)
                    rows.append((f"public API vs PyTorch eager, {threads} thread(s)", f"{api:.2f}×",
                                 f"{'✓' if api <= 0.5 else '✗'} goal ≤ 0.5×"))
        torch.set_num_threads(default_threads)
        worst, drift = gradient_differences(torch)
        rows.append(("largest difference mlcalc − autograd over all Jacobian entries (5 networks)", f"{worst:.2g}",
                     "✓ goal ≤ 1e-10" if worst <= 1e-10 else "✗ goal ≤ 1e-10"))
        rows.append(("max parameter difference after 1000 identical plain steps", f"{drift:.2g}", ""))
    print("| measurement | value | note |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if torch is None:
        print("\nPyTorch is not installed, so there is no comparison. For it, run:\n"
              "    pip install torch==2.13.0\n(the CPU build) and run this script again.")
    else:
        print(f"\nmlcalc runs in one Python thread (numpy's BLAS may use more, but not for matrices this "
              f"small); PyTorch measured with torch.set_num_threads(1) and with its default "
              f"({default_threads}). Times are the best of repeated runs (the machine may be shared).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
