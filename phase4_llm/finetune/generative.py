"""SmolLM2-135M-Instruct answering a topic question, prompted zero-shot or tuned with our LoRA.

A prompt is the model's chat template around one user turn (the question, the five topic
words, the article cut to `max_tokens` tokens); the answer is the topic word and the
end-of-turn token. Two ways to read the model's choice:

- label likelihood: the topic whose answer tokens have the highest summed log-probability
  (always one of the five);
- greedy answer: the text the model writes when decoding greedily, parsed for a topic word
  (anything else counts as invalid, hence wrong).

Training is LoRA on the attention projections with the loss on the answer tokens only: the
prompt tokens get the ignore label -100, as in instruction tuning.
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from phase4_llm.finetune.data import LABELS
from phase4_llm.gpt.smollm2 import cached_smollm2_dir
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, trainable_parameters

QUESTION = (
    "Which topic is this BBC News article about? Answer with one word: "
    "business, entertainment, politics, sports or tech.\n\nArticle: {article}"
)
END_OF_TURN = "<|im_end|>"
IGNORE = -100  # the label cross-entropy skips (torch's and transformers' default)
ALIASES = {"sport": "sports"}  # a greedy "Sport" answers the question; accept it


def load_smollm2() -> tuple[nn.Module, Any]:
    """(model, tokenizer): the packaged SmolLM2-135M-Instruct in fp32, eval mode, offline."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = str(cached_smollm2_dir())  # dequantises the packaged GGUF once (~20 s)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype="float32").eval()
    return model, AutoTokenizer.from_pretrained(folder)


def user_message(tokenizer: Any, article: str, max_tokens: int) -> str:
    """The question, with the article cut to its first `max_tokens` tokens."""
    ids = tokenizer(article, add_special_tokens=False).input_ids[:max_tokens]
    return QUESTION.format(article=tokenizer.decode(ids).strip())


def prompt_ids(tokenizer: Any, article: str, max_tokens: int) -> list[int]:
    """Token ids of the chat prompt for one article, ending where the assistant's answer
    starts (SmolLM2's template adds its default system turn)."""
    messages = [{"role": "user", "content": user_message(tokenizer, article, max_tokens)}]
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return list(tokenizer(text, add_special_tokens=False).input_ids)


def answer_ids(tokenizer: Any, label: str) -> list[int]:
    """Token ids of the assistant's answer: the topic word and the end-of-turn token."""
    return list(tokenizer(label + END_OF_TURN, add_special_tokens=False).input_ids)


def training_example(
    tokenizer: Any, article: str, label: str, max_tokens: int
) -> tuple[list[int], list[int]]:
    """(input ids, target ids): prompt + answer, with every prompt position set to IGNORE."""
    prompt, answer = prompt_ids(tokenizer, article, max_tokens), answer_ids(tokenizer, label)
    return prompt + answer, [IGNORE] * len(prompt) + answer


