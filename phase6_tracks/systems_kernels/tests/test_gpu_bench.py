"""The GPU report runs as one command here too, and says it measured the interpreter."""

import json

from phase6_tracks.systems_kernels import gpu_bench
from phase6_tracks.systems_kernels.runtime import INTERPRETED


def test_gpu_bench_writes_its_report_and_labels_the_mode(tmp_path, capsys):
    out = tmp_path / "gpu.json"
    assert gpu_bench.main(["--quick", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    cases = {r["case"] for r in report["rows"]}
    assert {"softmax fused (ours)", "softmax torch eager", "matmul+bias+GELU (ours)"} <= cases
    assert report["interpreted"] == INTERPRETED
    if INTERPRETED:
        assert "NO CUDA GPU" in capsys.readouterr().out
    assert all(r["seconds"] > 0 for r in report["rows"])
