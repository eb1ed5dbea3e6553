"""Compile a JSON schema (a documented subset) into a tree of grammar nodes.

Supported: `type` object (properties emitted in the declared order, all of them), string
(`enum`, `minLength`, `maxLength`), integer, number, boolean, null, array (`items`,
`minItems`, `maxItems`), `enum` / `const` of any JSON values, nesting of all of these.
Annotations (`title`, `description`, `default`, `examples`, `format`, `$schema`, `$id`,
`$comment`) are ignored; every other keyword raises `UnsupportedSchemaError`, so a schema is
never silently loosened.
"""

from __future__ import annotations

import json
from typing import Any

from .grammar import (
    ArrayNode,
    IntegerNode,
    LiteralNode,
    Node,
    NumberNode,
    ObjectNode,
    StringNode,
)

ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "format", "$schema", "$id", "$comment"}
)
ALLOWED = {
    "object": {"type", "properties", "required", "additionalProperties"},
    "string": {"type", "enum", "minLength", "maxLength"},
    "integer": {"type", "enum"},
    "number": {"type", "enum"},
    "boolean": {"type", "enum"},
    "null": {"type", "enum"},
    "array": {"type", "items", "minItems", "maxItems"},
}


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword or shape outside the supported subset (the message says which)."""


def compile_schema(schema: Any, path: str = "$") -> Node:
    """The grammar node that generates exactly the compact JSON instances of `schema`.

    Example: `{"type": "boolean"}` -> a literal node with options `("true", "false")`.
    """
    if schema is True or schema == {}:
        raise UnsupportedSchemaError(
            f"{path}: an unconstrained schema ({schema!r}) is not supported"
        )
    if not isinstance(schema, dict):
        raise UnsupportedSchemaError(f"{path}: a schema must be an object, got {schema!r}")
    keys = set(schema) - ANNOTATIONS
    _only(keys, set().union(*ALLOWED.values(), {"const", "enum"}), path)  # anyOf, $ref, ...
    if "const" in schema:
        _only(keys, {"const", "type"}, path)
        return LiteralNode((_dump(schema["const"]),))
    kind = schema.get("type")
    if "enum" in schema and kind is None:
        _only(keys, {"enum"}, path)
        return _enum(schema["enum"], path)
    if not isinstance(kind, str) or kind not in ALLOWED:
        raise UnsupportedSchemaError(
            f"{path}: 'type' must be one of {sorted(ALLOWED)} (a single type), got {kind!r}"
        )
    _only(keys, ALLOWED[kind], path)
    if "enum" in schema:
        return _enum(schema["enum"], path, kind)
    if kind == "boolean":
        return LiteralNode(("true", "false"))
    if kind == "null":
        return LiteralNode(("null",))
    if kind == "integer":
        return IntegerNode()
    if kind == "number":
        return NumberNode()
    if kind == "string":
        lo = _count(schema, "minLength", 0, path) or 0
        hi = _count(schema, "maxLength", None, path)
        if hi is not None and hi < lo:
            raise UnsupportedSchemaError(f"{path}: maxLength {hi} < minLength {lo}")
        return StringNode(lo, hi)
    if kind == "array":
        if "items" not in schema:
            raise UnsupportedSchemaError(f"{path}: an array needs an 'items' schema")
        lo = _count(schema, "minItems", 0, path) or 0
        hi = _count(schema, "maxItems", None, path)
        if hi is not None and hi < lo:
            raise UnsupportedSchemaError(f"{path}: maxItems {hi} < minItems {lo}")
        return ArrayNode(compile_schema(schema["items"], f"{path}.items"), lo, hi)
    return _object(schema, path)


def _object(schema: dict[str, Any], path: str) -> ObjectNode:
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        raise UnsupportedSchemaError(f"{path}: 'properties' must be an object")
    required = schema.get("required", [])
    missing = [r for r in required if r not in props]
    if missing:
        raise UnsupportedSchemaError(f"{path}: required {missing} have no entry in 'properties'")
    extra = schema.get("additionalProperties", True)
    if not isinstance(extra, bool):
        raise UnsupportedSchemaError(f"{path}: 'additionalProperties' must be true or false")
    # Every declared property is emitted, in declared order: valid whether required or not.
    names = tuple(props)
    values = tuple(compile_schema(props[n], f"{path}.{n}") for n in names)
    return ObjectNode(names, values)


def _enum(values: Any, path: str, kind: str | None = None) -> LiteralNode:
    if not isinstance(values, list) or not values:
        raise UnsupportedSchemaError(f"{path}: 'enum' must be a non-empty list")
    if kind is not None:  # jsonschema checks `type` and `enum` both: keep values of that type
        values = [v for v in values if _is_type(v, kind)]
        if not values:
            raise UnsupportedSchemaError(f"{path}: no value of 'enum' has type {kind!r}")
    return LiteralNode(tuple(dict.fromkeys(_dump(v) for v in values)))


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    python = {"string": str, "boolean": bool, "null": type(None)}[kind]
    return isinstance(value, python)


def _dump(value: Any) -> str:
    # The compact form is the one the grammar emits everywhere else, so keep them alike.
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise UnsupportedSchemaError(f"enum/const value {value!r} is not JSON: {exc}") from exc


def _count(schema: dict[str, Any], key: str, default: int | None, path: str) -> int | None:
    value = schema.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UnsupportedSchemaError(f"{path}: {key} must be a non-negative integer, got {value!r}")
    return value


def _only(keys: set[str], allowed: set[str], path: str) -> None:
    extra = sorted(keys - allowed)
    if extra:
        raise UnsupportedSchemaError(
            f"{path}: unsupported keyword(s) {extra}; supported here: {sorted(allowed)}"
        )
