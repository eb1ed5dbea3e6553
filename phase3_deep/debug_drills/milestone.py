from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.debug_drills",
    title="Debug drills: broken training loops and a diagnostics toolkit",
    claim=(
        "18 training loops on sklearn digits, each with one injected bug (exploding LR, log of "
        "zero, missing zero_grad, wrong reduction, softmax over the batch, shuffled labels, "
        "split leakage, train mode at eval, unmasked padding, frozen layer, dead init, unseeded "
        "shuffle, fp16 overflow, ...): the toolkit's report names each bug's class, reports "
        "nothing on the healthy loops, and the fixed loops reach their stated test accuracy"
    ),
    reference="behaviour (healthy loop as the control)",
    demo="phase3_deep.debug_drills.demo:main",
    parity="phase3_deep.debug_drills.parity:checks",
    bench="phase3_deep.debug_drills.bench:run",
    requirements=("numpy", "torch", "scikit-learn", "matplotlib"),
)
