"""SmolLM2 under the answer schema: the schema admits exactly answers citing given passages,
the model's JSON maps to a cited answer, and the pipeline falls back only when it fails."""

import json

import jsonschema
import pytest

from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.rag_service.constrained_llm import answer_schema, to_generated
from phase4_llm.rag_service.embedding import HashingEmbedder
from phase4_llm.rag_service.generators import Generated
from phase4_llm.rag_service.pipeline import Document, RAGPipeline


def test_the_schema_admits_only_citations_of_the_given_passages():
    auto = JsonAutomaton(answer_schema(3))
    assert auto.accepts('{"answer": "1,200", "citations": [1, 3]}')
    assert auto.accepts('{"answer":"Tom Reyes","citations":[2]}')
    assert not auto.accepts('{"answer": "1,200", "citations": [4]}')  # no passage 4
    assert not auto.accepts('{"answer": "1,200", "citations": []}')  # must cite
    assert not auto.accepts('{"answer": "", "citations": [1]}')  # must answer
    assert not auto.accepts('{"citations": [1], "answer": "x"}')  # fixed order
    # every text the automaton accepts is valid under the schema for jsonschema too
    text = '{"answer": "x", "citations": [1, 2, 3]}'
    assert auto.accepts(text)
    jsonschema.validate(json.loads(text), answer_schema(3))


def test_model_json_becomes_a_cited_answer_with_its_short_span():
    gen = to_generated('{"answer": "Tom Reyes", "citations": [2, 1]}', 2)
    assert gen.cited == [1, 2] and gen.short_answer == "Tom Reyes"
    assert gen.text == "Tom Reyes [1][2]"
    assert to_generated('{"answer": "x", "citations"', 2).cited == []  # cut off: fallback


class Failing:
    """A generator whose constraint failed: no citation."""

    name = "failing"

    def generate(self, query: str, contexts: list[str]) -> Generated:
        return Generated("", [], extra={"constraint": "budget"})


class Answering:
    name = "answering"

    def generate(self, query: str, contexts: list[str]) -> Generated:
        return to_generated('{"answer": "the Nile", "citations": [1]}', len(contexts))


@pytest.mark.parametrize(("gen", "fallback"), [(Failing(), True), (Answering(), False)])
def test_pipeline_falls_back_to_extractive_only_when_the_constraint_fails(tmp_path, gen, fallback):
    p = RAGPipeline(tmp_path, HashingEmbedder(), gen)
    p.upsert([Document("nile", "The Nile is the longest river in Africa. It flows north.")])
    p.min_evidence = 0.0
    ans = p.query("Which is the longest river in Africa?")
    assert ans.citations[0]["chunk_id"] == "nile#0"
    assert ans.confidence.get("fallback", 0.0) == float(fallback)
    assert ans.short_answer == ("Nile" if fallback else "the Nile")
    p.close()


@pytest.mark.slow
def test_smollm2_constrained_answer_is_always_schema_valid():
    from phase4_llm.rag_service.constrained_llm import ConstrainedSmolLM2Generator

    gen = ConstrainedSmolLM2Generator(max_new_tokens=40)
    ctx = [
        "Harbour Foods said it would shut its bakery in Leith.",
        "Harbour Foods employs 1,200 people across Scotland.",
    ]
    prompt = gen.prompt_ids("How many people does Harbour Foods employ?", ctx)
    text, accepted, _ = gen.decode(prompt, len(ctx))
    assert accepted, text
    jsonschema.validate(json.loads(text), answer_schema(len(ctx)))
    out = to_generated(text, len(ctx))
    assert out.cited and set(out.cited) <= {1, 2}
