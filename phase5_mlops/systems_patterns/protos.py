"""Generate `tabular_pb2.py` (+ `.pyi` stubs for mypy) from `tabular.proto` with grpcio-tools.

The committed copies are tested against a fresh generation.

Only the message module is generated: the service is registered with grpc's generic handlers
(`grpc_twin.py`), which keeps the wire names visible and needs no `_pb2_grpc` module.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

HERE = Path(__file__).parent
PROTO = HERE / "tabular.proto"
GENERATED = (HERE / "tabular_pb2.py", HERE / "tabular_pb2.pyi")


def generate() -> dict[str, str]:
    """File name -> the text protoc writes for `tabular.proto` (nothing written to the package)."""
    import grpc_tools
    from grpc_tools import protoc

    include = Path(grpc_tools.__file__).parent / "_proto"  # google/protobuf/struct.proto
    with tempfile.TemporaryDirectory() as tmp:
        code = protoc.main(
            [
                "protoc",
                f"-I{HERE}",
                f"-I{include}",
                f"--python_out={tmp}",
                f"--pyi_out={tmp}",
                str(PROTO),
            ]
        )
        if code != 0:
            raise RuntimeError(f"protoc failed with exit code {code}")
        return {p.name: (Path(tmp) / p.name).read_text() for p in GENERATED}


if __name__ == "__main__":
    for path in GENERATED:
        path.write_text(generate()[path.name])
        print(f"wrote {path}")
