"""ONNX export of the phase 2 tabular pipeline and a phase 3 CNN, equal to the native models."""
