"""LLM evaluation metrics written here: EM/F1, BLEU, ROUGE, perplexity, and a safety screen."""
