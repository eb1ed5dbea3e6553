"""The generative case: answer-only loss, label-likelihood scoring and greedy answers agree with
direct transformers computations on the real SmolLM2; in its shortened form, LoRA beats
zero-shot prompting."""

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.finetune.data import LABELS
from phase4_llm.finetune.generative import (
    IGNORE,
    answer_ids,
    answer_loss,
    collate,
    label_logprobs,
    load_smollm2,
    parse_answer,
    predict,
    prompt_ids,
    train_lora,
    training_example,
    user_message,
)
from phase4_llm.finetune.parity import direct_answer_loss, direct_label_logprobs
from phase4_llm.finetune.study import log_to_mlflow
from phase4_llm.finetune.study_generative import GenerativeConfig, run_generative_study

ARTICLES = [
    "Shares in the carmaker rose 5% after it reported record profits and raised its dividend.",
    "The striker scored twice as United beat Arsenal 3-1 to go top of the Premier League.",
    "The prime minister faced questions in parliament over the election timetable.",
]
TRANSFORMERS = reference_version("transformers")


@pytest.fixture(scope="module")
def smollm2():
    torch.manual_seed(0)
    return load_smollm2()


def test_training_example_masks_every_prompt_token_and_keeps_the_answer(smollm2):
    _, tokenizer = smollm2
    ids, targets = training_example(tokenizer, ARTICLES[0], "business", max_tokens=12)
    prompt, answer = prompt_ids(tokenizer, ARTICLES[0], 12), answer_ids(tokenizer, "business")
    assert ids == prompt + answer
    assert targets == [IGNORE] * len(prompt) + answer
    # The same tokens the chat template gives the whole conversation (it adds a newline).
    chat = tokenizer.apply_chat_template(
        [
            {"role": "user", "content": user_message(tokenizer, ARTICLES[0], 12)},
            {"role": "assistant", "content": "business"},
        ],
        tokenize=False,
    )
    assert tokenizer(chat, add_special_tokens=False).input_ids[: len(ids)] == ids


def test_answer_only_loss_equals_the_cross_entropy_of_answer_tokens(smollm2):
    model, tokenizer = smollm2
    examples = [
        training_example(tokenizer, text, label, max_tokens=24)
        for text, label in zip(ARTICLES[:2], ("business", "entertainment"), strict=True)
    ]
    batch = collate(examples, tokenizer.pad_token_id)  # two lengths: right padding
    with torch.no_grad():
        ours = answer_loss(model, batch)
        theirs = model(**batch).loss  # transformers shifts the labels and skips -100
    # float32 through 30 layers, summed in a different order: 1e-5
    assert_parity(ours, theirs, reference=TRANSFORMERS, rtol=1e-5, name="loss vs transformers")
    direct = direct_answer_loss(model, examples)  # answer tokens only, one sequence at a time
    assert_parity(ours, direct, reference=TRANSFORMERS, rtol=1e-5, name="answer tokens")
    unmasked = [(ids, ids) for ids, _ in examples]  # the prompt in the loss: another number
    with torch.no_grad():
        assert abs(float(answer_loss(model, collate(unmasked, 2))) - float(ours)) > 0.1


def test_label_likelihood_equals_a_direct_forward_and_picks_its_highest_label(smollm2):
    model, tokenizer = smollm2
    ours = label_logprobs(model, tokenizer, ARTICLES, max_tokens=32)  # batched, left-padded
    direct = direct_label_logprobs(model, tokenizer, ARTICLES, max_tokens=32)
    # float32; cached, padded batch vs one plain forward per answer: 1e-4 on log-probs ~ -10
    assert_parity(ours, direct, reference=TRANSFORMERS, rtol=0, atol=1e-4, name="label logprobs")
    chosen = predict(model, tokenizer, ARTICLES, max_tokens=32, batch_size=2).likelihood
    assert chosen.tolist() == direct.argmax(1).tolist()


def test_greedy_answers_equal_transformers_generate(smollm2):
    model, tokenizer = smollm2
    ours = predict(model, tokenizer, ARTICLES, max_tokens=32, max_new_tokens=4).answers
    for text, answer in zip(ARTICLES, ours, strict=True):
        ids = torch.as_tensor([prompt_ids(tokenizer, text, 32)])
        out = model.generate(
            ids, attention_mask=torch.ones_like(ids), max_new_tokens=4, do_sample=False
        )
        expected = tokenizer.decode(out[0, ids.shape[1] :]).replace("<|im_end|>", "").strip()
        assert answer == expected


def test_a_free_answer_counts_only_when_its_first_word_is_a_topic():
    assert parse_answer("Business") == LABELS.index("business")
    assert parse_answer("sport.") == parse_answer(" Sports") == LABELS.index("sports")
    assert parse_answer("tech\nmore text") == LABELS.index("tech")
    assert parse_answer("The article is about politics") == -1
    assert parse_answer("") == parse_answer("...") == -1


def test_training_rejects_empty_or_mismatched_data(smollm2):
    model, tokenizer = smollm2
    with pytest.raises(ValueError, match="as many labels"):
        train_lora(model, tokenizer, [], np.array([]), steps=1, max_tokens=8)
    with pytest.raises(ValueError, match="as many labels"):
        train_lora(model, tokenizer, ARTICLES, np.array([0]), steps=1, max_tokens=8)
    with pytest.raises(ValueError, match="positive"):
        train_lora(model, tokenizer, ARTICLES, np.array([0, 3, 2]), steps=0, max_tokens=8)


@pytest.mark.slow
def test_short_generative_study_lora_beats_zero_shot(tmp_path):
    config = GenerativeConfig(max_tokens=48, steps=20, batch_size=4, test_per_topic=8)
    rows = {r.method: r for r in run_generative_study(config)}
    zero = rows["zero-shot SmolLM2 - label likelihood"]
    lora = rows["LoRA r=8 on SmolLM2 - label likelihood"]
    zero_greedy = rows["zero-shot SmolLM2 - greedy answer"]
    lora_greedy = rows["LoRA r=8 on SmolLM2 - greedy answer"]
    # Measured at these sizes with training seeds 0, 1, 2: label likelihood 0.53 -> 0.88, 0.73,
    # 0.85; greedy answers 0.00 -> the same. The asserted margins leave room for seed noise.
    assert lora.accuracy > zero.accuracy + 0.1, (lora.accuracy, zero.accuracy)
    assert lora_greedy.accuracy > zero_greedy.accuracy + 0.4, (lora_greedy, zero_greedy)
    assert lora_greedy.invalid_share < zero_greedy.invalid_share
    assert lora.test_articles == 40 and lora.accuracy_ci[0] <= lora.accuracy
    assert 0 < lora.trainable_params < 1_000_000 and lora.artifact_bytes > 0
    run_id = log_to_mlflow(
        list(rows.values()),
        quick=True,
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        params=config.to_params(),
    )
    assert len(run_id) == 32
