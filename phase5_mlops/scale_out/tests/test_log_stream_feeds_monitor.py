"""The phase 2 prediction log, shipped through Redis Streams, gives the monitor's file verdict."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.monitoring.live import LogMonitor, training_reference
from phase5_mlops.monitoring.traffic import DRIFTED_COLUMNS, penguin_requests
from phase5_mlops.scale_out.drift_feed import DriftFeed
from phase5_mlops.scale_out.redis_streams import RedisStream
from phase5_mlops.scale_out.shipper import LogShipper
from phase5_mlops.scale_out.streams import InMemoryStream, drain

WINDOW = 200


def _serve(artifact, log, records):
    settings = TabularSettings(
        artifact_dir=str(artifact), prediction_log=str(log), log_level="WARNING"
    )
    with TestClient(create_app(settings)) as client:
        for start in range(0, len(records), 100):
            r = client.post("/predict/batch", json={"records": records[start : start + 100]})
            assert r.status_code == 200, r.text


def test_streamed_log_survives_a_consumer_crash_and_matches_the_file_monitor(
    artifact, tmp_path, redis_url
):
    log = tmp_path / "predictions.jsonl"
    _serve(
        artifact, log, penguin_requests(WINDOW, seed=1) + penguin_requests(WINDOW, 2, drifted=True)
    )
    stream = RedisStream.from_url(redis_url, "tabular-predictions")
    shipper = LogShipper(log, stream)
    assert shipper.ship() == 2 * WINDOW and shipper.ship() == 0

    reference = training_reference(artifact)
    feed = DriftFeed(reference, window=WINDOW)
    crashed = stream.consumer("drift-monitor", "monitor-1")
    for event in crashed.read(150):
        feed.handle(event)  # processed, never acknowledged: the process dies here
    assert len(crashed.pending()) == 150
    time.sleep(0.06)
    survivor = stream.consumer("drift-monitor", "monitor-2")
    assert drain(survivor, feed.handle, min_idle_ms=50, batch=64) == 2 * WINDOW
    assert survivor.pending() == []
    assert len(feed.records) == 2 * WINDOW and feed.duplicates == 150

    streamed = feed.verdict()
    from_file = LogMonitor(log, reference, window=WINDOW).check()
    assert sorted(streamed.drifted) == sorted(DRIFTED_COLUMNS)
    assert streamed.report.to_dict() == from_file.report.to_dict()
    assert streamed.psi == from_file.psi


def test_the_shipper_waits_for_a_torn_line_and_republishes_after_a_crash(tmp_path):
    log = tmp_path / "predictions.jsonl"
    line = json.dumps({"features": {"x": 1.0}, "prediction": "a"})
    log.write_text(line + "\n" + line[:10])
    stream = InMemoryStream()
    shipper = LogShipper(log, stream)
    assert shipper.ship() == 1
    with log.open("a") as fh:
        fh.write(line[10:] + "\nnot json\n" + line + "\n")
    assert shipper.ship() == 2
    assert [e.key for e in stream.entries] == [
        "predictions.jsonl:1",
        "predictions.jsonl:2",
        "predictions.jsonl:4",
    ]
    again = LogShipper(log, stream)  # a restarted shipper that lost its offset
    again.ship()
    feed = DriftFeed(reference=None)
    for event in stream.consumer("g", "c").read(100):
        feed.handle(event)
    assert len(feed.records) == 3 and feed.duplicates == 3


def test_a_feed_without_events_has_no_verdict():
    with pytest.raises(ValueError, match="no events"):
        DriftFeed(reference=None).verdict()
