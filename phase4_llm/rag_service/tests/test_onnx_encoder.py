"""The ONNX MiniLM encoder against sentence-transformers (the reference) on the same texts."""

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.rag_service.corpus import bbc_documents
from phase4_llm.rag_service.embedding import MiniLMEmbedder


@pytest.mark.slow
def test_onnx_minilm_matches_sentence_transformers(tmp_path):
    pytest.importorskip("onnxruntime")
    docs = bbc_documents(2)
    # short queries, whole paragraphs and over-long texts (truncated at 256 tokens by both)
    texts = ["Who runs the bakery?", "x"] + [d.text[:n] for d in docs for n in (120, 900, 4000)]
    onnx = MiniLMEmbedder(None, backend="onnx")
    onnx.onnx_dir = tmp_path  # a fresh export, not one left in .cache by an earlier run
    ours = onnx.encode(texts)
    ref = MiniLMEmbedder(None, backend="torch").encode(texts)
    # float32: the two runtimes sum in different orders, so a few ulps of the unit vectors
    assert_parity(
        ours,
        ref,
        rtol=0,
        atol=1e-5,
        reference=f"sentence-transformers {reference_version('sentence-transformers')}",
        name="onnx MiniLM vs sentence-transformers",
    )
    assert np.allclose((ours * ref).sum(axis=1), 1.0, atol=1e-5)
