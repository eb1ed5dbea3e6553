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


def compiled_descriptor() -> bytes:
    """`tabular.proto` compiled afresh, as a serialized FileDescriptorProto (format-proof: a
    copy whose generated code was reformatted still compares equal)."""
    import grpc_tools
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    include = Path(grpc_tools.__file__).parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.pb"
        code = protoc.main(
            ["protoc", f"-I{HERE}", f"-I{include}", f"--descriptor_set_out={out}", str(PROTO)]
        )
        if code != 0:
            raise RuntimeError(f"protoc failed with exit code {code}")
        proto = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file[0]
    # The python generator embeds the descriptor without json_name (derived at load time).
    for message in proto.message_type:
        for msg in [message, *message.nested_type]:
            for field in msg.field:
                field.ClearField("json_name")
    return bytes(proto.SerializeToString(deterministic=True))


if __name__ == "__main__":
    for path in GENERATED:
        path.write_text(generate()[path.name])
        print(f"wrote {path}")
