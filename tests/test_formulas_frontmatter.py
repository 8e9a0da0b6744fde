"""The formulas of the front-matter page 'Vectors and matrices you need', checked as stated."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

rng = np.random.default_rng(2026)


def test_dot_product_and_angle():  # eq-fm-dot
    for _ in range(20):
        a, b = rng.normal(size=(2, 3))
        assert a @ b == pytest.approx(sum(a[i] * b[i] for i in range(3)))
        cos = np.cos(np.arccos(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))))
        assert a @ b == pytest.approx(np.linalg.norm(a) * np.linalg.norm(b) * cos)
    assert np.array([3.0, 4.0]) @ np.array([-4.0, 3.0]) == 0.0


def test_matrix_vector_and_matrix_products():  # eq-fm-matvec, eq-fm-matmul
    A, B = sp.Matrix(2, 3, sp.symbols("a:6")), sp.Matrix(3, 2, sp.symbols("b:6"))
    x = sp.Matrix(sp.symbols("x:2"))
    for i in range(2):
        assert sp.expand((A * B)[i, 0] - sum(A[i, l] * B[l, 0] for l in range(3))) == 0
    assert sp.expand((A * B) * x - A * (B * x)) == sp.zeros(2, 1)
    y = sp.Matrix(sp.symbols("y:3"))
    assert sp.expand(A * y - sp.Matrix([sum(A[i, j] * y[j] for j in range(3)) for i in range(2)])) == sp.zeros(2, 1)
    # order matters: the page's example
    A2 = np.array([[1.0, 2.0], [0.0, 1.0]])
    B2 = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert not np.allclose(A2 @ B2, B2 @ A2)


def test_transpose_of_product_reverses_order():  # eq-fm-transpose-product
    A, B = sp.Matrix(2, 3, sp.symbols("a:6")), sp.Matrix(3, 4, sp.symbols("b:12"))
    assert sp.expand((A * B).T - B.T * A.T) == sp.zeros(4, 2)


def test_determinant_is_ad_minus_bc_and_the_area_scale():  # eq-fm-det2
    a, b, c, d = sp.symbols("a b c d", real=True)
    assert sp.expand(sp.Matrix([[a, b], [c, d]]).det() - (a * d - b * c)) == 0
    for _ in range(20):
        M = rng.normal(size=(2, 2))
        xs, ys = M @ np.array([[0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]])
        area = 0.5 * abs(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1)))
        assert area == pytest.approx(abs(M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]))


def test_symmetric_eigen_facts():  # eq-fm-eigen and the positive-definite statement
    seen = {"definite": 0, "saddle": 0}
    for k in range(40):
        R = rng.normal(size=(3, 3))
        # half positive definite by construction (R R^T + I), half of mixed sign (R + R^T)
        S = R @ R.T + np.eye(3) if k % 2 == 0 else R + R.T
        values, vectors = np.linalg.eigh(S)
        np.testing.assert_allclose(S @ vectors, vectors * values, atol=1e-12)
        np.testing.assert_allclose(vectors.T @ vectors, np.eye(3), atol=1e-12)  # perpendicular
        assert np.prod(values) == pytest.approx(np.linalg.det(S), rel=1e-9, abs=1e-12)
        xs = rng.normal(size=(500, 3))
        forms = np.einsum("ni,ij,nj->n", xs, S, xs)
        if values.min() > 0:
            seen["definite"] += 1
            assert forms.min() > 0
        if values.min() < 0 < values.max():
            seen["saddle"] += 1
            assert forms.min() < 0 < forms.max()
    assert seen["definite"] >= 10 and seen["saddle"] >= 5, seen  # both branches really ran


def test_diag_and_outer_products():  # eq-fm-diag-outer
    for _ in range(10):
        d, a = rng.normal(size=(2, 4))
        u, v = rng.normal(size=3), rng.normal(size=5)
        np.testing.assert_allclose(np.diag(d) @ a, d * a)
        outer = np.outer(u, v)
        assert outer.shape == (3, 5)
        for i in range(3):
            for j in range(5):
                assert outer[i, j] == u[i] * v[j]
        np.testing.assert_allclose(u[:, None] @ v[None, :], outer)


def test_exercise_saddle_matrix():  # ex-fm-saddle
    S = np.array([[1.0, 2.0], [2.0, 1.0]])
    np.testing.assert_allclose(S @ [1.0, 1.0], 3 * np.array([1.0, 1.0]))
    np.testing.assert_allclose(S @ [1.0, -1.0], -1 * np.array([1.0, -1.0]))
    assert np.array([1.0, 1.0]) @ S @ [1.0, 1.0] == 6.0
    assert np.array([1.0, -1.0]) @ S @ [1.0, -1.0] == -2.0
    assert np.linalg.det(S) == pytest.approx(-3.0)


def test_exercise_shapes():  # ex-fm-shapes
    A, B, x = np.zeros((3, 2)), np.zeros((2, 4)), np.zeros(4)
    assert (A @ B).shape == (3, 4)
    assert (A @ B @ x).shape == (3,)
    assert (x @ B.T).shape == (2,)
    assert (B.T @ A.T).shape == (4, 3)
    with pytest.raises(ValueError):
        B @ A
