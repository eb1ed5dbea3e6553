"""Weight-only quantization written here: int8 (absmax, zero-point), 4-bit group RTN and NF4."""
