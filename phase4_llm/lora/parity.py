"""Parity with PEFT: outputs, gradients, dropout, rsLoRA, adapter files both ways, merging."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import torch

from phase0_env.common.parity import ParityResult, compare, reference_version
from phase4_llm.lora.adapters import load_adapter, save_adapter
from phase4_llm.lora.reference import peft_twin, randomise_adapters, tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers, merge_lora, unmerge_lora

# Same float32 operations in the same order as PEFT; 1e-5 is the repository's float32 bound.
RTOL, ATOL = 1e-5, 1e-6
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def tokens(seed: int = 0, batch: int = 2, length: int = 12) -> torch.Tensor:
    return torch.randint(0, 96, (batch, length), generator=torch.Generator().manual_seed(seed))


def pair(config: LoRAConfig, seed: int = 0):  # type: ignore[no-untyped-def]
    """(base, ours, peft) sharing base weights and adapter weights."""
    base = tiny_llama(seed)
    ours = apply_lora(copy.deepcopy(base), config)
    randomise_adapters(ours)
    return base, ours, peft_twin(base, ours, config)


def loss_and_grads(model, ids):  # type: ignore[no-untyped-def]
    out = model(input_ids=ids, labels=ids)
    out.loss.backward()
    return out.logits.detach(), out.loss.detach()


def checks() -> list[ParityResult]:
    """Every parity claim of the milestone, against the installed PEFT."""
    ref = reference_version("peft")
    ids = tokens()
    results = []

    config = LoRAConfig(target_modules=TARGETS, r=4, alpha=8.0)
    _, ours, theirs = pair(config)
    ours.train()
    theirs.train()
    logits_o, _ = loss_and_grads(ours, ids)
    logits_t, _ = loss_and_grads(theirs, ids)
    results.append(
        compare(
            "logits (all linear targets)", logits_o, logits_t, reference=ref, rtol=RTOL, atol=ATOL
        )
    )
    grads_o, grads_t = [], []
    for name, layer in lora_layers(ours):
        peft_layer = theirs.base_model.model.get_submodule(name)
        grads_o += [layer.lora_A.weight.grad.flatten(), layer.lora_B.weight.grad.flatten()]
        grads_t += [
            peft_layer.lora_A["default"].weight.grad.flatten(),
            peft_layer.lora_B["default"].weight.grad.flatten(),
        ]
    results.append(
        compare(
            "adapter gradients",
            torch.cat(grads_o),
            torch.cat(grads_t),
            reference=ref,
            rtol=RTOL,
            atol=ATOL,
        )
    )

    for label, cfg in (
        ("dropout 0.2, train mode", LoRAConfig(r=8, alpha=16, dropout=0.2)),
        ("rsLoRA scaling", LoRAConfig(r=16, alpha=8, use_rslora=True)),
    ):
        _, ours, theirs = pair(cfg)
        ours.train()
        theirs.train()
        torch.manual_seed(7)
        a = ours(input_ids=ids).logits
        torch.manual_seed(7)
        b = theirs(input_ids=ids).logits
        results.append(compare(label, a, b, reference=ref, rtol=RTOL, atol=ATOL))

    results += adapter_file_checks(ref, ids)
    results += merge_checks(ref, ids)
    return results


def adapter_file_checks(ref: str, ids: torch.Tensor) -> list[ParityResult]:
    """Our adapter files load in PEFT, and PEFT's load in ours, with equal outputs."""
    from peft import PeftModel

    config = LoRAConfig(r=4, alpha=8.0, target_modules=["q_proj", "v_proj", "down_proj"])
    base, ours, _ = pair(config)
    with tempfile.TemporaryDirectory() as tmp:
        save_adapter(ours, config, Path(tmp) / "ours")
        loaded = PeftModel.from_pretrained(copy.deepcopy(base), Path(tmp) / "ours").eval()
        a = ours.eval()(input_ids=ids).logits
        b = loaded(input_ids=ids).logits
        first = compare(
            "our adapter file loaded by PEFT", a, b, reference=ref, rtol=RTOL, atol=ATOL
        )
        loaded.save_pretrained(Path(tmp) / "peft")
        back = load_adapter(copy.deepcopy(base), Path(tmp) / "peft").eval()
        second = compare(
            "PEFT's adapter file loaded by ours",
            back(input_ids=ids).logits,
            b,
            reference=ref,
            rtol=RTOL,
            atol=ATOL,
        )
    out = [first, second]
    for label, targets in (
        ("PEFT file, lm_head + its base weight, in ours", ["q_proj", "lm_head"]),
        ("PEFT file, regex target_modules, in ours", r"model\.layers\.\d+\.\w+\.(k|up)_proj"),
    ):
        config = LoRAConfig(r=4, alpha=8.0, target_modules=targets)
        base, ours, theirs = pair(config)
        with tempfile.TemporaryDirectory() as tmp:
            theirs.save_pretrained(tmp)
            # a base whose head differs from the saved one: the file's base weight wins in both
            other = copy.deepcopy(base)
            with torch.no_grad():
                other.lm_head.weight.mul_(-2.0)
            theirs = PeftModel.from_pretrained(copy.deepcopy(other), tmp).eval()
            loaded = load_adapter(copy.deepcopy(other), Path(tmp)).eval()
            with torch.no_grad():
                out.append(
                    compare(
                        label,
                        loaded(input_ids=ids).logits,
                        theirs(input_ids=ids).logits,
                        reference=ref,
                        rtol=RTOL,
                        atol=ATOL,
                    )
                )
    return out


def merge_checks(ref: str, ids: torch.Tensor) -> list[ParityResult]:
    """Merged equals unmerged (within each dtype's bound), as PEFT's merge does."""
    out = []
    for dtype, rtol, atol in ((torch.float32, 1e-5, 1e-5), (torch.bfloat16, 2e-2, 5e-2)):
        config = LoRAConfig(r=8, alpha=16.0, target_modules=TARGETS)
        base = tiny_llama(0, dtype)
        ours = apply_lora(copy.deepcopy(base), config)
        randomise_adapters(ours)
        theirs = peft_twin(base, ours, config)
        with torch.no_grad():
            unmerged = ours(input_ids=ids).logits.float()
            merge_lora(ours)
            merged = ours(input_ids=ids).logits.float()
            peft_merged = theirs.merge_and_unload()(input_ids=ids).logits.float()
            unmerge_lora(ours)
            restored = ours(input_ids=ids).logits.float()
        name = str(dtype).removeprefix("torch.")
        out.append(
            compare(
                f"merged vs unmerged ({name})",
                merged,
                unmerged,
                reference="ours",
                rtol=rtol,
                atol=atol,
            )
        )
        out.append(
            compare(
                f"merged vs PEFT merged ({name})",
                merged,
                peft_merged,
                reference=ref,
                rtol=rtol,
                atol=atol,
            )
        )
        out.append(
            compare(
                f"unmerge restores ({name})",
                restored,
                unmerged,
                reference="ours",
                rtol=rtol,
                atol=atol,
            )
        )
    return out
