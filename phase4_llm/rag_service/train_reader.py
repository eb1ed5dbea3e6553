"""Train the reader (`reader.py`) on the training split's questions and cache its weights.

`python -m phase4_llm.rag_service.train_reader [--threads 2]`: ingest the whole corpus, ask
every training question, and label the sentences the service itself would choose from (its
answer pool, in its order): a sentence holding the gold answer is a positive, the pool's other
sentences are hard negatives, and every pool sentence of an unanswerable question is a
negative. MiniLM is then fine-tuned with binary cross-entropy (about 20 minutes on 2 cores).
Evaluation questions are never trained on: the training split's articles are disjoint from
theirs (tests/test_training_questions.py).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phase4_llm.rag_service import eval_metrics as E
from phase4_llm.rag_service.eval_set import EvalItem, training_questions
from phase4_llm.rag_service.reader import RECIPE, REPO, build_model, reader_folder, reader_graph

NEGATIVES_ANSWERABLE = 5  # the pool's best-ordered sentences without the answer
NEGATIVES_UNANSWERABLE = 4


@dataclass(frozen=True)
class Pair:
    question: str
    sentence: str
    label: int
    kind: str  # "pos", "gold" (the written evidence, absent from the pool), "neg", "unans"


def label_pool(q: EvalItem, ordered: list[str]) -> list[Pair]:
    """Training pairs of one question from its answer pool (`ordered`: best first)."""
    if not q.answerable:
        return [Pair(q.question, s, 0, "unans") for s in ordered[:NEGATIVES_UNANSWERABLE]]
    pos = [s for s in ordered if E.contains_answer(s, q.answers)]
    out = [Pair(q.question, s, 1, "pos") for s in pos]
    if not pos and q.evidence:
        out.append(Pair(q.question, q.evidence[-1], 1, "gold"))
    negs = [s for s in ordered if s not in pos][:NEGATIVES_ANSWERABLE]
    return out + [Pair(q.question, s, 0, "neg") for s in negs]


def pool_pairs(items: list[EvalItem], progress: bool = True) -> list[Pair]:
    """Ingest the whole corpus and label every question's answer pool (reader off)."""
    from tqdm import tqdm

    from phase4_llm.rag_service.corpus import bbc_documents
    from phase4_llm.rag_service.embedding import make_embedder
    from phase4_llm.rag_service.pipeline import RAGPipeline

    emb = make_embedder("minilm", REPO / ".cache" / "rag_service" / "embeddings.sqlite")
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory() as tmp:
        pipe = RAGPipeline(Path(tmp), emb)
        pipe.upsert(bbc_documents())
        for q in tqdm(items, disable=not progress, desc="answer pools"):
            cand = pipe.candidates(q.question)
            pairs += label_pool(q, [c.sentence for c in cand.order()])
        pipe.close()
    return pairs


def train(
    pairs: list[Pair], epochs: int, lr: float, batch: int, seed: int, progress: bool = True
) -> tuple[Any, list[float]]:
    """Fine-tune a fresh cross-encoder on `pairs`; return it and every step's loss."""
    import torch
    from tqdm import tqdm
    from transformers import AutoTokenizer

    from phase4_llm.common.assets import minilm_path
    from phase4_llm.rag_service.reader import Reader

    torch.manual_seed(seed)
    model = build_model(minilm_path())
    reader = Reader(model, AutoTokenizer.from_pretrained(str(minilm_path())))
    # The 30k-row word table is half the weights; its AdamW update would cost more than the
    # rest of a step on CPU, and two thousand questions would barely move it.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(pairs) + batch - 1) // batch)
    warm = max(1, steps // 10)  # linear warm-up, then linear decay to 0
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: min(1.0, (i + 1) / warm) * max(0.0, 1 - i / steps)
    )
    rng = random.Random(seed)
    losses: list[float] = []
    model.train()
    bar = tqdm(total=steps, disable=not progress, desc="reader")
    for _ in range(epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for i in range(0, len(order), batch):
            chunk = [pairs[j] for j in order[i : i + batch]]
            enc = reader.encode([p.question for p in chunk], [p.sentence for p in chunk])
            y = torch.tensor([float(p.label) for p in chunk])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(**enc), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{sum(losses[-20:]) / len(losses[-20:]):.3f}")
    bar.close()
    return model.eval(), losses


def main(argv: list[str] | None = None) -> int:
    """Label the pools, train, and save weights and the run's record under the cache."""
    import torch

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--force", action="store_true", help="train again over cached weights")
    args = ap.parse_args(argv)
    out = reader_folder()
    if (out / "weights.pt").exists() and not args.force:
        print(f"already trained: {out}")
        return 0
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    pairs = pool_pairs(training_questions())
    kinds = {k: sum(p.kind == k for p in pairs) for k in ("pos", "gold", "neg", "unans")}
    print(f"{len(pairs)} pairs {kinds} in {time.perf_counter() - t0:.0f} s")
    t1 = time.perf_counter()
    r = RECIPE
    model, losses = train(pairs, int(r["epochs"]), float(r["lr"]), int(r["batch"]), int(r["seed"]))
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "weights.pt")
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    record = dict(recipe=r, pairs=len(pairs), kinds=kinds, train_s=round(time.perf_counter() - t1))
    record.update(git=rev, losses=[round(x, 4) for x in losses])
    (out / "record.json").write_text(json.dumps(record))
    # The service's default backend reads an int8 ONNX graph of these weights: built now, so
    # the first start does not pay the export (reader.reader_graph).
    graph = reader_graph(out, "int8")
    print(
        f"trained in {record['train_s']} s; first/last 20-step loss "
        f"{sum(losses[:20]) / 20:.3f} / {sum(losses[-20:]) / 20:.3f}; saved {out} "
        f"(int8 graph {graph.name})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
