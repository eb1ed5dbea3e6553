"""The three PromQL queries of the canary analysis, built from selectors.

The chart's `AnalysisTemplate` holds their text with Argo's `{{args.*}}` placeholders
(a test checks it equals `analysis_queries(ARGO_CANARY, ARGO_STABLE)`); the parity check runs
them with concrete selectors in `promtool test rules` against the local analysis.

Examples:
    >>> success_rate_query('service="c"', "2m")[:40]
    'sum(rate(http_requests_total{service="c"'
"""

from __future__ import annotations

PREDICT_ROUTES = 'route=~"/predict.*"'
EMPTY_SHARE = 0.0001  # as the monitoring milestone's PSI: an empty class gets this share
ARGO_CANARY = 'service="{{args.canary-service}}"'
ARGO_STABLE = 'service="{{args.stable-service}}"'


def success_rate_query(selector: str, window: str) -> str:
    """Share of prediction requests that were not 5xx, over `window`."""
    sel = f"{selector},{PREDICT_ROUTES}"
    return (
        f'sum(rate(http_requests_total{{{sel},status!~"5.."}}[{window}]))'
        f" / sum(rate(http_requests_total{{{sel}}}[{window}]))"
    )


def p99_latency_query(selector: str, window: str) -> str:
    """99th percentile of prediction latency in seconds (histogram_quantile), over `window`."""
    sel = f"{selector},{PREDICT_ROUTES}"
    return (
        "histogram_quantile(0.99, sum by (le) "
        f"(rate(http_request_duration_seconds_bucket{{{sel}}}[{window}])))"
    )


def psi_query(canary: str, stable: str, window: str) -> str:
    """PSI between the canary's and the stable's predicted-class shares, over `window`.

    A class seen on one side only gets share 0 on the other (the `or 0 * ...` arm), then
    every share is floored at EMPTY_SHARE so the logarithm stays finite.
    """

    def share(sel: str) -> str:
        counts = f"sum by (label) (rate(tabular_predictions_total{{{sel}}}[{window}]))"
        return f"({counts} / scalar(sum(rate(tabular_predictions_total{{{sel}}}[{window}]))))"

    def full(mine: str, other: str) -> str:
        return f"clamp_min(({share(mine)} or 0 * {share(other)}), {EMPTY_SHARE})"

    c, s = full(canary, stable), full(stable, canary)
    return f"sum(({c} - {s}) * ln({c} / {s}))"


def analysis_queries(canary: str, stable: str, window: str = "2m") -> dict[str, str]:
    """The three queries by metric name, as the AnalysisTemplate names them."""
    return {
        "success-rate": success_rate_query(canary, window),
        "latency-p99": p99_latency_query(canary, window),
        "prediction-psi": psi_query(canary, stable, window),
    }
