"""All five engines give identical features (pandas is the reference), on any event table."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.data_stack.engines import ENGINES, REFERENCE, get_engine
from phase1_foundations.data_stack.features import COLUMNS
from phase1_foundations.data_stack.tables import EventColumns, generate_events, load_states

PANDAS = reference_version("pandas")
OTHERS = [e for e in ENGINES if e != REFERENCE]


def assert_identical(ours, ref):
    # exact=True: integer cents keep every sum exact, and each float column is a single
    # IEEE division of exact integers, so engines must agree bit for bit.
    for column in COLUMNS:
        assert_parity(ours[column], ref[column], reference=PANDAS, exact=True, name=column)


@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("n_rows", [0, 1, 40, 20_000])
def test_engine_equals_pandas_on_seeded_events(engine, n_rows):
    states, events = load_states(), generate_events(n_rows, seed=3)
    assert_identical(get_engine(engine)(events, states), get_engine(REFERENCE)(events, states))


@settings(max_examples=15)
@given(
    rows=st.lists(
        st.tuples(st.integers(-2, 55), st.integers(0, 29), st.integers(1, 10**7)),
        max_size=60,
    ),
)
def test_engines_agree_on_arbitrary_events_including_unknown_states(rows):
    # Codes outside 0..49 have no row in USArrests: the inner join must drop them everywhere.
    arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
    events = EventColumns(arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy())
    states = load_states()
    ref = get_engine(REFERENCE)(events, states, n_days=30)
    for engine in OTHERS:
        assert_identical(get_engine(engine)(events, states, n_days=30), ref)


def test_features_have_expected_meaning_on_a_hand_made_table():
    states = load_states()
    alabama, wyoming = 0, 49
    events = EventColumns(
        np.array([alabama, alabama, alabama, wyoming]),
        np.array([0, 3, 9, 5]),
        np.array([100, 200, 400, 7]),
    )
    out = get_engine("numpy")(events, states, n_days=10)
    assert out["state"].tolist() == ["Alabama", "Wyoming"]
    assert out["n_events"].tolist() == [3, 1]
    assert out["total_cents"].tolist() == [700, 7]
    assert out["max_cents"].tolist() == [400, 7]
    # Days 3..9 form one 7-day window holding 200 + 400.
    assert out["peak_7d_cents"].tolist() == [600, 7]
    assert out["urban_pop"].tolist() == [58, 60]  # from USArrests
    assert out["cents_per_urban_pop"][0] == 700 / 58


def test_unknown_engine_is_rejected():
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("spark")
