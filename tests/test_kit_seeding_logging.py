"""seed_everything makes draws repeatable; JSON logging writes one object per line."""

import io
import json
import logging
import random
import subprocess
import sys

import numpy as np

from phase0_env.common.jsonlog import request_id_var, setup_logging
from phase0_env.common.seeding import seed_everything


def test_same_seed_same_draws_across_python_numpy_and_generator():
    def draw(seed):
        rng = seed_everything(seed)
        return random.random(), np.random.rand(), rng.normal()

    assert draw(123) == draw(123)
    assert all(a != b for a, b in zip(draw(123), draw(124), strict=True))


def test_torch_is_seeded_only_when_already_imported():
    code = (
        "import sys\nfrom phase0_env.common.seeding import seed_everything\n"
        "seed_everything(0)\nassert 'torch' not in sys.modules\n"
        "import torch\nseed_everything(5)\na = torch.rand(3)\nseed_everything(5)\n"
        "assert torch.equal(a, torch.rand(3))\nprint('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_json_logs_carry_extra_fields_and_the_request_id():
    stream = io.StringIO()
    setup_logging("INFO", stream=stream)
    token = request_id_var.set("rid-1")
    try:
        logging.getLogger("roadmap.t").info("hello", extra={"rows": 3})
        logging.getLogger("some_library").info("not shown")
    finally:
        request_id_var.reset(token)
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 1, "third-party INFO logs must not be emitted"
    record = json.loads(lines[-1])
    assert record["msg"] == "hello" and record["rows"] == 3 and record["request_id"] == "rid-1"
    assert record["level"] == "info" and record["ts"].endswith("Z")


def test_setup_logging_is_idempotent():
    setup_logging("INFO", stream=io.StringIO())
    setup_logging("INFO", stream=io.StringIO())
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_roadmap_json", False)]
    assert len(ours) == 1
