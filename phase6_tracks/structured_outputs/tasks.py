"""Seeded evaluation tasks: JSON extraction from text, tool choice, and needle retrieval."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .samples import PERSON

FIRST = ["Maria", "John", "Aiko", "Omar", "Lena", "Pedro", "Grace", "Ivan"]
LAST = ["Lopez", "Smith", "Tanaka", "Haddad", "Berg", "Costa", "Hopper", "Petrov"]
HOBBIES = ["chess", "jazz", "hiking", "cooking", "tennis", "poetry"]
FILLER = [
    "The weather in the valley was mild for most of the week.",
    "Several trains were delayed because of work on the tracks.",
    "The library extended its opening hours during the exam period.",
    "A new bakery opened next to the post office on Monday.",
    "The committee postponed its decision until the next meeting.",
]


@dataclass
class Item:
    """One task instance: the request, the schema an answer must satisfy, the gold answer."""

    task: str
    prompt: str
    schema: dict[str, Any]
    gold: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)


def extraction_items(n: int, seed: int = 0) -> list[Item]:
    """ "Extract the person as JSON" from one sentence (gold fields known by construction)."""
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        age = rng.randint(18, 80)
        tags = rng.sample(HOBBIES, 2)
        active = rng.random() < 0.5
        email = f"{first.lower()}@example.com"
        text = (
            f"{first} {last}, {age}, {email}, likes {tags[0]} and {tags[1]}, "
            f"{'currently active' if active else 'not active'}."
        )
        prompt = "Extract the person as JSON with keys name, age, email, tags, active: " + text
        gold = {
            "name": f"{first} {last}",
            "age": age,
            "email": email,
            "tags": tags,
            "active": active,
        }
        items.append(Item("json extraction", prompt, PERSON, gold))
    return items


TOOL_REQUESTS = [
    ("What is 17 * 23?", "calculator"),
    ("Look up my notes about the budget.", "search_notes"),
    ("Send an email to bob@example.com saying the report is ready.", "send_email"),
    ("Run this Python code: print(sum(range(10)))", "run_python"),
    ("Compute 2 ** 10 - 1.", "calculator"),
    ("What do my notes say about the launch?", "search_notes"),
]


TOOL_EXAMPLE = {"name": "calculator", "arguments": {"expression": "2 + 2"}}


def tool_items(n: int) -> list[Item]:
    """Requests whose right tool is known (the phase 4 agent's example tools)."""
    return [Item("tool choice", req, {}, {"name": tool}) for req, tool in TOOL_REQUESTS[:n]]


NEEDLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"code": {"type": "integer"}},
    "required": ["code"],
    "additionalProperties": False,
}


def needle_items(n: int, n_sentences: int = 6, seed: int = 0) -> list[Item]:
    """A secret code hidden among filler sentences; the answer is {"code": <int>}."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        code = rng.randint(1000, 9999)
        sentences = [rng.choice(FILLER) for _ in range(n_sentences)]
        at = (i * 2 + 1) % (n_sentences + 1)
        sentences.insert(at, f"The secret code is {code}.")
        prompt = " ".join(sentences) + ' What is the secret code? Answer as JSON {"code": ...}.'
        items.append(
            Item("needle retrieval", prompt, NEEDLE_SCHEMA, {"code": code}, {"position": at})
        )
    return items
