"""The real SmolLM2-135M served over the chat API: batched answers == transformers generate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import torch
from fastapi.testclient import TestClient


@pytest.mark.slow
def test_smollm2_chat_answers_in_a_batch_equal_transformers_generate():
    from phase4_llm.gpt.smollm2 import cached_smollm2_dir, load_smollm2_reference
    from phase4_llm.gpt.weights import from_hf
    from phase4_llm.serving.models import ServedModel
    from phase4_llm.serving.service import ServingSettings, create_app
    from phase4_llm.serving.text import HFTokenizer

    hf, tok = load_smollm2_reference()
    served = ServedModel("smollm2-135m", from_hf(hf), HFTokenizer(cached_smollm2_dir()), 128)
    settings = ServingSettings(
        model="smollm2-135m", max_model_len=128, kv_cache_budget_mb=32, log_level="WARNING"
    )
    app = create_app(settings, served)
    client = TestClient(app)
    questions = ["What is the capital of France?", "What is 2 + 2?"]

    def ask(q: str) -> dict:
        body = {
            "model": "smollm2-135m",
            "messages": [{"role": "user", "content": q}],
            "max_tokens": 8,
            "temperature": 0,
        }
        return client.post("/v1/chat/completions", json=body).json()

    try:
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(ask, questions))
    finally:
        app.state.engine.stop()
    for q, a in zip(questions, answers, strict=True):
        ids = tok.apply_chat_template(
            [{"role": "user", "content": q}],
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )["input_ids"]
        with torch.no_grad():
            out = hf.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=8,
                do_sample=False,
                pad_token_id=tok.eos_token_id,
            )
        expected = tok.decode(out[0, ids.shape[1] :], skip_special_tokens=True)
        assert a["choices"][0]["message"]["content"] == expected
        assert a["usage"]["prompt_tokens"] == ids.shape[1]
    assert "Paris" in answers[0]["choices"][0]["message"]["content"]
