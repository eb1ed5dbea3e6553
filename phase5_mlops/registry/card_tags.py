"""A phase 2 model card as registry metadata: version tags and a markdown description."""

from __future__ import annotations

from typing import Any

CARD_TAGS = ("family", "model_version", "model_sha256", "seed", "git_revision")


def version_tags(card: dict[str, Any]) -> dict[str, str]:
    """Searchable tags: identity, data hash, size and every metric's mean and interval."""
    tags = {f"card.{k}": str(card.get(k)) for k in CARD_TAGS}
    data = card.get("training_data", {})
    tags["card.training_data.content_hash"] = str(data.get("content_hash"))
    tags["card.training_data.n_rows"] = str(data.get("n_rows"))
    tags["card.schema"] = f"{card['schema']['table']} v{card['schema']['schema_version']}"
    for metric, value in card.get("metrics", {}).items():
        tags[f"card.metrics.{metric}"] = f"{value['mean']:.6f}"
        tags[f"card.metrics.{metric}.ci"] = f"[{value['ci_low']:.4f}, {value['ci_high']:.4f}]"
    return tags


def version_description(card: dict[str, Any]) -> str:
    """A short markdown model card for the registry UI."""
    data = card.get("training_data", {})
    lines = [
        f"**{card.get('name')}** (`{card.get('model_version')}`), trained {card.get('created')}",
        f"on {data.get('n_rows')} rows (data sha256 `{str(data.get('content_hash'))[:12]}`), "
        f"seed {card.get('seed')}, git `{card.get('git_revision')}`.",
        "",
        "| metric | mean | 95% CI |",
        "|---|---|---|",
    ]
    for metric, value in card.get("metrics", {}).items():
        lines.append(
            f"| {metric} | {value['mean']:.4f} | [{value['ci_low']:.4f}, {value['ci_high']:.4f}] |"
        )
    lines += ["", "Full card: `model_card.json` in the version's artifacts."]
    return "\n".join(lines)
