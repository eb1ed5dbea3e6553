from phase0_env.common.registry import Milestone
from phase6_tracks.systems_kernels.interpreter import use_interpreter_without_gpu

# The registry reads this record before any milestone's code loads: the moment to choose
# Triton's interpreter for the whole process (see interpreter.py).
use_interpreter_without_gpu()

MILESTONE = Milestone(
    id="phase6_tracks.systems_kernels",
    title="Triton kernels as a progression: softmax, layer norm, fused matmul + bias + GELU",
    claim="naive, fused and online softmax, layer norm forward/backward and a fused "
    "matmul+bias+GELU in Triton equal torch (fp32/fp16/bf16, odd shapes, strided inputs); "
    "a fused C++ custom op with C++ autograd, faster than eager; "
    "a torch.profiler study of the GPT with a measured, bit-identical fix",
    reference="torch",
    demo="phase6_tracks.systems_kernels.demo:main",
    parity="phase6_tracks.systems_kernels.parity:checks",
    bench="phase6_tracks.systems_kernels.bench:run",
    requirements=("torch==2.13.0", "triton", "transformers", "safetensors"),
)
