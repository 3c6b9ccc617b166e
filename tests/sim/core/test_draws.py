"""The hot paths' scalar draws (:mod:`sim.core.draws`) are NumPy's: compiled or not, the
same numbers as the ``Generator`` methods, the generator left in the same state, and the
same errors for what NumPy refuses."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core import draws
from sim.core.draws import (
    checked_pvals,
    gamma,
    multinomial_rows,
    poisson_each,
    seeded_uniforms,
    shuffled_range,
    uniforms,
)
from sim.core.streams import Streams

FIXTURE = HealthCheck.function_scoped_fixture  # `twin` patches a module: the same each input
seeds = st.integers(0, 2**63)
means = st.lists(st.one_of(st.just(0.0), st.floats(0.0, 12.0), st.floats(9.0, 1e6)), max_size=10)
factors = st.floats(0.0, 3.0)


def _pair(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    return np.random.default_rng(seed), np.random.default_rng(seed)


def _same_state(a: np.random.Generator, b: np.random.Generator) -> bool:
    return a.bit_generator.state == b.bit_generator.state


@pytest.fixture(params=["compiled", "python"])
def twin(request, monkeypatch):
    """Run a test with the compiled draws, then with the Python twins."""
    if request.param == "compiled" and draws.draws_core is None:
        pytest.skip("the compiled draws are not built, or not wanted")
    if request.param == "python":
        monkeypatch.setattr(draws, "draws_core", None)
    return request.param


@settings(max_examples=150, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=seeds, means=means, a=factors, b=factors)
def test_poisson_draws_are_numpys(twin, seed, means, a, b) -> None:
    ours, numpy = _pair(seed)
    got = poisson_each(ours, means, a, b)
    assert got == [numpy.poisson(m * a * b) for m in means]
    assert [type(x) for x in got] == [int] * len(means)
    assert _same_state(ours, numpy)


@settings(max_examples=100, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=seeds, shape=st.floats(0.0, 1e4), scale=st.floats(0.0, 10.0))
def test_gamma_draws_are_numpys(twin, seed, shape, scale) -> None:
    ours, numpy = _pair(seed)
    assert gamma(ours, shape, scale) == float(numpy.gamma(shape, scale))
    assert _same_state(ours, numpy)


@settings(max_examples=50, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=seeds, n=st.integers(0, 300))
def test_uniform_draws_are_numpys(twin, seed, n) -> None:
    ours, numpy = _pair(seed)
    got = uniforms(ours, n)
    assert got == numpy.random(n).tolist() and all(type(u) is float for u in got)
    assert _same_state(ours, numpy)


@settings(max_examples=80, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=seeds, n=st.integers(-2, 200))
def test_a_shuffled_range_is_numpys_shuffle_of_a_list(twin, seed, n) -> None:
    ours, numpy = _pair(seed)
    expected = list(range(n))
    numpy.shuffle(expected)
    assert shuffled_range(ours, n) == expected
    assert _same_state(ours, numpy)


def test_a_negative_number_of_uniforms_raises_numpys_error(twin) -> None:
    with pytest.raises(ValueError) as theirs:
        np.random.default_rng(3).random(-1)
    with pytest.raises(ValueError, match=str(theirs.value)):
        uniforms(np.random.default_rng(3), -1)


words = st.one_of(st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1))


@settings(max_examples=200, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=words, key=words, entity=words, n=st.integers(0, 70))
def test_a_seeded_streams_uniforms_are_numpys(twin, seed, key, entity, n) -> None:
    sequence = np.random.SeedSequence(seed, spawn_key=(key, entity))
    expected = np.random.default_rng(sequence).random(n).tolist()
    assert seeded_uniforms(seed, key, entity, n) == expected


EDGES = [0, 1, 2**32 - 1, 2**32, 2**32 + 1, 2**33 - 1, 2**63, 2**64 - 1]


@pytest.mark.parametrize("value", EDGES)
def test_word_boundaries_give_numpys_stream(twin, value) -> None:
    for seed, key, entity in ((value, 7, 9), (7, value, 9), (7, 9, value)):
        sequence = np.random.SeedSequence(seed, spawn_key=(key, entity))
        expected = np.random.default_rng(sequence).random(3).tolist()
        assert seeded_uniforms(seed, key, entity, 3) == expected


@pytest.mark.parametrize("seed, key, entity", [(2**64, 1, 2), (3, 2**70, 2), (3, 1, 2**64 + 5)])
def test_seeds_beyond_64_bits_give_numpys_stream_too(twin, seed, key, entity) -> None:
    sequence = np.random.SeedSequence(seed, spawn_key=(key, entity))
    expected = np.random.default_rng(sequence).random(5).tolist()
    assert seeded_uniforms(seed, key, entity, 5) == expected


@pytest.mark.parametrize("seed, entity", [(-1, 2), (3, -2)])
def test_negative_seeds_raise_numpys_error(twin, seed, entity) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        seeded_uniforms(seed, 1, entity, 3)


@settings(max_examples=30, deadline=None, suppress_health_check=[FIXTURE])
@given(seed=st.integers(0, 2**63), entity=st.integers(0, 2**40), n=st.integers(0, 80))
def test_a_streams_uniforms_are_its_generators_first_draws(twin, seed, entity, n) -> None:
    streams = Streams(seed)
    expected = streams.get("antigen_typing", entity).random(n).tolist()
    assert streams.uniforms("antigen_typing", entity, n) == expected


pvals = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30).map(
    lambda w: np.array(w) / max(1.0, sum(w) * 1.0000001)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[FIXTURE])
@given(
    seed=seeds,
    counts=st.lists(st.one_of(st.integers(0, 40), st.integers(0, 10**6)), max_size=6),
    pvals=pvals,
)
def test_multinomial_draws_are_numpys(twin, seed, counts, pvals) -> None:
    ours, numpy = _pair(seed)
    got = multinomial_rows(ours, counts, checked_pvals(pvals))
    expected = numpy.multinomial(counts, pvals)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)
    assert _same_state(ours, numpy)


@pytest.mark.parametrize("mean", [-1.0, float("nan"), float("inf"), 1e20])
def test_a_mean_numpy_refuses_raises_its_error(twin, mean) -> None:
    ours, numpy = _pair(3)
    with pytest.raises(ValueError) as theirs:
        numpy.poisson(mean)
    with pytest.raises(ValueError, match=str(theirs.value)):
        poisson_each(ours, [1.0, mean], 1.0)


def _outcome(draw) -> str:
    """A draw's value, or its error, as text (so that NaN equals NaN)."""
    try:
        return repr(draw())
    except ValueError as error:
        return f"ValueError: {error}"


