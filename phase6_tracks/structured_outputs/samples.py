"""Seeded example schemas and a JSON corpus for training a BPE tokenizer in tests and benches."""

from __future__ import annotations

import json
import random
from typing import Any

PERSON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 24},
        "age": {"type": "integer"},
        "email": {"type": "string", "maxLength": 40},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 3},
        "active": {"type": "boolean"},
    },
    "required": ["name", "age", "email", "tags", "active"],
    "additionalProperties": False,
}

ORDER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "status": {"enum": ["open", "paid", "shipped"]},
        "total": {"type": "number"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string", "maxLength": 8},
                    "qty": {"type": "integer"},
                },
                "required": ["sku", "qty"],
            },
            "minItems": 1,
            "maxItems": 3,
        },
        "note": {"type": "null"},
    },
    "required": ["id", "status", "total", "items", "note"],
}

SCHEMAS = {"person": PERSON, "order": ORDER}


def json_corpus(n: int = 300, seed: int = 0) -> str:
    """Seeded JSON documents (compact and spaced) to train a tokenizer whose tokens span `":"`."""
    rng = random.Random(seed)
    words = ["alice", "bob", "carol", "open", "paid", "shipped", "red", "blue", "sku", "qty"]
    docs = []
    for _ in range(n):
        doc = {
            "name": rng.choice(words).title(),
            "age": rng.randint(1, 99),
            "tags": rng.sample(words, rng.randint(0, 3)),
            "active": rng.random() < 0.5,
            "total": round(rng.uniform(0, 500), 2),
            "note": None,
        }
        seps = (",", ":") if rng.random() < 0.5 else (", ", ": ")
        docs.append(json.dumps(doc, separators=seps))
    return "\n".join(docs)
