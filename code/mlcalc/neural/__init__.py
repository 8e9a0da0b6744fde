r"""Part 3 — a small neural network, the gradients of its cost by backpropagation, and its training.

A fully connected network with layer sizes :math:`n_0 \to n_1 \to \dots \to n_L` and the
logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` in every layer maps an input column
:math:`a^{(0)} = x` to an output :math:`a^{(L)}` by

.. math:: z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad a^{(l)} = \sigma\bigl(z^{(l)}\bigr),
   \qquad l = 1, \dots, L.

Training points are the *columns* of an array, so that one matrix product pushes all of them
through a layer at once. The cost is the squared distance between output and target, averaged
over the :math:`N` training points,

.. math:: C = \frac{1}{N}\sum_{k=1}^{N} \bigl\lVert a^{(L)}_k - y_k \bigr\rVert^2 .

Backpropagation finds the gradients :math:`\partial C/\partial W^{(l)}` and
:math:`\partial C/\partial b^{(l)}` by the chain rule, from the output layer back: with
:math:`\delta^{(L)} = \tfrac{2}{N}\,(a^{(L)} - y) \odot \sigma'(z^{(L)})` and
:math:`\delta^{(l-1)} = \bigl(W^{(l)\top} \delta^{(l)}\bigr) \odot \sigma'(z^{(l-1)})`,

.. math:: \frac{\partial C}{\partial W^{(l)}} = \delta^{(l)} a^{(l-1)\top}, \qquad
   \frac{\partial C}{\partial b^{(l)}} = \delta^{(l)} \mathbf{1}.

The book's network (sizes 1 → 6 → 7 → 2) learns to draw the heart curve of :func:`heart_curve`.
Python lists are indexed from 0, the maths from 1: ``weights[0]`` is :math:`W^{(1)}`.

The package has one module per idea: :mod:`~mlcalc.neural.activation` (the sigmoid),
:mod:`~mlcalc.neural.heart` (the training data), :mod:`~mlcalc.neural.network` (the network,
its forward pass and backpropagation), :mod:`~mlcalc.neural.training` (the training loop) and
:mod:`~mlcalc.neural.checking` (checking a reader's gradients). Import everything from
``mlcalc.neural``.
"""

from __future__ import annotations

from .activation import sigmoid, sigmoid_derivative
from .checking import BackpropCheck, LayerCheck, check_backprop
from .heart import HEART_X_RANGE, HEART_Y_RANGE, heart_curve
from .network import ForwardPass, Network
from .training import TrainingDiverged, TrainingResult

__all__ = [
    "HEART_X_RANGE",
    "HEART_Y_RANGE",
    "sigmoid",
    "sigmoid_derivative",
    "heart_curve",
    "ForwardPass",
    "TrainingResult",
    "TrainingDiverged",
    "Network",
    "LayerCheck",
    "BackpropCheck",
    "check_backprop",
]
