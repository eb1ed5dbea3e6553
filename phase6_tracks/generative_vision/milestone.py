from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase6_tracks.generative_vision",
    title="Generative vision: DDPM/DDIM from scratch, a tiny digits DDPM, a small CLIP",
    claim="DDPM/DDIM betas (linear, scaled-linear, cosine), add_noise and step() (epsilon, "
    "v and x0 prediction, clipping, eta) equal diffusers' schedulers; the contrastive loss "
    "equals open_clip's ClipLoss in value and gradient; a tiny class-conditional U-Net's "
    "samples are judged as their class with p >= 0.9; zero-shot CLIP accuracy beside a "
    "linear probe and a supervised CNN, also on colour-shape-side combinations never seen",
    reference="diffusers, open_clip_torch",
    demo="phase6_tracks.generative_vision.demo:main",
    parity="phase6_tracks.generative_vision.parity:checks",
    bench="phase6_tracks.generative_vision.bench:run",
    requirements=(
        "numpy",
        "torch==2.13.0",
        "scikit-learn",
        "matplotlib",
        "regex",
        "diffusers",
        "open-clip-torch",
    ),
    local_deps=("phase4_llm.tokenizer",),
    exercises=("add_noise", "ddpm_step", "clip_loss"),
)