ODD = [-1.0, 0.0, float("nan"), float("inf"), -float("inf")]


@pytest.mark.parametrize("shape", ODD + [1.0])
@pytest.mark.parametrize("scale", ODD + [1.0])
def test_odd_gamma_parameters_give_numpys_draw_or_error(twin, shape, scale) -> None:
    ours, numpy = _pair(3)
    expected = _outcome(lambda: float(numpy.gamma(shape, scale)))
    assert _outcome(lambda: gamma(ours, shape, scale)) == expected
    assert _same_state(ours, numpy)


def test_a_negative_count_raises_numpys_error(twin) -> None:
    p = checked_pvals(np.array([0.5, 0.5]))
    with pytest.raises(ValueError) as theirs:
        np.random.default_rng(3).multinomial([2, -1], p)
    with pytest.raises(ValueError, match=str(theirs.value)):
        multinomial_rows(np.random.default_rng(3), [2, -1], p)


@pytest.mark.parametrize("bad", [[0.7, 0.6, 0.1], [-0.1, 1.1], [float("nan"), 0.5]])
def test_probabilities_numpy_refuses_are_refused_where_they_are_made(bad) -> None:
    with pytest.raises(ValueError):
        checked_pvals(np.array(bad))


def test_compiled_draws_that_are_not_numpys_are_not_used() -> None:
    honest = draws.draws_core or SimpleNamespace(
        poisson_each=lambda rng, m, a, b: [rng.poisson(x * a * b) for x in m],
        gamma=lambda rng, shape, scale: float(rng.gamma(shape, scale)),
        multinomial_rows=lambda rng, counts, p: rng.multinomial(counts, p),
        uniforms=lambda rng, n: rng.random(n).tolist(),
        seeded_uniforms=lambda seed, key, entity, n: None,
        shuffled_range=draws._shuffled,
    )
    assert draws._agrees(honest)

    def but(**changed) -> SimpleNamespace:
        """``honest`` with the ``changed`` functions."""
        names = ("poisson_each", "gamma", "multinomial_rows", "uniforms", "seeded_uniforms")
        kept = {name: getattr(honest, name) for name in (*names, "shuffled_range")}
        return SimpleNamespace(**{**kept, **changed})

    def off_by_one(rng, m, a, b):
        return [x + 1 for x in honest.poisson_each(rng, m, a, b)]

    def skips_a_draw(rng, shape, scale):
        rng.random()
        return honest.gamma(rng, shape, scale)

    assert not draws._agrees(but(poisson_each=off_by_one))
    assert not draws._agrees(but(gamma=skips_a_draw))
    assert not draws._agrees(but(seeded_uniforms=lambda seed, key, entity, n: [0.5] * n))


def test_the_built_module_draws_numpys_numbers_here() -> None:
    """Where the module is built and wanted it must pass :func:`draws._agrees` (else the
    year silently runs the slower twins)."""
    from sim.core.compiled import built

    assert (built("draws_core", "sim.core") is None) == (draws.draws_core is None)
