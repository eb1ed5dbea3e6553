"""Property-based fuzzing of the OpenAPI schema: no generated input gets a 5xx."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from phase2_tabular.common.tables import load_table
from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase2_tabular.tabular_api.train import train


def _app():
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="tabular-fuzz-"))
    load_table("penguins")
    folder = train(tmp / "model", n_splits=2)
    # max_batch small so generated batches stay cheap; api key set so /admin/reload is guarded.
    return create_app(
        TabularSettings(
            artifact_dir=str(folder),
            prediction_log="",
            log_level="WARNING",
            max_batch=8,
            api_keys=["fuzz"],
        )
    )


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=30, suppress_health_check=list(HealthCheck))
def test_no_generated_input_causes_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
