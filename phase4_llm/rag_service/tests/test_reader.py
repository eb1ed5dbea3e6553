"""The reader: how its training pairs are labelled, that training lowers the loss on real
sentences, deterministic scores, and how the pipeline uses a reader's scores."""

import pytest

from phase4_llm.rag_service import reader as reader_module
from phase4_llm.rag_service.eval_set import EvalItem
from phase4_llm.rag_service.pipeline import (
    MIN_EVIDENCE_BY_EMBEDDER,
    MIN_EVIDENCE_WITH_READER,
    Document,
    RAGPipeline,
)
from phase4_llm.rag_service.reader import BACKENDS, RECIPE, load_reader, recipe_key
from phase4_llm.rag_service.train_reader import Pair, label_pool, train


def _item(answers=("£24m",), evidence=("Chelsea paid £24m for Drogba.",)) -> EvalItem:
    return EvalItem(
        "t", "How much did Chelsea pay?", answers, ("d",), bool(answers), evidence=evidence
    )


def test_cache_key_follows_the_training_data_and_the_recipe(monkeypatch):
    """Weights trained on other questions, or by another recipe, live in another folder."""
    shipped = recipe_key()
    assert recipe_key() == shipped  # stable for the same file and recipe
    assert recipe_key({**RECIPE, "epochs": 4}) != shipped
    monkeypatch.setattr(reader_module, "training_data_digest", lambda: "0" * 64)
    assert recipe_key() != shipped


def test_pool_labels_positives_hard_negatives_and_unanswerable_questions():
    pool = [f"Sentence {i} about Chelsea." for i in range(8)]
    pool[2] = "Chelsea paid £24m for Drogba."
    pairs = label_pool(_item(), pool)
    assert [(p.sentence, p.label, p.kind) for p in pairs if p.label] == [(pool[2], 1, "pos")]
    # the five best-ordered sentences without the answer, in the pool's order
    assert [p.sentence for p in pairs if not p.label] == [pool[i] for i in (0, 1, 3, 4, 5)]
    # no pool sentence holds the answer: the written evidence is the positive
    missing = label_pool(_item(), pool[:2])
    assert [(p.sentence, p.kind) for p in missing if p.label] == [
        ("Chelsea paid £24m for Drogba.", "gold")
    ]
    unanswerable = label_pool(_item(answers=(), evidence=()), pool)
    assert [p.label for p in unanswerable] == [0] * 4 and {p.kind for p in unanswerable} == {
        "unans"
    }


def _toy_pairs() -> list[Pair]:
    facts = [
        (
            "Who scored the winner for Wales?",
            "Gavin Henson kicked the late winning penalty.",
            "The crowd at the Millennium Stadium sang throughout.",
        ),
        (
            "How much did the bank lose?",
            "The bank lost £2.3bn in the year to March.",
            "The bank's chairman will step down in June.",
        ),
        (
            "Where is the new factory?",
            "The factory will be built in Trollhattan, Sweden.",
            "Workers were told about the plan on Tuesday.",
        ),
        (
            "When is the ceremony?",
            "The ceremony takes place on 27 February.",
            "The film won praise from critics.",
        ),
    ]
    out = []
    for q, pos, neg in facts:
        out += [Pair(q, pos, 1, "pos"), Pair(q, neg, 0, "neg")]
    return out * 4


def test_a_short_training_run_lowers_the_loss_and_scores_are_deterministic():
    from transformers import AutoTokenizer

    from phase4_llm.common.assets import minilm_path
    from phase4_llm.rag_service.reader import Reader

    model, losses = train(_toy_pairs(), epochs=3, lr=5e-5, batch=8, seed=0, progress=False)
    assert len(losses) == 12
    assert sum(losses[-4:]) / 4 < sum(losses[:4]) / 4
    reader = Reader(model, AutoTokenizer.from_pretrained(str(minilm_path())))
    sents = ["Gavin Henson kicked the late winning penalty.", "The crowd sang throughout."]
    first = reader.score("Who scored the winner for Wales?", sents)
    assert first == reader.score("Who scored the winner for Wales?", sents)
    # alone or padded in a batch, a sentence scores the same
    alone = reader.score("Who scored the winner for Wales?", sents[1:])
    assert alone[0] == pytest.approx(first[1], abs=1e-4)
    assert first[0] > first[1]  # the trained pair is told apart


def test_no_trained_weights_means_no_reader(tmp_path):
    assert load_reader(tmp_path) is None


class _FavourReader:
    """Stands in for a trained reader: favours sentences holding `word`."""

    backend = "torch"

    def __init__(self, word: str) -> None:
        self.word = word
        self.asked: list[list[str]] = []

    def score(self, question: str, sentences: list[str]) -> list[float]:
        self.asked.append(sentences)
        return [5.0 if self.word in s else -5.0 for s in sentences]


