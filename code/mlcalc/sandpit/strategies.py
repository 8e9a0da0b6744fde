r"""Strategies for the Sandpit and a scorer: how well does a ``next_step`` rule find the bottom?

A **strategy** is a rule ``next_step(probe) -> step``: given what the probe at
:math:`\mathbf p_k` revealed (depth, :math:`\nabla f`, :math:`H`), it returns the displacement
:math:`\Delta\mathbf x_k` to the next probe, :math:`\mathbf p_{k+1} = \mathbf p_k + \Delta\mathbf x_k`
(:func:`~mlcalc.sandpit.game.run` plays it). Four are built in:

* :func:`fixed_length`: :math:`\Delta\mathbf x = -\ell\,\nabla f/\lVert\nabla f\rVert`;
* :func:`gradient_descent`: :math:`\Delta\mathbf x = -\eta\,\nabla f`;
* :func:`newton`: :math:`\Delta\mathbf x = -H^{-1}\nabla f`;
* :func:`hybrid`: the Newton step unless it points uphill (:math:`\nabla f\cdot\Delta\mathbf x \ge 0`)
  or is longer than a limit, else :math:`-\eta\,\nabla f`.

:func:`score` plays a rule from many seeded starts in every scenario with arrows and reports,
per scenario, the success rate, the median number of probes of the successful walks, and how
often the walk ended stuck in a trap (its last probe stuck, by the game's rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validate import as_int, as_positive_scalar, require_callable
from .game import MAX_PROBES, Walk, run
from .landscapes import BOUNDS, SCENARIOS, Landscape, Probe
from .scenarios import as_landscape

__all__ = [
    "Strategy",
    "fixed_length",
    "gradient_descent",
    "newton",
    "hybrid",
    "STRATEGIES",
    "SCORED_SCENARIOS",
    "MEDIAN_AT_LEAST",
    "starts",
    "score",
    "Score",
]

#: The scenarios :func:`score` plays by default: every one whose probes show an arrow.
SCORED_SCENARIOS: tuple[str, ...] = tuple(k for k in SCENARIOS if k != "depth-only")

_MAX_STARTS = 10_000


def _gradient(probe: Any) -> NDArray[np.float64]:
    if not isinstance(probe, Probe):
        raise TypeError(f"probe must be a Probe (what Landscape.probe returns), not {type(probe).__name__}")
    if probe.jacobian is None:
        raise ValueError("probe shows no gradient (a depth-only scenario): this strategy needs the arrow")
    return np.asarray(probe.jacobian, dtype=float)


class Strategy:
    """A named ``next_step`` rule: call it with a :class:`~mlcalc.sandpit.landscapes.Probe`.

    Made by :func:`fixed_length`, :func:`gradient_descent`, :func:`newton` and :func:`hybrid`.
    ``name`` is a short key, ``title`` a label for tables, ``formula`` the step in words.
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """

    def __init__(self, name: str, title: str, formula: str, rule: Callable[[Probe], NDArray[np.float64]]):
        self.name = name
        self.title = title
        self.formula = formula
        self._rule = rule

    def __call__(self, probe: Probe) -> NDArray[np.float64]:
        return self._rule(probe)

    def __repr__(self) -> str:
        return f"Strategy({self.title}: {self.formula})"


def fixed_length(length: float = 0.1) -> Strategy:
    r"""Step a fixed distance straight downhill: :math:`\Delta\mathbf x = -\ell\,\nabla f/\lVert\nabla f\rVert`.

    Where the ground is exactly level (:math:`\nabla f = \mathbf 0`) the step is zero, and the
    walk stalls. Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    ell = as_positive_scalar(length, "length")

    def rule(probe: Probe) -> NDArray[np.float64]:
        g = _gradient(probe)
        norm = float(np.hypot(*g))
        return np.zeros(2) if norm == 0 else -ell * g / norm

    return Strategy("fixed-length", "Fixed length", f"−{ell:g} ∇f/‖∇f‖", rule)


