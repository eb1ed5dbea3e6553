"""Type stub for the compiled C++ extension (built from _native.cpp)."""

from typing import Any

def __getattr__(name: str) -> Any: ...