def test_the_pipeline_orders_the_pool_and_adds_evidence_with_a_reader(tmp_path):
    from phase4_llm.rag_service.embedding import make_embedder

    doc = Document(
        "a",
        "Series winners\n\nThe first series was won by Steve Brookstein. "
        "The second series was won by Shayne Ward.",
    )
    plain = RAGPipeline(tmp_path / "plain", make_embedder("hashing"))
    plain.upsert([doc])
    assert plain.reader is None
    assert plain.min_evidence == MIN_EVIDENCE_BY_EMBEDDER["hashing-384"]
    reader = _FavourReader("Shayne")
    read = RAGPipeline(tmp_path / "read", make_embedder("hashing"), reader=reader, min_evidence=-9)
    read.upsert([doc])
    q = "Who won the second series?"
    ans = read.query(q)
    assert reader.asked and "Shayne Ward" in ans.answer.split(".")[0]
    assert ans.confidence["reader"] == 5.0 and "read" in ans.latency_ms
    base = plain.candidates(q)
    assert read.candidates(q).order()[0].sentence.startswith("The second series")
    assert base.reads == [] and "reader" not in plain.query(q).confidence
    default = RAGPipeline(tmp_path / "d", make_embedder("minilm-int8"), reader=reader)
    # each backend has its own threshold, and the service offers exactly those backends
    assert default.min_evidence == MIN_EVIDENCE_WITH_READER["torch"]
    reader.backend = "int8"
    int8 = RAGPipeline(tmp_path / "i", make_embedder("minilm-int8"), reader=reader)
    assert int8.min_evidence == MIN_EVIDENCE_WITH_READER["int8"]
    assert set(MIN_EVIDENCE_WITH_READER) == set(BACKENDS)
    from typing import get_args

    from phase4_llm.rag_service.service import RagSettings

    assert get_args(RagSettings.model_fields["reader_backend"].annotation) == BACKENDS


@pytest.fixture(scope="module")
def trained_folder(tmp_path_factory):
    """A reader folder holding weights from a short training run on the toy pairs."""
    import torch

    model, _ = train(_toy_pairs(), epochs=3, lr=5e-5, batch=8, seed=0, progress=False)
    folder = tmp_path_factory.mktemp("reader")
    torch.save(model.state_dict(), folder / "weights.pt")
    return folder


def test_onnx_backends_read_like_torch(trained_folder):
    """The fused fp32 graph gives torch's logits; the int8 one stays close and keeps every
    trained pair's order (the int8 reader has its own decline threshold for the rest)."""
    import numpy as np

    readers = {b: load_reader(trained_folder, backend=b) for b in BACKENDS}
    assert {b: r.backend for b, r in readers.items()} == {b: b for b in BACKENDS}
    by_question: dict[str, list[str]] = {}
    for p in _toy_pairs()[:8]:
        by_question.setdefault(p.question, []).append(p.sentence)
    # an extra, longer sentence pads the others: the graphs must mask padding as torch does
    for q, pair in by_question.items():
        sents = [*pair, "Officials said the decision, announced on Monday, surprised many."]
        got = {b: np.array(r.score(q, sents)) for b, r in readers.items()}
        assert np.allclose(got["onnx"], got["torch"], atol=1e-3)
        assert np.abs(got["int8"] - got["torch"]).max() < 0.5
        assert got["int8"][0] > got["int8"][1]  # the positive above its negative
        assert readers["int8"].score(q, []) == []
    graphs = sorted(p.name for p in trained_folder.glob("*.onnx"))
    assert len(graphs) == 2 and any(g.endswith("-int8.onnx") for g in graphs)


def test_new_weights_get_new_graphs_and_unknown_backends_are_refused(trained_folder, tmp_path):
    import shutil

    from phase4_llm.rag_service.reader import reader_graph

    first = reader_graph(trained_folder, "onnx")
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(trained_folder / "weights.pt", folder / "weights.pt")
    (folder / "weights.pt").touch()  # retrained: same size, new mtime
    (folder / first.name).write_bytes(b"a stale graph must not be read")
    second = reader_graph(folder, "onnx")
    assert second.name != first.name and second.stat().st_size > 1000
    with pytest.raises(ValueError, match="unknown reader backend"):
        load_reader(trained_folder, backend="fp16")
    with pytest.raises(ValueError, match="no ONNX graph"):
        reader_graph(trained_folder, "torch")


class _FixedReader:
    """Scores sentences holding a key of `scores` with its value, others 0."""

    backend = "int8"

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def score(self, question: str, sentences: list[str]) -> list[float]:
        return [next((v for k, v in self.scores.items() if k in s), 0.0) for s in sentences]


def test_with_a_reader_the_quoted_runners_up_follow_its_order(tmp_path):
    from phase4_llm.rag_service.embedding import make_embedder

    doc = Document(
        "a",
        "Series winners\n\nThe first series was won by Steve Brookstein. "
        "The second series was won by Shayne Ward. The third series was won by Leona Lewis.",
    )
    q = "Who won the second series?"
    answers = {}
    for name, reader in {
        "sure": _FixedReader({"Shayne": 40.0, "Steve": -40.0, "Leona": -40.0}),
        "unsure": _FixedReader({}),  # every sentence 0: the order is the rules'
    }.items():
        pipe = RAGPipeline(
            tmp_path / name, make_embedder("hashing"), reader=reader, min_evidence=-9
        )
        pipe.upsert([doc])
        answers[name] = pipe.query(q).answer
    # far ahead of the others (4.0 apart in the order's score, margin 1.0): quoted alone
    assert answers["sure"] == "The second series was won by Shayne Ward. [1]"
    # all within the margin: the two runners-up join the quote, the best first
    assert answers["unsure"].startswith("The second series was won by Shayne Ward. [1]")
    assert "Steve Brookstein" in answers["unsure"] and "Leona Lewis" in answers["unsure"]


def test_close_runners_are_the_next_two_within_the_margin():
    from phase4_llm.rag_service.answer_choice import close_runners
    from phase4_llm.rag_service.answer_span import Choice

    c = [Choice(1, f"s{i}", "", "other", 0.0, 0.0, False) for i in range(4)]
    scored = [(c[0], 3.0), (c[1], 2.5), (c[2], 1.9), (c[3], 2.9)]
    assert close_runners(scored, 1.0) == [c[1]]  # s2 is 1.1 below; s3 is past the first three
    assert close_runners(scored, 1.2) == [c[1], c[2]]
    assert close_runners([], 1.0) == [] and close_runners(scored[:1], 1.0) == []
