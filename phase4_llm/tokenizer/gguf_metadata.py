"""Read the key-value metadata of a GGUF file (where llama.cpp keeps the tokenizer).

A GGUF file opens with: magic `GGUF`, version (u32), tensor count (u64), key count (u64), then
that many `(key, type, value)` entries, little-endian. Only this header is read; tensors are
never touched, which makes this far quicker than the `gguf` package's full reader.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

# GGUF value type -> struct format of one scalar (8 = string, 9 = array are handled apart).
_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
    10: "<Q", 11: "<q", 12: "<d",
}  # fmt: skip


def read_gguf_metadata(path: str | Path, prefix: str = "") -> dict[str, Any]:
    """All metadata entries whose key starts with `prefix` (arrays come back as lists)."""
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file (bad magic)")
        (version,) = struct.unpack("<I", f.read(4))
        if version < 2:
            raise ValueError(f"GGUF version {version} is not supported (need 2 or later)")
        _n_tensors, n_kv = struct.unpack("<QQ", f.read(16))
        out: dict[str, Any] = {}
        for _ in range(n_kv):
            key = _read_string(f)
            (vtype,) = struct.unpack("<I", f.read(4))
            value = _read_value(f, vtype)
            if key.startswith(prefix):
                out[key] = value
        return out


def _read_string(f: BinaryIO) -> str:
    (n,) = struct.unpack("<Q", f.read(8))
    return f.read(n).decode("utf-8")


def _read_value(f: BinaryIO, vtype: int) -> Any:
    if vtype == 8:
        return _read_string(f)
    if vtype == 9:
        (item_type,) = struct.unpack("<I", f.read(4))
        (n,) = struct.unpack("<Q", f.read(8))
        if item_type in _SCALARS:
            fmt = _SCALARS[item_type]
            size = struct.calcsize(fmt)
            return list(struct.unpack(f"<{n}{fmt[1]}", f.read(size * n)))
        return [_read_value(f, item_type) for _ in range(n)]
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        (value,) = struct.unpack(fmt, f.read(struct.calcsize(fmt)))
        return value
    raise ValueError(f"unknown GGUF value type {vtype}")
