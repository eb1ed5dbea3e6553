"""Build hook for the C++ extension(s); all metadata lives in pyproject.toml.

The extension is compiled here, on the machine that runs it (never copied as a binary):
`-march=native` makes it specific to this CPU, so rebuild it (`make setup`) after moving.
"""

import platform
import shutil
import sys

from pybind11.setup_helpers import Pybind11Extension
from setuptools import setup

EXTENSIONS = {{native_modules_py}}

if not any(shutil.which(cc) for cc in ("c++", "g++", "clang++")):
    sys.exit(
        "error: no C++ compiler found (c++, g++ or clang++). This project builds a C++ "
        "extension from source: install one (Debian/Ubuntu: apt-get install g++; macOS: "
        "xcode-select --install) and run `make setup` again."
    )

# -ffp-contract=off keeps the sums bit-identical to NumPy's (no fused multiply-add).
NATIVE_ARCH = ["-march=native"] if platform.machine() in ("x86_64", "AMD64") else []
setup(
    ext_modules=[
        Pybind11Extension(
            module,
            [source],
            cxx_std=17,
            extra_compile_args=["-O3", "-ffp-contract=off", *NATIVE_ARCH],
        )
        for module, source in EXTENSIONS.items()
    ]
)
