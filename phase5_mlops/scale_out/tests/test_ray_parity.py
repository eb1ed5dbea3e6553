"""Ray tasks (and Ray Data) give the single-process results: tuning scores and predictions."""

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase2_tabular.tabular_api.artifact import load_artifact
from phase5_mlops.scale_out.batch_inference import (
    predict_ray,
    predict_ray_data,
    predict_single,
    synthetic_penguins,
)
from phase5_mlops.scale_out.parity import checks
from phase5_mlops.scale_out.ray_local import local_ray
from phase5_mlops.scale_out.tuning import best, random_configs, tune_ray, tune_serial

SKLEARN = reference_version("scikit-learn")
# Ray Data's own context warns about its deprecated options when it is first configured.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")


@pytest.fixture(scope="module")
def ray_cluster():
    """One local 2-CPU Ray cluster for the whole module (start-up costs seconds)."""
    with local_ray(num_cpus=2):
        yield


@pytest.fixture(scope="module")
def pipeline(artifact):
    return load_artifact(artifact).pipeline


def test_every_parity_check_passes(ray_cluster):
    results = checks()
    assert len(results) == 6
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed


def test_random_search_on_ray_equals_the_serial_search(ray_cluster):
    configs = random_configs(3, seed=7)
    serial, parallel = tune_serial(configs, seed=3), tune_ray(configs, seed=3)
    assert [t.config for t in parallel] == configs
    # Exact: same seed, same folds, one BLAS thread per trial, so the same float operations.
    assert_parity(
        [t.fold_scores for t in parallel],
        [t.fold_scores for t in serial],
        reference=f"{SKLEARN} (serial)",
        exact=True,
        name="ray random search",
    )
    assert best(parallel).config == best(serial).config


@pytest.mark.parametrize(("rows", "chunks"), [(5_000, 1), (5_000, 3), (3, 7)])
def test_ray_tasks_predict_what_one_process_predicts(ray_cluster, pipeline, rows, chunks):
    table = synthetic_penguins(rows, seed=rows)
    labels, proba = predict_ray(pipeline, table, n_chunks=chunks)
    np.testing.assert_array_equal(labels, pipeline.predict(table))
    # Probabilities are row-wise: chunking changes no float operation, hence rtol 1e-12.
    assert_parity(proba, predict_single(pipeline, table)[1], reference=SKLEARN, rtol=1e-12)


def test_ray_data_predicts_what_one_process_predicts_in_order(ray_cluster, pipeline):
    table = synthetic_penguins(6_000, seed=11)
    labels, proba = predict_ray_data(pipeline, table, batch_size=1_000)
    np.testing.assert_array_equal(labels, pipeline.predict(table))
    assert_parity(proba, predict_single(pipeline, table)[1], reference=SKLEARN, rtol=1e-12)


@pytest.mark.parametrize("predict", [predict_ray, predict_ray_data])
def test_an_empty_table_is_refused_before_ray_is_touched(pipeline, predict):
    with pytest.raises(ValueError, match="empty"):
        predict(pipeline, synthetic_penguins(10).iloc[:0])
