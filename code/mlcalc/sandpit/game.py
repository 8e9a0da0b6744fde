r"""Playing the Sandpit from Python: a game probed by hand, a walk chosen by a rule, the reveal.

:func:`play` starts a game (:class:`Sandpit`); :func:`run` lets a ``next_step`` rule choose the
probes and returns the :class:`Walk`; :func:`reveal` draws the whole pit, with the probes of a
game or a walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, require_callable
from .landscapes import BOUNDS, Landscape, Probe, _point
from .scenarios import as_landscape

__all__ = ["Sandpit", "play", "Walk", "run", "reveal", "MAX_PROBES"]

#: The most probes one :func:`run` may take (a guard against a typo such as ``10**9``).
MAX_PROBES: int = 100_000


class Sandpit:
    """A game in Python: probe the hidden pit, count the probes, reveal it at the end.

    >>> game = Sandpit("bowl")          # doctest: +SKIP
    >>> game.probe(0.0, 0.0)            # doctest: +SKIP
    Probe 1 at (0.000, 0.000): depth ... m, downhill −J = (...)

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    def __init__(self, scenario: str | Landscape = "bowl", seed: int | None = None) -> None:
        self.landscape = as_landscape(scenario, seed)
        self.probes: list[Probe] = []

    def __repr__(self) -> str:
        state = "found" if self.found else f"{len(self.probes)} probes so far"
        return f"Sandpit({self.landscape.title!r}: {state})"

    @property
    def found(self) -> bool:
        """Whether some probe has found the deepest point."""
        return any(p.status == "found" for p in self.probes)

    @property
    def n_probes(self) -> int:
        """How many probes have been made."""
        return len(self.probes)

    def probe(self, x: float, y: float) -> Probe:
        """Probe at :math:`(x, y)` (inside the pit) and return what it reveals.

        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        p = self.landscape.probe(x, y, number=len(self.probes) + 1)
        self.probes.append(p)
        return p

    def reset(self) -> None:
        """Forget every probe (the pit stays the same)."""
        self.probes.clear()

    def reveal(self, ax: Any = None) -> Any:
        """Draw the whole pit with every probe marked (see :func:`reveal`); returns the figure."""
        return reveal(self.landscape, probes=self.probes, ax=ax)


def play(scenario: str | Landscape = "bowl", seed: int | None = None) -> Sandpit:
    """Start a game of the Sandpit in Python: ``game = play("bowl"); game.probe(0.2, -0.5)``.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    return Sandpit(scenario, seed)


@dataclass(frozen=True)
class Walk:
    """The probes of one :func:`run`, in order, and how the run ended.

    ``reason`` is ``"found"`` (a probe found the deepest point), ``"max_probes"`` (out of
    probes) or ``"stalled"`` (the rule asked to stay where it was, e.g. a zero step or a step
    that the rim stopped). ``status`` is the status of the last probe.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    landscape: Landscape = field(repr=False)
    probes: tuple[Probe, ...] = field(repr=False)
    reason: str

    @property
    def points(self) -> NDArray[np.float64]:
        """The probed points, shape ``(n, 2)``."""
        return np.array([p.point for p in self.probes])

    @property
    def depths(self) -> NDArray[np.float64]:
        """The depths revealed, shape ``(n,)``."""
        return np.array([p.depth for p in self.probes])

    @property
    def n_probes(self) -> int:
        """How many probes the run used."""
        return len(self.probes)

    @property
    def found(self) -> bool:
        """Whether the run found the deepest point."""
        return self.reason == "found"

    @property
    def trapped(self) -> bool:
        """Whether the walk ended in a trap: its last probe is *stuck*, by the game's own rule
        (:meth:`Landscape.status <mlcalc.sandpit.landscapes.Landscape.status>`): within the found
        radius of a local minimum, with an arrow no longer than that trap's stuck slope. A walk that
        bounces across a trap's bottom inside the ring counts too."""
        return self.probes[-1].status == "stuck"

    @property
    def status(self) -> str:
        """The status of the last probe: ``"found"``, ``"stuck"`` or ``"searching"``."""
        return self.probes[-1].status

    def __str__(self) -> str:
        last = self.probes[-1]
        return (
            f"{self.n_probes} probes on {self.landscape.title!r}, ended {self.reason} "
            f"at ({last.x:.3f}, {last.y:.3f}), depth {last.depth:.3f} m ({last.status})"
        )


