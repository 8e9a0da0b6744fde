r"""Part 3 — automatic differentiation: a reverse-mode scalar ``Value`` and a forward-mode ``Dual``.

A program built from ``+ - * /``, powers, ``exp``, ``log``, the sigmoid and ``tanh`` is a chain
of elementary operations, each with a derivative we know. Recording every operation as a node of a
*computation graph* and applying the chain rule node by node gives the derivatives of the whole
program, exact up to rounding, with no step :math:`h` and no symbolic algebra.

One module per idea:

* :mod:`mlcalc.autodiff.value` - *reverse mode*: :class:`Value` records each node's parents and
  local derivatives :math:`\partial v/\partial u`; :meth:`Value.backward` walks the graph from the
  output :math:`C` back, accumulating the adjoints
  :math:`\bar u = \partial C/\partial u = \sum_{v \text{ uses } u} \bar v\,\partial v/\partial u`.
  One backward pass gives the derivative of one output with respect to every input.
* :mod:`mlcalc.autodiff.dual` - *forward mode*: :class:`Dual` carries a tangent
  :math:`\dot v = \partial v/\partial x` with each value; one pass per input.
* :mod:`mlcalc.autodiff.network` - the book's network built from Values:
  :func:`network_gradients` reproduces :meth:`mlcalc.neural.Network.gradients`.

Everything is importable from ``mlcalc.autodiff``.
"""

from .dual import Dual
from .network import network_cost, network_gradients
from .value import Value, backward

__all__ = ["Value", "Dual", "backward", "network_cost", "network_gradients"]
