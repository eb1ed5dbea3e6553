"""C++ (pybind11) hot paths for classical_ml, each with an exact NumPy fallback."""
