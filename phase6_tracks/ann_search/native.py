"""The compiled inner loops (`csrc/ann_kernels.cpp`), built on first use and loaded with ctypes.

The source is compiled once per machine with the system C++ compiler and cached under
`<repo>/.cache/ann_search/` in a file named by the hash of the source and flags, so an edit
rebuilds and a second process loads the cached library in milliseconds. Plain `extern "C"`
functions over NumPy buffers: no pybind11 or torch headers, so the build takes seconds.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from phase0_env.common.paths import project_root

SOURCE = Path(__file__).parent / "csrc" / "ann_kernels.cpp"
# Reassociation lets gcc vectorise the float sums; -march=native: per machine. Not
# -ffast-math: linked into a shared library it pulls in crtfastmath.o, which switches the
# whole process to flush-to-zero on load, so every later float computation in the process
# (NumPy, torch, hypothesis) silently loses subnormals.
FLAGS = [
    "-O3",
    "-march=native",
    "-fassociative-math",
    "-fno-signed-zeros",
    "-fno-trapping-math",
    "-fno-math-errno",
    "-fopenmp-simd",
    "-std=c++17",
    "-shared",
    "-fPIC",
]
_lib: ctypes.CDLL | None = None

_F32 = np.ctypeslib.ndpointer(np.float32, flags="C_CONTIGUOUS")
_I32 = np.ctypeslib.ndpointer(np.int32, flags="C_CONTIGUOUS")
_I64 = np.ctypeslib.ndpointer(np.int64, flags="C_CONTIGUOUS")
_U8 = np.ctypeslib.ndpointer(np.uint8, flags="C_CONTIGUOUS")
_int, _i64 = ctypes.c_int, ctypes.c_int64


def cache_dir() -> Path:
    """Where the compiled library is cached (override with ROADMAP_ANN_BUILD_DIR)."""
    default = project_root(__file__) / ".cache" / "ann_search"
    return Path(os.environ.get("ROADMAP_ANN_BUILD_DIR", default))


def library_path() -> Path:
    """The cached library's path for the current source and flags."""
    digest = hashlib.sha256(SOURCE.read_bytes() + " ".join(FLAGS).encode()).hexdigest()[:16]
    return cache_dir() / f"ann_kernels_{digest}.so"


def build() -> Path:
    """Compile the library if this source has no cached build yet; return its path."""
    target = library_path()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Compile to a temporary name, then rename: a concurrent process never loads half a file.
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    cxx = os.environ.get("CXX", "g++")
    result = subprocess.run(
        [cxx, *FLAGS, str(SOURCE), "-o", tmp], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        os.unlink(tmp)
        raise RuntimeError(f"compiling {SOURCE.name} with {cxx} failed:\n{result.stderr}")
    os.replace(tmp, target)
    return target


def lib() -> ctypes.CDLL:
    """The loaded library, with argument types declared (built on first call)."""
    global _lib
    if _lib is None:
        loaded = ctypes.CDLL(str(build()))
        graph: list[Any] = [_F32, _int, _I32, _int, _I32, _int, _I64]
        loaded.hnsw_add.argtypes = [*graph, _I32, _U8, _I64, _i64, _i64, _int, _int]
        loaded.hnsw_add.restype = None
        loaded.hnsw_search.argtypes = [*graph, _U8, _I64, _F32, _i64, _int, _int, _F32, _I64]
        loaded.hnsw_search.restype = None
        loaded.ivfpq_search.argtypes = [
            *(_F32, _i64, _F32, _F32, _int, _int, _I64, _int, _I64, _U8, _U8, _int, _F32, _I64),
        ]
        loaded.ivfpq_search.restype = None
        _lib = loaded
    return _lib
