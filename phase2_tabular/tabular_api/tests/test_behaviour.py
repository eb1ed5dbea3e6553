"""Behavioural tests of the trained model (Made-With-ML style): minimum functionality,
invariance and directional expectations, each stated as what a biologist would expect."""

import numpy as np
import pytest

from phase2_tabular.tabular_api.app import to_frame
from phase2_tabular.tabular_api.artifact import load_artifact

ADELIE = {
    "bill_length_mm": 38.8,
    "bill_depth_mm": 18.3,
    "flipper_length_mm": 190.0,
    "body_mass_g": 3700.0,
    "island": "Torgersen",
    "sex": "male",
}
GENTOO = {
    "bill_length_mm": 47.5,
    "bill_depth_mm": 15.0,
    "flipper_length_mm": 217.0,
    "body_mass_g": 5100.0,
    "island": "Biscoe",
    "sex": "male",
}
CHINSTRAP = {
    "bill_length_mm": 48.8,
    "bill_depth_mm": 18.4,
    "flipper_length_mm": 196.0,
    "body_mass_g": 3700.0,
    "island": "Dream",
    "sex": "female",
}


@pytest.fixture(scope="module")
def model(artifact, penguins):
    pipe = load_artifact(artifact).pipeline
    spec = penguins[1]

    def proba(records):
        return pipe.predict_proba(to_frame(records, spec)), list(pipe.classes_)

    return proba


@pytest.mark.parametrize(
    ("record", "species"), [(ADELIE, "Adelie"), (GENTOO, "Gentoo"), (CHINSTRAP, "Chinstrap")]
)
def test_typical_members_of_each_species_are_recognised(model, record, species):
    p, classes = model([record])
    assert classes[int(p[0].argmax())] == species


def test_a_tenth_of_a_millimetre_does_not_change_the_species(model, records):
    complete = [r for r in records if None not in r.values()]
    nudged = [{**r, "bill_length_mm": r["bill_length_mm"] + 0.1} for r in complete]
    p0, _ = model(complete)
    p1, _ = model(nudged)
    assert np.mean(p0.argmax(1) == p1.argmax(1)) >= 0.99


def test_the_sex_field_barely_matters_for_species(model, records):
    complete = [r for r in records if None not in r.values()]
    flipped = [{**r, "sex": "female" if r["sex"] == "male" else "male"} for r in complete]
    p0, _ = model(complete)
    p1, _ = model(flipped)
    assert np.mean(p0.argmax(1) == p1.argmax(1)) >= 0.95


def test_a_missing_sex_is_handled_like_an_unknown_not_an_error(model):
    p, classes = model([{**ADELIE, "sex": None}])
    assert classes[int(p[0].argmax())] == "Adelie"


def test_longer_flippers_make_gentoo_more_likely(model):
    lengths = [185.0, 200.0, 215.0, 230.0]
    p, classes = model([{**ADELIE, "island": "Biscoe", "flipper_length_mm": f} for f in lengths])
    gentoo = p[:, classes.index("Gentoo")]
    assert np.all(np.diff(gentoo) > 0)


def test_longer_bills_make_adelie_less_likely(model):
    lengths = [36.0, 40.0, 44.0, 48.0]
    p, classes = model([{**ADELIE, "island": "Dream", "bill_length_mm": b} for b in lengths])
    adelie = p[:, classes.index("Adelie")]
    assert np.all(np.diff(adelie) < 0)
