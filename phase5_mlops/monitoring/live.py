"""The live monitor: the phase 2 API's prediction log, window by window, against its training data.

`LogMonitor` reads the JSON-lines log the tabular API writes (`features` + `prediction` per
line), keeps the last `window` rows, runs this milestone's drift tests (Evidently's default
test per column) against the training snapshot saved in the model artifact, and adds the PSI of
every column, the figure the alert rules watch. `DriftCollector` exposes the verdict as
Prometheus gauges computed at scrape time, so a monitor process needs no scheduler.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from phase2_tabular.common.snapshot import read_snapshot
from phase2_tabular.tabular_api.artifact import CARD_FILE
from phase2_tabular.tabular_api.model_uri import is_registry_uri, registered_folder
from phase5_mlops.monitoring.drift import DriftReport, detect_drift
from phase5_mlops.monitoring.exporters import read_prediction_log, write_html_report
from phase5_mlops.monitoring.stattests import psi

# PSI's usual 10 bins, not Evidently's 30: a few hundred rows spread over 30 bins read as
# PSI ~0.1-0.15 on undrifted data, which would trip the 0.1 alert on sampling noise alone.
PSI_BINS = 10


@dataclass
class WindowVerdict:
    """The drift report of one window, the PSI of each column and the rows it looked at."""

    report: DriftReport
    psi: dict[str, float]
    current: pd.DataFrame
    log_rows: int

    @property
    def drifted(self) -> list[str]:
        """Columns whose default test flagged drift."""
        return [c.column for c in self.report.columns if c.result.drifted]

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "psi": self.psi, "log_rows": self.log_rows}


def training_reference(artifact_dir: Path | str) -> pd.DataFrame:
    """The feature columns of the training snapshot a phase 2 artifact was fitted on.

    `artifact_dir` is a folder or, as for the phase 2 API, a `models:/NAME@ALIAS` reference.
    """
    if is_registry_uri(artifact_dir):
        with registered_folder(str(artifact_dir)) as (folder, _):
            return training_reference(folder)
    folder = Path(artifact_dir)
    card = json.loads((folder / CARD_FILE).read_text())
    frame, _ = read_snapshot(folder / card["training_data"]["snapshot"])
    return frame[card["features"]].reset_index(drop=True)


def compare_window(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[DriftReport, dict]:
    """Default drift tests on the reference's columns, plus PSI of each column."""
    columns = [c for c in reference.columns if c in current.columns]
    current = current[columns].copy()
    for col in columns:  # the log holds JSON numbers and nulls: align dtypes with training
        if pd.api.types.is_float_dtype(reference[col]):
            current[col] = pd.to_numeric(current[col], errors="coerce").astype(float)
    report = detect_drift(reference, current, columns)
    values = {
        c.column: psi(
            reference[c.column].to_numpy(),
            current[c.column].to_numpy(),
            categorical=c.kind == "categorical",
            n_bins=PSI_BINS,
        ).statistic
        for c in report.columns
    }
    return report, values


class LogMonitor:
    """The last `window` rows of a prediction log against a reference table.

    `check()` rereads the log only when its size or mtime changed, so a scrape every second
    of an idle service costs one `stat`.
    """

    def __init__(
        self, log_path: Path | str, reference: pd.DataFrame, window: int = 500, min_rows: int = 30
    ) -> None:
        if window < 1 or min_rows < 1:
            raise ValueError("window and min_rows must be at least 1")
        self.log_path = Path(log_path)
        self.reference = reference
        self.window = window
        self.min_rows = min_rows
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._verdict: WindowVerdict | None = None

    def check(self) -> WindowVerdict | None:
        """The verdict of the current window; None while the log holds fewer than `min_rows`."""
        try:
            stat = self.log_path.stat()
        except FileNotFoundError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key != self._seen:
                self._verdict = self._compute()
                self._seen = key
            return self._verdict

    def write_report(self, path: Path) -> Path | None:
        """The HTML report (table and plots) of the current window, or None when too few rows."""
        verdict = self.check()
        if verdict is None:
            return None
        return write_html_report(verdict.report, self.reference, verdict.current, path)

    def _compute(self) -> WindowVerdict | None:
        frame = read_prediction_log(self.log_path)
        if len(frame) < self.min_rows:
            return None
        current = frame.tail(self.window).reset_index(drop=True)
        report, values = compare_window(self.reference, current)
        return WindowVerdict(report, values, current, len(frame))


class DriftCollector(Collector):
    """Prometheus gauges of a `LogMonitor`, computed when /metrics is scraped."""

    def __init__(self, monitor: LogMonitor) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[GaugeMetricFamily]:
        verdict = self.monitor.check()
        rows = GaugeMetricFamily("drift_window_rows", "Prediction-log rows in the drift window")
        rows.add_metric([], 0 if verdict is None else len(verdict.current))
        yield rows
        if verdict is None:
            return  # no verdict yet: absent series, so no alert can fire on noise
        stat = GaugeMetricFamily(
            "drift_statistic", "Drift test statistic per column", labels=["column", "test"]
        )
        flag = GaugeMetricFamily(
            "drift_detected", "1 if the column drifted", labels=["column", "test"]
        )
        col_psi = GaugeMetricFamily("drift_psi", "PSI of the column vs training", labels=["column"])
        for c in verdict.report.columns:
            stat.add_metric([c.column, c.result.test], c.result.statistic)
            flag.add_metric([c.column, c.result.test], float(c.result.drifted))
            col_psi.add_metric([c.column], verdict.psi[c.column])
        share = GaugeMetricFamily("drift_share", "Share of drifted columns")
        share.add_metric([], verdict.report.drifted_share)
        yield from (stat, flag, col_psi, share)