def run(
    next_step: Callable[[Probe], ArrayLike],
    scenario: str | Landscape = "bowl",
    start: ArrayLike = (-0.8, 0.8),
    max_probes: int = 50,
    *,
    seed: int | None = None,
) -> Walk:
    r"""Let a rule play the Sandpit: probe, ask ``next_step`` where to go, repeat.

    Starting at ``start``, each round probes the current point :math:`p_k` and stops if it
    has found the deepest point; otherwise it moves to :math:`p_{k+1} = p_k + s_k`, where
    :math:`s_k` = ``next_step(probe)`` is the step your rule returns (two numbers), clipped
    to the pit. Following the arrows with step size :math:`\eta` is
    ``next_step = lambda probe: -eta * probe.gradient``; a rule that needs memory can be an
    object with a ``__call__`` method. The run ends when a probe finds the bottom, after
    ``max_probes`` probes, or when the next point equals the current one (``"stalled"``).

    Returns a :class:`Walk`.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    rule = require_callable(next_step, "next_step")
    land = as_landscape(scenario, seed)
    p = _point(start, "start")
    limit = as_int(max_probes, "max_probes", minimum=1)
    if limit > MAX_PROBES:
        raise ValueError(f"max_probes must be at most {MAX_PROBES}, got {limit}")
    lo, hi = BOUNDS
    probes: list[Probe] = []
    reason = "max_probes"
    for k in range(limit):
        pr = land._probe(float(p[0]), float(p[1]), k + 1)
        probes.append(pr)
        if pr.status == "found":
            reason = "found"
            break
        if k == limit - 1:
            break
        try:
            step = rule(pr)
        except TypeError as exc:
            if pr.jacobian is None and "NoneType" in str(exc):
                raise TypeError(
                    f"next_step failed at probe {k + 1}: this scenario ({land.key!r}) shows no arrow, "
                    f"so probe.jacobian and probe.gradient are None ({exc})"
                ) from None
            raise
        if step is None:
            raise TypeError(f"next_step must return a step (two numbers), but returned None at probe {k + 1}")
        s = as_finite_array(step, f"the step next_step returned at probe {k + 1}", shape=(2,))
        q = np.clip(p + s, lo, hi)
        if np.array_equal(q, p):
            reason = "stalled"
            break
        p = q
    return Walk(land, tuple(probes), reason)


# --------------------------------------------------------------------------------------------
# The reveal figure
# --------------------------------------------------------------------------------------------


def reveal(
    scenario: str | Landscape = "bowl",
    *,
    probes: Sequence[Probe] | Walk | None = None,
    ax: Any = None,
    resolution: int = 201,
    seed: int | None = None,
) -> Any:
    """Draw the whole pit: depth as colour (darker is deeper) with contours, the deepest point
    (a star), the other local minima (open circles) and the probes (dots joined in order,
    numbered where the numbers do not crowd each other). Returns the matplotlib figure.

    ``probes`` is a list of :class:`Probe`, a :class:`Walk`, or ``None``.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    import matplotlib.pyplot as plt

    from ..plotting import COLORS

    land = as_landscape(scenario, seed)
    n = as_int(resolution, "resolution", minimum=11)
    if n > 2001:
        raise ValueError(f"resolution must be at most 2001, got {n}")
    if ax is not None and not hasattr(ax, "imshow"):
        raise TypeError(f"ax must be a matplotlib Axes or None, not {type(ax).__name__}")
    if isinstance(probes, Walk):
        plist: list[Probe] = list(probes.probes)
    elif probes is None:
        plist = []
    else:
        plist = list(probes)
        if not all(isinstance(p, Probe) for p in plist):
            raise TypeError("probes must be a Walk or a list of Probe objects")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 5.0), layout="constrained")
    else:
        fig = ax.figure
    xs = np.linspace(*BOUNDS, n)
    X, Y = np.meshgrid(xs, xs)
    D = land.depth(X, Y)
    img = ax.imshow(
        D, origin="lower", extent=(*BOUNDS, *BOUNDS), cmap="viridis_r", interpolation="bilinear"
    )
    ax.contour(X, Y, D, levels=12, colors="white", linewidths=0.5, alpha=0.6)
    bar = fig.colorbar(img, ax=ax, shrink=0.9)
    bar.set_label("depth (m)")
    if len(land.local_minima):
        ax.plot(*land.local_minima.T, "o", mfc="none", mec=COLORS["sky"], mew=1.6, ms=9, label="local minimum")
    ax.plot(*land.minimum, "*", color=COLORS["orange"], mec=COLORS["ink"], ms=15, label="deepest point")
    if plist:
        pts = np.array([p.point for p in plist])
        ax.plot(*pts.T, "-", color=COLORS["vermillion"], lw=1.2, alpha=0.9)
        ax.plot(*pts.T, "o", color="white", mec=COLORS["vermillion"], mew=1.5, ms=5, label="probe")
        labelled: list[NDArray[np.float64]] = []
        for p in plist:  # number the probes, skipping any that would crowd an earlier label
            if all(np.hypot(*(p.point - q)) >= 0.08 for q in labelled):
                labelled.append(p.point)
                ax.annotate(
                    str(p.number), (p.x, p.y), xytext=(4, 4), textcoords="offset points",
                    fontsize=8, color="white",
                )
    ax.set_xlim(*BOUNDS)
    ax.set_ylim(*BOUNDS)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("$x$ (m)")
    ax.set_ylabel("$y$ (m)")
    ax.set_title(land.title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)  # below: hides no minimum
    return fig
