r"""The Sandpit: find the deepest point of a hidden pit by probing it (Parts 2 and 5).

One module per idea:

* :mod:`mlcalc.sandpit.landscapes` - the hidden sand :math:`f(x, y)`, what a probe reveals, the
  found/stuck rules;
* :mod:`mlcalc.sandpit.scenarios` - the game's pits and the random pits;
* :mod:`mlcalc.sandpit.game` - playing from Python: :func:`play` by hand, :func:`run` by a
  ``next_step`` rule, :func:`reveal` to draw the pit;
* :mod:`mlcalc.sandpit.strategies` - four ``next_step`` strategies (fixed length, gradient
  descent, Newton, hybrid) and :func:`score`, which plays a rule from many starts;
* :mod:`mlcalc.sandpit.export` - the JSON the browser game and the strategy viewer read.

Everything a page uses is importable from here: ``from mlcalc.sandpit import play, run, score``.
"""

from .export import (
    ARROW_CAP,
    ARROW_MIN_PX,
    BROWSER_GRID,
    BROWSER_RANDOM_SEEDS,
    EXPORT_STEP,
    VIEWER_STARTS,
    arrow_scale,
    browser_data,
    browser_json,
    decode_grid,
    game_html,
    grid_nodes,
    strategy_data,
)
from .game import MAX_PROBES, Sandpit, Walk, play, reveal, run
from .landscapes import (
    BOUNDS,
    FOUND_RADIUS,
    SCENARIOS,
    STATUSES,
    Landscape,
    Probe,
)
from .scenarios import random_pit, scenario
from .strategies import (
    MEDIAN_AT_LEAST,
    SCORED_SCENARIOS,
    STRATEGIES,
    Score,
    ScenarioScore,
    Strategy,
    fixed_length,
    gradient_descent,
    hybrid,
    newton,
    score,
    starts,
)

__all__ = [
    "BOUNDS",
    "FOUND_RADIUS",
    "SCENARIOS",
    "STATUSES",
    "BROWSER_GRID",
    "BROWSER_RANDOM_SEEDS",
    "EXPORT_STEP",
    "VIEWER_STARTS",
    "ARROW_CAP",
    "ARROW_MIN_PX",
    "MEDIAN_AT_LEAST",
    "MAX_PROBES",
    "Landscape",
    "Probe",
    "Sandpit",
    "Walk",
    "scenario",
    "random_pit",
    "play",
    "run",
    "reveal",
    "Strategy",
    "fixed_length",
    "gradient_descent",
    "newton",
    "hybrid",
    "STRATEGIES",
    "SCORED_SCENARIOS",
    "starts",
    "score",
    "Score",
    "ScenarioScore",
    "grid_nodes",
    "arrow_scale",
    "decode_grid",
    "browser_data",
    "strategy_data",
    "browser_json",
    "game_html",
]