def collate(examples: list[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded `input_ids`, `attention_mask` and `labels` (IGNORE on padding)."""
    width = max(len(ids) for ids, _ in examples)
    ids = torch.full((len(examples), width), pad_id)
    labels = torch.full((len(examples), width), IGNORE)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, (tokens, targets) in enumerate(examples):
        ids[row, : len(tokens)] = torch.as_tensor(tokens)
        labels[row, : len(targets)] = torch.as_tensor(targets)
        mask[row, : len(tokens)] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def answer_loss(model: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean next-token cross-entropy over the answer tokens only.

    The vocabulary projection (576 x 49,152, a fifth of the forward pass) runs only at the
    few positions that predict an answer token, not at every prompt position.
    """
    hidden = model.model(
        input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
    ).last_hidden_state
    targets = batch["labels"][:, 1:]  # position t predicts token t + 1
    keep = targets != IGNORE
    logits = model.lm_head(hidden[:, :-1][keep])
    return nn.functional.cross_entropy(logits.float(), targets[keep])


@dataclass
class TrainResult:
    """A LoRA-tuned model and what it cost."""

    model: nn.Module
    trainable: int
    total: int
    seconds: float
    steps: int


def train_lora(
    model: nn.Module,
    tokenizer: Any,
    texts: list[str],
    labels: np.ndarray,
    *,
    steps: int,
    max_tokens: int,
    batch_size: int = 8,
    lr: float = 2e-3,
    rank: int = 8,
    targets: tuple[str, ...] = ("q_proj", "v_proj"),
    seed: int = 0,
) -> TrainResult:
    """Add our LoRA to `model` (in place) and train it on shuffled batches with AdamW."""
    if not texts or len(texts) != len(labels):
        raise ValueError(f"need as many labels as texts (> 0), got {len(texts)}, {len(labels)}")
    if steps < 1 or batch_size < 1:
        raise ValueError(f"steps and batch_size must be positive, got {steps}, {batch_size}")
    torch.manual_seed(seed)
    apply_lora(model, LoRAConfig(target_modules=list(targets), r=rank, alpha=2 * rank))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    rng = np.random.default_rng(seed)
    order = np.concatenate(
        [rng.permutation(len(texts)) for _ in range(steps * batch_size // len(texts) + 1)]
    )
    model.train()
    start = time.perf_counter()
    bar = tqdm(range(steps), desc="SmolLM2 LoRA", unit="step", disable=None, leave=False)
    for step in bar:
        ids = order[step * batch_size : (step + 1) * batch_size]
        examples = [
            training_example(tokenizer, texts[i], LABELS[labels[i]], max_tokens) for i in ids
        ]
        loss = answer_loss(model, collate(examples, tokenizer.pad_token_id))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    seconds = time.perf_counter() - start
    model.eval()
    trainable, total = trainable_parameters(model)
    return TrainResult(model, trainable, total, seconds, steps)


@dataclass
class Predictions:
    """Per article: the label-likelihood choice, the greedy choice (-1: invalid), the text."""

    likelihood: np.ndarray
    greedy: np.ndarray
    answers: list[str]


@torch.no_grad()
def predict(
    model: nn.Module,
    tokenizer: Any,
    texts: list[str],
    max_tokens: int,
    *,
    batch_size: int = 16,
    max_new_tokens: int = 4,
) -> Predictions:
    """Both readings of the model's answer for every article, in batches of prompts.

    Each prompt is read once: its key/value cache serves both the five scored answers and
    the greedy continuation. Four new tokens hold every topic word; the parser reads only
    the first word of the answer.
    """
    chosen, greedy, answers = [], [], []
    starts = range(0, len(texts), batch_size)
    for start in tqdm(starts, desc="SmolLM2 answers", unit="batch", disable=None, leave=False):
        prompts = [prompt_ids(tokenizer, t, max_tokens) for t in texts[start : start + batch_size]]
        scores, words = _read_batch(model, tokenizer, prompts, max_new_tokens)
        chosen += scores.argmax(1).tolist()
        answers += [tokenizer.decode(w).strip() for w in words]
    greedy = [parse_answer(a) for a in answers]
    return Predictions(np.asarray(chosen), np.asarray(greedy), answers)


@torch.no_grad()
def label_logprobs(
    model: nn.Module, tokenizer: Any, texts: list[str], max_tokens: int
) -> np.ndarray:
    """(articles, topics): summed log-probability of each topic's answer after each prompt."""
    prompts = [prompt_ids(tokenizer, t, max_tokens) for t in texts]
    return _read_batch(model, tokenizer, prompts, 0)[0]


def parse_answer(text: str) -> int:
    """Index of the topic a free answer names (its first word), or -1 if it names none."""
    words = re.findall(r"[a-z]+", text.lower())
    word = ALIASES.get(words[0], words[0]) if words else ""
    return LABELS.index(word) if word in LABELS else -1


def _read_batch(
    model: nn.Module, tokenizer: Any, prompts: list[list[int]], max_new_tokens: int
) -> tuple[np.ndarray, list[list[int]]]:
    # Prompts are left-padded so every prompt ends at the last column; explicit positions
    # (counting real tokens only) make a padded row compute what it would alone.
    width, pad = max(len(p) for p in prompts), tokenizer.pad_token_id
    ids = torch.as_tensor([[pad] * (width - len(p)) + p for p in prompts])
    mask = torch.as_tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    positions = (mask.cumsum(1) - 1).clamp(min=0)
    out = model(
        input_ids=ids,
        attention_mask=mask,
        position_ids=positions,
        use_cache=True,
        logits_to_keep=1,
    )
    first = out.logits[:, -1].float().log_softmax(-1)
    next_position = positions[:, -1:] + 1
    scores = _answer_logprobs(model, tokenizer, out.cache, mask, next_position, first)
    words = _greedy(model, tokenizer, out.cache, mask, next_position, first, max_new_tokens)
    return scores, words


def _answer_logprobs(
    model: nn.Module,
    tokenizer: Any,
    cache: Any,
    mask: torch.Tensor,
    next_position: torch.Tensor,
    first: torch.Tensor,
) -> np.ndarray:
    # Every prompt row is repeated once per topic (a copy of the cache), and the five answers
    # run right-padded in one pass; padding comes after every scored token, so it is unseen.
    answers = [answer_ids(tokenizer, label) for label in LABELS]
    n, k, width = mask.shape[0], len(answers), max(len(a) for a in answers)
    cache = copy.deepcopy(cache)
    cache.batch_repeat_interleave(k)
    tokens = torch.as_tensor([a + [a[-1]] * (width - len(a)) for a in answers]).repeat(n, 1)
    logprobs = (
        model(
            input_ids=tokens,
            attention_mask=torch.cat(
                [mask.repeat_interleave(k, 0), torch.ones(n * k, width, dtype=mask.dtype)], 1
            ),
            position_ids=next_position.repeat_interleave(k, 0) + torch.arange(width),
            cache=cache,
        )
        .logits.float()
        .log_softmax(-1)
        .view(n, k, width, -1)
    )
    scores = np.zeros((n, k))
    for j, answer in enumerate(answers):
        later = torch.stack(
            [logprobs[:, j, t - 1, answer[t]] for t in range(1, len(answer))], 1
        ).sum(1)
        scores[:, j] = (first[:, answer[0]] + later).numpy()
    return scores


def _greedy(
    model: nn.Module,
    tokenizer: Any,
    cache: Any,
    mask: torch.Tensor,
    next_position: torch.Tensor,
    first: torch.Tensor,
    max_new_tokens: int,
) -> list[list[int]]:
    # Rows that have ended keep decoding (the batch moves together); their tokens are dropped.
    end = tokenizer.convert_tokens_to_ids(END_OF_TURN)
    token = first.argmax(-1, keepdim=True)
    out, done = [], torch.zeros(len(token), dtype=torch.bool)
    for step in range(max_new_tokens):
        done |= token[:, 0] == end
        out.append(torch.where(done[:, None], end, token))
        if bool(done.all()) or step == max_new_tokens - 1:
            break
        mask = torch.cat([mask, torch.ones_like(token)], 1)
        logits = model(
            input_ids=token, attention_mask=mask, position_ids=next_position + step, cache=cache
        ).logits
        token = logits[:, -1].argmax(-1, keepdim=True)
    words = torch.cat(out, 1).tolist() if out else [[] for _ in range(len(first))]
    return [[t for t in row if t != end] for row in words]
