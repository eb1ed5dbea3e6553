"""The demo runs end to end (loads MiniLM: slow on a shared CPU)."""

import pytest

from phase4_llm.rag_service.demo import main


@pytest.mark.slow
def test_quick_demo_answers_with_citations_and_forgets_deleted_documents(capsys):
    main(quick=True)
    out = capsys.readouterr().out
    assert "[1]" in out and "never cited again" in out and "store consistent: True" in out
