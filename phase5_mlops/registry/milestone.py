from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase5_mlops.registry",
    title="Model registry: champion/challenger aliases, their history, one-command rollback",
    claim="every version of the phase 2 model carries a signature, an input example and its "
    "card; the API serves models:/NAME@champion with predictions equal to the artifact; "
    "alias history and rollback on sqlite and on a real PostgreSQL store",
    reference="mlflow",
    demo="phase5_mlops.registry.demo:main",
    parity="phase5_mlops.registry.parity:checks",
    bench="phase5_mlops.registry.bench:run",
    requirements=(
        "mlflow",
        "psycopg2-binary",
        "numpy",
        "pandas",
        "scikit-learn",
        "fastapi",
        "httpx",
    ),
)