def gradient_descent(eta: float = 0.1) -> Strategy:
    r"""Gradient descent: :math:`\Delta\mathbf x = -\eta\,\nabla f` (long steps on steep sand).

    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    step = as_positive_scalar(eta, "eta")

    def rule(probe: Probe) -> NDArray[np.float64]:
        return -step * _gradient(probe)

    return Strategy("gradient", "Gradient descent", f"−{step:g} ∇f", rule)


def _newton_step(probe: Probe) -> NDArray[np.float64] | None:
    g = _gradient(probe)
    H = np.asarray(probe.hessian, dtype=float)
    det = H[0, 0] * H[1, 1] - H[0, 1] * H[1, 0]
    if not np.isfinite(det) or abs(det) <= 1e-12 * max(1.0, float(np.abs(H).max()) ** 2):
        return None  # H is singular: the quadratic model has no stationary point
    return -np.linalg.solve(H, g)


def newton() -> Strategy:
    r"""The Newton step :math:`\Delta\mathbf x = -H^{-1}\nabla f`: jump to the stationary point of the
    quadratic model :math:`f + \nabla f\cdot\Delta\mathbf x + \tfrac12\Delta\mathbf x^{\mathsf T} H\,\Delta\mathbf x`.

    That point is a minimum of the model only where :math:`H` is positive definite; elsewhere the
    step heads for a saddle or a maximum. Where :math:`H` is singular the step is zero (the walk
    stalls). Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """

    def rule(probe: Probe) -> NDArray[np.float64]:
        s = _newton_step(probe)
        return np.zeros(2) if s is None else s

    return Strategy("newton", "Newton", "−H⁻¹ ∇f", rule)


def hybrid(eta: float = 0.1, max_length: float = 0.3) -> Strategy:
    r"""Newton where it can be trusted, else gradient descent.

    Take :math:`\Delta\mathbf x_N = -H^{-1}\nabla f` when it points downhill,
    :math:`\nabla f\cdot\Delta\mathbf x_N < 0`, and is no longer than ``max_length``; otherwise
    (uphill, too long, or :math:`H` singular) take :math:`-\eta\,\nabla f`.
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    step = as_positive_scalar(eta, "eta")
    limit = as_positive_scalar(max_length, "max_length")

    def rule(probe: Probe) -> NDArray[np.float64]:
        g = _gradient(probe)
        s = _newton_step(probe)
        if s is not None and float(g @ s) < 0 and float(np.hypot(*s)) <= limit:
            return s
        return -step * g

    return Strategy("hybrid", "Hybrid", f"Newton if downhill and ≤ {limit:g} m, else −{step:g} ∇f", rule)


#: The four strategies compared on :doc:`/book/part5-optimisation/04-sandpit-strategies`, with
#: the parameters used there.
STRATEGIES: dict[str, Strategy] = {
    s.name: s for s in (fixed_length(0.1), gradient_descent(0.1), newton(), hybrid(0.1, 0.3))
}


def starts(n: int = 100, seed: int = 0) -> NDArray[np.float64]:
    """``n`` starting points spread uniformly at random over the pit, from ``seed``; shape ``(n, 2)``.

    The same ``n`` and ``seed`` always give the same points (``np.random.default_rng(seed)``),
    and the first ``k`` points of ``starts(n)`` are ``starts(k)``.
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    m = as_int(n, "n", minimum=1)
    if m > _MAX_STARTS:
        raise ValueError(f"n must be at most {_MAX_STARTS}, got {m}")
    s = as_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(s)
    lo, hi = BOUNDS
    return rng.uniform(lo, hi, size=(m, 2))


#: A median over fewer successful walks than this is not printed (:meth:`ScenarioScore.median_text`).
MEDIAN_AT_LEAST: int = 5


@dataclass(frozen=True)
class ScenarioScore:
    """How one rule did in one scenario: its walks, success rate, median probes and stuck rate.

    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """

    scenario: str
    title: str
    walks: tuple[Walk, ...]

    @property
    def n_starts(self) -> int:
        """How many walks were played."""
        return len(self.walks)

    @property
    def success_rate(self) -> float:
        """The fraction of walks that found the deepest point."""
        return sum(w.found for w in self.walks) / len(self.walks)

    @property
    def median_probes(self) -> float | None:
        """The median number of probes of the walks that found the bottom (``None`` if none did)."""
        counts = [w.n_probes for w in self.walks if w.found]
        return float(np.median(counts)) if counts else None

    @property
    def n_found(self) -> int:
        """How many walks found the deepest point (the walks the median rests on)."""
        return sum(w.found for w in self.walks)

    def median_text(self, at_least: int = MEDIAN_AT_LEAST) -> str:
        """The median probes as a table prints it: ``"–"`` if no walk succeeded, and the number of
        successful walks instead of the median when fewer than ``at_least`` succeeded."""
        if self.median_probes is None:
            return "–"
        if self.n_found < at_least:
            return f"– ({self.n_found} walk{'s' if self.n_found != 1 else ''})"
        return f"{self.median_probes:g}"

    @property
    def stuck_rate(self) -> float:
        """The fraction of walks that ended in a trap (:attr:`Walk.trapped <mlcalc.sandpit.game.Walk.trapped>`):
        the last probe is stuck, by the game's rule."""
        return sum(w.trapped for w in self.walks) / len(self.walks)


