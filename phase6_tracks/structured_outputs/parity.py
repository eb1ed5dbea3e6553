"""Parity checks: the decoding loop equals phase 4's, outputs agree with jsonschema, RoPE
scaling equals transformers'. Seeded, CPU, well under 30 s after imports."""

from __future__ import annotations

import json
import random
import string

import torch

from phase0_env.common.parity import ParityResult, compare, reference_version

from .samples import ORDER, PERSON


def checks() -> list[ParityResult]:
    return loop_checks() + jsonschema_checks() + rope_checks()


def _char_setup(block: int = 256, seed: int = 0):
    from phase4_llm.common.constrained.vocab import CharTokenizer
    from phase4_llm.gpt.config import GPTConfig
    from phase4_llm.gpt.model import GPT

    tok = CharTokenizer(string.printable)
    torch.manual_seed(seed)
    cfg = GPTConfig(vocab_size=tok.vocab_size, block_size=block, n_layer=1, n_head=2, n_embd=16)
    return GPT(cfg).eval(), tok, cfg


def loop_checks() -> list[ParityResult]:
    """Unconstrained, our loop is phase 4's `generate`; constrained greedy keeps a valid argmax."""
    from phase4_llm.gpt.generate import generate

    from .decoding import JsonConstraint, generate_json
    from .scripted import ScriptedGPT

    model, tok, cfg = _char_setup()
    prompt = tok.encode("Person: ")
    ref_name = "phase4_llm.gpt generate"
    out = []
    for label, kwargs in (
        ("greedy", {}),
        ("sampled seed 3", {"do_sample": True, "seed": 3, "top_k": 20, "temperature": 0.9}),
    ):
        ours = generate_json(
            model, prompt, None, 40, vocab=tok.vocabulary(), eos_token_id=tok.eos_id, **kwargs
        ).tokens
        ref = generate(model, torch.tensor([prompt]), 40, eos_token_id=tok.eos_id, **kwargs)
        ref_tokens = ref[0, len(prompt) :].tolist()
        out.append(
            compare(
                f"unconstrained loop == phase 4 ({label})",
                ours,
                ref_tokens,
                reference=ref_name,
                exact=True,
            )
        )
    target = json.dumps(
        {"name": "Ada", "age": 36, "email": "ada@x.org", "tags": ["math"], "active": True},
        separators=(", ", ": "),
    )
    scripted = ScriptedGPT(cfg, prompt + tok.encode(target))
    scripted.load_state_dict(model.state_dict())
    scripted.eval()
    free = generate_json(scripted, prompt, None, len(target), vocab=tok.vocabulary())
    constrained = generate_json(scripted, prompt, JsonConstraint(PERSON, tok.vocabulary()), 120)
    out.append(
        compare(
            "constrained greedy == free greedy when free is valid",
            constrained.tokens,
            free.tokens,
            reference="ours unconstrained",
            exact=True,
        )
    )
    return out


def random_walk_texts(schema: dict, n: int, seed: int = 0) -> list[str]:
    """n random texts the automaton accepts (any allowed printable character at each step)."""
    from phase4_llm.common.constrained.automaton import JsonAutomaton

    auto, rng, texts = JsonAutomaton(schema), random.Random(seed), []
    alphabet = string.printable + "é✓"
    for _ in range(n):
        state, chars = auto.initial, []
        for left in range(auto.min_chars(auto.initial) + 40, 0, -1):
            if auto.is_closed(state) or (auto.is_accepting(state) and rng.random() < 0.3):
                break
            options = [
                (c, s)
                for c in alphabet
                if (s := auto.step(state, c)) is not None and auto.min_chars(s) < left
            ]
            c, state = rng.choice(options)
            chars.append(c)
        texts.append("".join(chars))
    return texts


def jsonschema_checks() -> list[ParityResult]:
    """Every accepted text validates; constrained sampling is 100% valid where free is not."""
    import jsonschema

    from .decoding import JsonConstraint, generate_json
    from .function_calling import first_json_object

    ref = reference_version("jsonschema")
    out = []
    for name, schema in (("person", PERSON), ("order", ORDER)):
        texts = random_walk_texts(schema, 60)
        valid = [jsonschema.Draft202012Validator(schema).is_valid(json.loads(t)) for t in texts]
        out.append(
            compare(
                f"accepted texts validate ({name}, 60 random walks)",
                sum(valid),
                len(texts),
                reference=ref,
                exact=True,
            )
        )
    model, tok, _ = _char_setup()
    vocab = tok.vocabulary()
    free_ok = cons_ok = 0
    n = 6
    for seed in range(n):
        c = JsonConstraint(ORDER, vocab)
        g = generate_json(model, tok.encode("{"), c, c.min_tokens() + 30, do_sample=True, seed=seed)
        cons_ok += jsonschema.Draft202012Validator(ORDER).is_valid(json.loads(g.text))
        f = generate_json(
            model,
            tok.encode("{"),
            None,
            80,
            vocab=vocab,
            do_sample=True,
            seed=seed,
            eos_token_id=tok.eos_id,
        )
        value = first_json_object("{" + f.text)
        free_ok += value is not None and jsonschema.Draft202012Validator(ORDER).is_valid(value)
    out.append(
        compare(
            f"constrained sampling valid rate (random tiny GPT; free: {free_ok}/{n})",
            cons_ok / n,
            1.0,
            reference=ref,
            exact=True,
        )
    )
    return out


def rope_checks() -> list[ParityResult]:
    """Linear and NTK RoPE scaling equal transformers' linear and dynamic RoPE (tiny Llama)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from phase4_llm.gpt.config import GPTConfig
    from phase4_llm.gpt.model import GPT
    from phase4_llm.gpt.weights import map_llama_state_dict

    from .long_context import ScaledRoPEGPT

    ref = reference_version("transformers")
    out = []
    for kind, rope, length, ours_factor in (
        ("linear", {"rope_type": "linear", "factor": 4.0}, 64, 4.0),
        ("ntk", {"rope_type": "dynamic", "factor": 2.0}, 40, 2.0 * 40 / 16 - 1.0),
    ):
        torch.manual_seed(0)
        hf_cfg = LlamaConfig(
            vocab_size=97,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
            max_position_embeddings=16,
            rope_parameters={"rope_theta": 1e4, **rope},
        )
        hf = LlamaForCausalLM(hf_cfg).eval()
        cfg = GPTConfig.llama(
            vocab_size=97,
            block_size=16,
            n_layer=2,
            n_head=4,
            n_kv_head=2,
            n_embd=32,
            intermediate_size=64,
            norm_eps=hf_cfg.rms_norm_eps,
            tie_embeddings=False,
        )
        base = GPT(cfg)
        base.load_state_dict(map_llama_state_dict(hf.state_dict(), cfg))
        ours = ScaledRoPEGPT.from_base(base.eval(), kind, ours_factor)  # type: ignore[arg-type]
        ids = torch.randint(0, 97, (1, length), generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            # float32: 1e-5
            out.append(
                compare(
                    f"{kind} RoPE logits at {length} tokens (trained 16)",
                    ours(ids)[0],
                    hf(ids).logits,
                    reference=ref,
                    rtol=1e-5,
                    atol=1e-6,
                )
            )
    return out
