"""Loading and chunking: offsets, token bounds, structure, HTML/Markdown cleaning."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from phase4_llm.rag_service.chunking import count_tokens, load_text, split_chunks, split_sentences


def test_html_is_cleaned_of_scripts_styles_and_keeps_headings_and_title():
    html = (
        "<html><head><title>Page</title><style>p{color:red}</style></head><body>"
        "<h2>Section</h2><p>First para.</p><script>alert(1)</script>"
        "<p>Second &amp; last.</p></body></html>"
    )
    text, title = load_text(html, "html")
    assert title == "Page"
    assert text == "## Section\n\nFirst para.\n\nSecond & last."


def test_markdown_links_and_emphasis_are_reduced_to_text():
    text, title = load_text("# Title\n\nSee **the** [docs](http://x.y) and `code`.", "markdown")
    assert title == "Title"
    assert text == "# Title\n\nSee the docs and code."


def test_chunks_follow_headings_and_keep_exact_offsets():
    text = "# A\n\npara one.\n\n# B\n\npara two. more words here."
    chunks = split_chunks("d", text, max_tokens=50, overlap=5)
    assert [c.title for c in chunks] == ["A", "B"]
    for c in chunks:
        assert text[c.start : c.end] == c.text


def test_long_paragraph_is_windowed_with_overlap_and_bounded():
    sents = [f"Sentence number {i} talks about topic {i}." for i in range(40)]
    text = " ".join(sents)
    chunks = split_chunks("d", text, max_tokens=40, overlap=10)
    assert len(chunks) > 3
    assert all(count_tokens(c.text) <= 40 for c in chunks)
    assert any(a.end > b.start for a, b in itertools.pairwise(chunks)), "windows should overlap"
    covered = "".join(text[c.start : c.end] for c in chunks)
    assert all(s in covered for s in sents), "no sentence may be lost"


def test_split_sentences_example():
    assert split_sentences("A b. C d.\nE f!") == ["A b.", "C d.", "E f!"]


@given(st.lists(st.text(alphabet="abc XYZ.\n#", min_size=0, max_size=80), min_size=1, max_size=8))
def test_every_chunk_is_a_bounded_slice_of_the_text(parts):
    text, _ = load_text("\n\n".join(parts), "text")
    for c in split_chunks("d", text, max_tokens=20, overlap=4):
        assert text[c.start : c.end] == c.text
        assert count_tokens(c.text) <= 20
