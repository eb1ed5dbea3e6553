"""A minimal renderer for this milestone's Helm chart, and the `manifests/` it writes.

Helm is not installed here, so the chart's templates keep to the subset this file renders
exactly as `helm template` would: `{{ .Values.a.b }}` and `{{ .Chart.Field }}` scalars
(strings verbatim, numbers and booleans as Go prints them) and Helm's backquoted literal
`{{`text`}}` (how the AnalysisTemplate escapes Argo's own `{{args.x}}`). Any other action
(pipelines, `if`, `range`, `include`, whitespace trimming) raises TemplateError rather than
render something Helm would not. Run `python -m phase5_mlops.deploy.render` to regenerate
`manifests/` from `chart/`; a test checks they are in sync.

Example:
    >>> render_text("replicas: {{ .Values.n }}", {"n": 3}, {})
    'replicas: 3'
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CHART_DIR = HERE / "chart"
MANIFEST_DIR = HERE / "manifests"
ACTION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
LITERAL = re.compile(r"\{\{`(.*?)`\}\}", re.DOTALL)
SCALAR_REF = re.compile(r"^ \.(Values|Chart)((?:\.[A-Za-z_][A-Za-z0-9_]*)+) $")


class TemplateError(ValueError):
    """A template action outside the supported subset, or a missing/non-scalar value."""


def render_chart(chart_dir: Path = CHART_DIR, values: dict[str, Any] | None = None) -> dict:
    """Rendered text of every template, by file name; `values` override values.yaml keys."""
    defaults = yaml.safe_load((chart_dir / "values.yaml").read_text()) or {}
    chart_meta = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    merged = _deep_merge(defaults, values or {})
    # Helm exposes Chart.yaml keys capitalised: appVersion -> .Chart.AppVersion.
    chart = {k[:1].upper() + k[1:]: v for k, v in chart_meta.items()}
    return {
        path.name: render_text(path.read_text(), merged, chart)
        for path in sorted((chart_dir / "templates").glob("*.yaml"))
    }


def render_text(text: str, values: dict[str, Any], chart: dict[str, Any]) -> str:
    """Substitute the supported actions in one template's text."""
    literals: list[str] = []

    def keep_literal(match: re.Match[str]) -> str:
        literals.append(match.group(1))
        return f"\x00{len(literals) - 1}\x00"

    text = LITERAL.sub(keep_literal, text)
    text = ACTION.sub(lambda m: _action(m.group(1), values, chart), text)
    return re.sub("\x00(\\d+)\x00", lambda m: literals[int(m.group(1))], text)


def load_documents(texts: dict[str, str]) -> list[dict[str, Any]]:
    """Every non-empty YAML document of the rendered files, in file order."""
    docs: list[dict[str, Any]] = []
    for text in texts.values():
        docs.extend(d for d in yaml.safe_load_all(text) if d)
    return docs


def write_manifests(out_dir: Path = MANIFEST_DIR) -> list[Path]:
    """Render the chart with its default values into `out_dir` (one file per template)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_chart().items():
        path = out_dir / name
        path.write_text(text)
        written.append(path)
    return written


def _action(body: str, values: dict[str, Any], chart: dict[str, Any]) -> str:
    match = SCALAR_REF.match(body)
    if match is None:
        raise TemplateError(f"unsupported template action {{{{{body}}}}}; install helm")
    root = values if match.group(1) == "Values" else chart
    value: Any = root
    for key in match.group(2).strip(".").split("."):
        if not isinstance(value, dict) or key not in value:
            raise TemplateError(f"missing value .{match.group(1)}{match.group(2)}")
        value = value[key]
    return _go_format(value, body)


def _go_format(value: Any, body: str) -> str:
    """A scalar as Go's %v prints it (Helm decodes every YAML number to float64)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e21 else repr(number)
    if isinstance(value, str):
        return value
    raise TemplateError(f"{{{{{body}}}}} is not a scalar ({type(value).__name__})")


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


if __name__ == "__main__":
    for p in write_manifests(Path(sys.argv[1]) if len(sys.argv) > 1 else MANIFEST_DIR):
        print(p)
