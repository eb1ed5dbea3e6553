"""Training throughput: bf16 autocast vs fp32, our loop vs a plain torch loop, DDP 1 vs 2."""

from __future__ import annotations

from functools import partial

import torch
from torch import nn

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .config import TrainConfig
from .data import TensorData
from .ddp import train_ddp
from .example_task import DigitsMLP
from .loop import Trainer


def run(quick: bool = False) -> list[BenchRow]:
    """Rows of images/s at three dataset sizes (DDP: one size when quick)."""
    return throughput_rows(quick) + ddp_rows(quick)


def throughput_rows(quick: bool = False) -> list[BenchRow]:
    """bf16 autocast vs fp32, and our loop vs a plain torch loop, at three dataset sizes."""
    rows = []
    repeats = 2 if quick else 3
    for n in sizes(quick, full=(2048, 8192, 32768), small=(512, 1024, 2048)):
        data = _synthetic(n)
        cfg = TrainConfig(epochs=1, batch_size=128, grad_clip=None, schedule="constant")

        def ours(precision: str, data=data, cfg=cfg) -> None:
            c = TrainConfig(**{**cfg.to_params(), "precision": precision})
            Trainer(_model(), c).fit(data)

        row = compare(
            "bf16 autocast vs fp32",
            n,
            lambda: ours("bf16"),
            lambda: ours("fp32"),
            reference=f"{reference_version('torch')} fp32",
            repeats=repeats,
        )
        assert row.ref_s is not None
        row.quality = {"bf16_img_s": n / row.ours_s, "fp32_img_s": n / row.ref_s}
        rows.append(row)
        row = compare(
            "our loop vs plain loop",
            n,
            lambda: ours("fp32"),
            partial(_plain, data),
            reference=f"{reference_version('torch')} hand-written loop",
            repeats=repeats,
        )
        assert row.ref_s is not None
        row.quality = {"ours_img_s": n / row.ours_s, "plain_img_s": n / row.ref_s}
        rows.append(row)
    return rows


def ddp_rows(quick: bool = False) -> list[BenchRow]:
    """Median fit time with 2 gloo processes vs 1 (one thread each); spawn time excluded."""
    rows = []
    for epochs in (1,) if quick else (1, 2, 4):
        cfg = TrainConfig(epochs=epochs, batch_size=64, schedule="constant")
        one = train_ddp(1, cfg, hidden=256, repeats=5)
        two = train_ddp(2, cfg, hidden=256, repeats=5)
        rows.append(
            BenchRow(
                "DDP 2 procs vs 1 (gloo)",
                f"{epochs} ep",
                two["seconds"],
                "torch DDP 1 proc",
                one["seconds"],
                {
                    "img_s_2": two["samples"] / two["seconds"],
                    "img_s_1": one["samples"] / one["seconds"],
                },
            )
        )
    return rows


def _synthetic(n: int) -> TensorData:
    gen = torch.Generator().manual_seed(n)
    return TensorData(torch.rand(n, 64, generator=gen), torch.randint(0, 10, (n,), generator=gen))


def _model() -> nn.Module:
    torch.manual_seed(0)
    return DigitsMLP(hidden=512, dropout=0.1)


def _plain(data: TensorData) -> None:
    """The loop a tutorial writes: shuffle, forward, loss, backward, step."""
    model = _model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    order = torch.randperm(len(data), generator=torch.Generator().manual_seed(0))
    model.train()
    for idx in order.split(128):
        x, y = data.get_batch(idx)
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
