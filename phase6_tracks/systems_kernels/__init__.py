"""Triton kernels as a progression (softmax, layer norm, fused matmul + bias + GELU), checked
against torch, with a GPU benchmark script that also runs (as an interpreter check) on CPU."""