@dataclass(frozen=True)
class Score:
    """The result of :func:`score`: one :class:`ScenarioScore` per scenario, in order.

    ``score[name]`` is the row of one scenario; ``str(score)`` is a small table.
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """

    rows: tuple[ScenarioScore, ...]
    max_probes: int

    def __getitem__(self, name: str) -> ScenarioScore:
        for row in self.rows:
            if row.scenario == name:
                return row
        raise KeyError(f"no scenario {name!r} in this score; it has {[r.scenario for r in self.rows]}")

    def __str__(self) -> str:
        lines = [f"{'scenario':16s} {'found':>6s} {'median probes':>14s} {'stuck':>6s}"]
        for r in self.rows:
            med = r.median_text()
            lines.append(f"{r.title:16s} {r.success_rate:6.0%} {med:>14s} {r.stuck_rate:6.0%}")
        lines.append(f"({self.rows[0].n_starts} starts per scenario, at most {self.max_probes} probes each)")
        return "\n".join(lines)

    __repr__ = __str__


def _fresh(next_step: Any) -> Callable[[], Callable[[Probe], Any]]:
    if isinstance(next_step, type):  # a class: a fresh rule (with fresh memory) for every walk
        return lambda: require_callable(next_step(), "next_step()")
    rule = require_callable(next_step, "next_step")
    return lambda: rule


def score(
    next_step: Callable[[Probe], Any] | type,
    scenarios: Sequence[str | Landscape] = SCORED_SCENARIOS,
    *,
    n_starts: int = 100,
    seed: int = 0,
    max_probes: int = 100,
) -> Score:
    """Play ``next_step`` from :func:`starts` ``(n_starts, seed)`` in each scenario and score it.

    For every scenario (a name of :data:`~mlcalc.sandpit.landscapes.SCENARIOS` or a
    :class:`~mlcalc.sandpit.landscapes.Landscape`) each start gives one
    :func:`~mlcalc.sandpit.game.run` of at most ``max_probes`` probes. ``next_step`` is a
    rule ``probe -> step``; a *class* is instantiated afresh for every walk, so a rule with
    memory starts each walk clean. Returns a :class:`Score`: success rate, median probes of the
    successful walks (printed only when at least :data:`MEDIAN_AT_LEAST` walks succeeded), and the
    fraction of walks that ended stuck in a trap (:attr:`Walk.trapped <mlcalc.sandpit.game.Walk.trapped>`).
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    make = _fresh(next_step)
    if isinstance(scenarios, (str, Landscape)) or not isinstance(scenarios, Sequence):
        raise TypeError("scenarios must be a list of scenario names or Landscapes")
    if len(scenarios) == 0:
        raise ValueError("scenarios must not be empty")
    lands = [as_landscape(s, name="scenarios entry") for s in scenarios]
    limit = as_int(max_probes, "max_probes", minimum=1)
    if limit > MAX_PROBES:
        raise ValueError(f"max_probes must be at most {MAX_PROBES}, got {limit}")
    points = starts(n_starts, seed)
    rows = []
    for land in lands:
        walks = tuple(run(make(), land, start=p, max_probes=limit) for p in points)
        rows.append(ScenarioScore(land.key, land.title, walks))
    return Score(tuple(rows), limit)
