"""The study's pieces and, in its shortened form, its headline: LoRA beats zero-shot."""

import numpy as np
import pytest

from phase4_llm.finetune.data import LABELS, load_bbc, split
from phase4_llm.finetune.parity import checks
from phase4_llm.finetune.study import accuracy, log_to_mlflow, macro_f1, run_study


def test_every_parity_check_passes():
    results = checks()
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert len(results) == 5 and not failed, failed


def test_the_corpus_has_every_distinct_article_in_five_topics():
    data = load_bbc()
    assert len(data.texts) == len(set(data.texts)) == 2127  # 2,225 files, 98 exact copies
    assert np.bincount(data.labels).tolist() == [503, 369, 403, 505, 347]
    assert len(LABELS) == 5


def test_vectorised_metrics_agree_with_scikit_learn_on_batches():
    from sklearn.metrics import accuracy_score, f1_score

    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 5, (4, 50)), rng.integers(0, 5, (4, 50))
    for i in range(4):
        assert macro_f1(y[i], p[i]) == pytest.approx(f1_score(y[i], p[i], average="macro"))
    assert np.allclose(accuracy(y, p), [accuracy_score(a, b) for a, b in zip(y, p, strict=True)])


def test_split_sizes():
    train, val, test = split(load_bbc())
    assert (len(train.texts), len(val.texts), len(test.texts)) == (1489, 212, 426)


@pytest.mark.slow
def test_short_study_lora_beats_zero_shot_and_is_logged(tmp_path):
    rows = {r.method.split(" (")[0].split(" r=")[0]: r for r in run_study(quick=True)}
    lora, zero = rows["LoRA"], rows["zero-shot MiniLM"]
    assert lora.accuracy > zero.accuracy and lora.macro_f1 > zero.macro_f1
    assert lora.accuracy_ci[0] <= lora.accuracy <= lora.accuracy_ci[1]
    assert 0 < lora.trainable_params < rows["linear probe"].trainable_params * 200
    assert rows["TF-IDF + logistic regression"].accuracy > 0.9
    run_id = log_to_mlflow(
        list(rows.values()), quick=True, tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}"
    )
    assert len(run_id) == 32
