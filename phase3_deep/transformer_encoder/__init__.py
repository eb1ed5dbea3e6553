"""Attention, Transformer encoder layers, positions and an LSTM from the hand-written layers."""
