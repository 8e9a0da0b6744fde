"""Part 6 — regression: Galton's heights, straight-line fits, general least squares, the Gaussian."""
from .data import *  # noqa: F401,F403
from .data import __all__ as _data_all
from .gaussian import *  # noqa: F401,F403
from .gaussian import __all__ as _gaussian_all
from .checks import *  # noqa: F401,F403
from .checks import __all__ as _checks_all
from .least_squares import *  # noqa: F401,F403
from .least_squares import __all__ as _ls_all
from .linear import *  # noqa: F401,F403
from .linear import __all__ as _linear_all

__all__ = [*_data_all, *_linear_all, *_ls_all, *_gaussian_all, *_checks_all]
