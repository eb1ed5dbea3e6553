"""Demo: constrained JSON from a random tiny GPT, needle retrieval past the training length, and
(full mode) SmolLM2-135M function calling and the evaluation table, free vs constrained."""

from __future__ import annotations

import json
import string
import time
from pathlib import Path
from typing import cast

import torch

from phase0_env.common.outputs import study_output

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    torch.manual_seed(0)
    tiny = constrained_tiny_gpt()
    needle_md = needle_study(quick)
    rows_md = evaluation(tiny, quick)
    if not quick:
        report = study_output(HERE, "eval_report.md")
        report.write_text(
            "# Evaluation report (written by `python -m phase6_tracks.structured_outputs`)\n\n"
            f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n"
            "## Tasks, free vs constrained (greedy)\n\n" + rows_md + "\n\n"
            "## Needle retrieval by length, position and RoPE scaling\n\n" + needle_md + "\n"
        )
        print(f"\nreport written to {report}")


def constrained_tiny_gpt():
    """A random-init character GPT: free sampling is noise, constrained sampling is valid JSON."""
    import jsonschema

    from phase4_llm.common.constrained.vocab import CharTokenizer
    from phase4_llm.gpt.config import GPTConfig
    from phase4_llm.gpt.model import GPT

    from .decoding import JsonConstraint, generate_json
    from .samples import PERSON

    tok = CharTokenizer(string.printable)
    model = GPT(
        GPTConfig(vocab_size=tok.vocab_size, block_size=2048, n_layer=1, n_head=2, n_embd=16)
    ).eval()
    print("== a random-init tiny GPT (character tokens), PERSON schema ==")
    for seed in range(3):
        free = generate_json(
            model,
            tok.encode("{"),
            None,
            60,
            vocab=tok.vocabulary(),
            do_sample=True,
            seed=seed,
            eos_token_id=tok.eos_id,
        )
        c = JsonConstraint(PERSON, tok.vocabulary())
        out = generate_json(
            model, tok.encode("{"), c, c.min_tokens() + 60, do_sample=True, seed=seed
        )
        jsonschema.validate(json.loads(out.text), PERSON)
        print(f"seed {seed} free:        {free.text[:70]!r}")
        print(f"seed {seed} constrained: {out.text}  (valid, {c.automaton.n_states} states)")
    return tok, model


def needle_study(quick: bool) -> str:
    """Train at a short length, test at 1x/2x/4x with and without RoPE scaling; a markdown table."""
    from .needle import accuracy_table, train_retriever

    length, steps = (16, 120) if quick else (32, 400)
    print(
        f"\n== needle in a haystack: tiny rotary GPT trained at {length} tokens, {steps} steps =="
    )
    t = time.time()
    run = train_retriever(length, steps, batch_size=32 if quick else 64)
    print(f"trained in {time.time() - t:.0f} s, final loss {run.losses[-1]:.4f}")
    rows = accuracy_table(run, (1, 4) if quick else (1, 2, 4), n=100 if quick else 200)
    positions = list(cast(dict[str, float], rows[0]["by_position"]))
    head = "| length | RoPE scaling | accuracy | by needle position (quartiles) |"
    lines = [head, "|---|---|---|---|"]
    for r in rows:
        by = ", ".join(f"{v:.0%}" for v in cast(dict[str, float], r["by_position"]).values())
        lines.append(
            f"| {r['length']} ({r['multiple']}x) | {r['scaling']} | {r['accuracy']:.0%} | {by} |"
        )
    table = "\n".join(lines)
    print(table)
    print(f"(position quartiles at 1x: {positions}; chance is 10%)")
    return table


def evaluation(tiny, quick: bool) -> str:
    """The harness: tiny GPT (and, in full mode, SmolLM2-135M) free vs constrained."""
    from phase4_llm.agents.toolbox import example_registry

    from .function_calling import tools_from_registry
    from .harness import TextModel, evaluate, to_markdown
    from .tasks import extraction_items, needle_items, tool_items

    tok, model = tiny
    registry = example_registry()
    tools = tools_from_registry(registry)
    models = [
        TextModel("tiny GPT (random init)", model, tok.encode, tok.vocabulary(), max_new_tokens=60)
    ]
    n = 2  # SmolLM2 on a CPU: a handful of items per task (see README)
    items = extraction_items(n) + tool_items(n + 1) + needle_items(n - 1 or 1)
    if quick:
        print("\n(quick mode: SmolLM2-135M skipped; run without --quick for it)")
    else:
        models.append(smollm2_text_model(tools, registry))
    print("\n== evaluation harness, greedy, free vs constrained ==")
    rows = evaluate(models, items, tools, log=print if not quick else None)
    table = to_markdown(rows)
    print(table)
    return table


def smollm2_text_model(tools, registry):
    """SmolLM2-135M-Instruct in phase 4's GPT, with its chat template; shows one real tool call."""
    from phase4_llm.common.constrained.vocab import TokenVocabulary
    from phase4_llm.gpt.smollm2 import load_smollm2_reference
    from phase4_llm.gpt.weights import from_hf

    from .function_calling import FunctionCaller, tool_prompt_messages
    from .harness import TextModel
    from .tasks import TOOL_EXAMPLE

    hf, tok = load_smollm2_reference()
    model = from_hf(hf)
    del hf
    vocab = TokenVocabulary.from_hf_tokenizer(tok)

    def encode(text: str) -> list[int]:
        return tok(text, add_special_tokens=False).input_ids

    def prompt_of(request: str) -> str:
        msgs = [{"role": "user", "content": request}]
        return tok.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)

    print("\n== SmolLM2-135M function calling over phase 4's tool registry ==")
    caller = FunctionCaller(model, encode, vocab, tools)
    request = "What is 17 * 23?"
    system, user = tool_prompt_messages(tools, request, TOOL_EXAMPLE)
    prompt = tok.apply_chat_template([system, user], add_generation_prompt=True, tokenize=False)
    t = time.time()
    call = caller.call(prompt, max_argument_tokens=40)
    print(f"{request!r} -> {call.text}  ({time.time() - t:.0f} s)")
    try:
        print(f"registry result: {registry.call(call.name, call.arguments)!r}")
    except Exception as exc:  # the arguments validate, but the tool itself may refuse them
        print(f"registry refused the (schema-valid) call: {exc}")
    return TextModel("SmolLM2-135M", model, encode, vocab, prompt_of, max_new_tokens=48)
