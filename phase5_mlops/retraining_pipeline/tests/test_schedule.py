"""The crontab line and the Kubernetes CronJob are valid and agree; broken ones are caught."""

import pytest
import yaml

from phase5_mlops.retraining_pipeline.schedule import (
    CRONJOB,
    CRONTAB,
    cron_problems,
    load_cronjob,
    schedule_problems,
)


def test_shipped_cron_line_and_cronjob_are_valid_and_agree():
    assert schedule_problems() == []
    job = load_cronjob()
    assert type(job).__name__ == "V1CronJob"
    pod = job.spec.job_template.spec.template.spec
    assert pod.restart_policy == "Never" and pod.security_context.run_as_non_root
    assert pod.containers[0].env[0].value_from.secret_key_ref.name == "mlflow-store"


def test_cronjob_without_containers_is_rejected_by_the_kubernetes_model(tmp_path):
    data = yaml.safe_load(CRONJOB.read_text())
    del data["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    broken = tmp_path / "cronjob.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match="containers"):  # pydantic's error is a ValueError
        load_cronjob(broken)


def test_schedules_that_disagree_are_reported(tmp_path):
    data = yaml.safe_load(CRONJOB.read_text())
    data["spec"]["schedule"] = "0 3 * * *"
    data["spec"]["concurrencyPolicy"] = "Allow"
    job = tmp_path / "cronjob.yaml"
    job.write_text(yaml.safe_dump(data))
    problems = schedule_problems(job, CRONTAB)
    assert any("crontab runs at '15 2 * * *'" in p for p in problems)
    assert any("forbid concurrent runs" in p for p in problems)


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("61 * * * *", "minute: '61' outside 0-59"),
        ("0 24 * * *", "hour: '24' outside 0-23"),
        ("0 2 * *", "expected 5 fields"),
        ("*/0 2 * * *", "bad step"),
        ("0 2 5-1 * *", "outside 1-31"),
        ("0 2 * jan *", "not a number"),
    ],
)
def test_invalid_cron_expressions_are_named(expression, problem):
    assert any(problem in p for p in cron_problems(expression))


def test_valid_cron_expressions_pass():
    for expression in ("15 2 * * *", "*/15 0-6 1,15 * 1-5", "0 0 * * 7"):
        assert cron_problems(expression) == []
