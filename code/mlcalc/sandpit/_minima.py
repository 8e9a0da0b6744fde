"""Where a Sandpit landscape's minima are: a grid search refined by local grids and Newton steps.

Private: :class:`~mlcalc.sandpit.landscapes.Landscape` calls :func:`find_minima` once, when it is
made; ``tests/test_sandpit.py`` checks the result against independent denser grids.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

def find_minima(land: Any, xs: NDArray[np.float64], f: NDArray[np.float64]) -> NDArray[np.float64]:
    """Local minima of ``land`` from its values ``f`` on the grid ``xs`` × ``xs`` (rows are y)."""
    padded = np.pad(f, 1, constant_values=np.inf)
    n = f.shape[0]
    is_min = np.ones_like(f, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di == 0 and dj == 0:
                continue
            is_min &= f <= padded[1 + di : 1 + di + n, 1 + dj : 1 + dj + n]
    rows, cols = np.nonzero(is_min)
    h = float(xs[1] - xs[0])
    found: list[NDArray[np.float64]] = []
    for r, c in zip(rows, cols):
        p = _refine(land, float(xs[c]), float(xs[r]), h)
        if p is None:
            continue
        if all(np.hypot(*(p - q)) > 1e-4 for q in found):
            found.append(p)
    if not found:  # pragma: no cover - a continuous function on a square always has a minimum
        raise RuntimeError("no minimum found")
    return np.array(found)


def _refine(land: Any, x0: float, y0: float, h: float) -> NDArray[np.float64] | None:
    """Refine a grid minimum by shrinking local grids, then Newton steps; None if not a minimum."""
    lo, hi = land.bounds
    cx, cy = x0, y0
    half = h  # the grid minimum is no higher than its neighbours: the valley floor is within one spacing
    offsets = np.linspace(-1.0, 1.0, 9)
    for _ in range(30):
        gx = np.clip(cx + half * offsets, lo, hi)
        gy = np.clip(cy + half * offsets, lo, hi)
        X, Y = np.meshgrid(gx, gy)
        F = land.height(X, Y)
        k = int(np.argmin(F))
        cx, cy = float(X.flat[k]), float(Y.flat[k])
        half /= 2.5
    p = np.array([cx, cy])
    interior = lo + 1e-9 < cx < hi - 1e-9 and lo + 1e-9 < cy < hi - 1e-9
    if interior:
        for _ in range(6):
            J = land.jacobian(p[0], p[1])
            H = land.hessian(p[0], p[1])
            if np.any(np.linalg.eigvalsh(H) <= 0):
                break
            step = np.linalg.solve(H, J)
            if np.hypot(*step) > h:
                break
            q = np.clip(p - step, lo, hi)
            # rounding blurs heights near a minimum: accept a step that is not visibly uphill
            if land.height(q[0], q[1]) > land.height(p[0], p[1]) + 1e-13:
                break
            p = q
            if np.hypot(*step) < 1e-15:
                break
    # keep only true local minima: no lower sand on a small circle around p (within the pit)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    for eps in (1e-3, 1e-5):
        rx = np.clip(p[0] + eps * np.cos(angles), lo, hi)
        ry = np.clip(p[1] + eps * np.sin(angles), lo, hi)
        if np.any(land.height(rx, ry) < land.height(p[0], p[1]) - 1e-13):
            return None
    return p
