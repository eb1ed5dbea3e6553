from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase2_tabular.tabular_api",
    title="Tabular model API: train, persist, serve",
    claim=(
        "a contract-checked sklearn pipeline with a model card, served by FastAPI with "
        "422s naming the field, metrics, drift summary and hot reload; no 5xx under fuzzing"
    ),
    reference="FastAPI + scikit-learn (bare endpoint, no kit)",
    demo="phase2_tabular.tabular_api.demo:main",
    parity="phase2_tabular.tabular_api.parity:checks",
    bench="phase2_tabular.tabular_api.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "scipy",
        "joblib",
        "pandera",
        "pyarrow",
        "palmerpenguins",
        "fastapi",
        "uvicorn",
        "httpx",
        "pydantic",
        "pydantic-settings",
        "prometheus-client",
    ),
    local_deps=(),
)
