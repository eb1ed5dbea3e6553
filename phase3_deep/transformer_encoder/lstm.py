"""An LSTM cell and a one-layer LSTM over time, with torch.nn.LSTM's parameter names and gate
order (input, forget, cell, output) so its state_dict loads unchanged."""

from __future__ import annotations

import math

import torch
from torch import nn

from phase3_deep.layers_from_scratch import functional as scratch


def lstm_cell(
    x: torch.Tensor,
    h: torch.Tensor,
    c: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One step: gates from x and h; c' = f*c + i*g; h' = o*tanh(c'). Returns (h', c')."""
    gates = scratch.linear(x, weight_ih, bias_ih) + scratch.linear(h, weight_hh, bias_hh)
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next


class LSTMCell(nn.Module):
    """One LSTM step with nn.LSTMCell's parameters: weight_ih, weight_hh, bias_ih, bias_hh."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True) -> None:
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        bound = 1 / math.sqrt(hidden_size)

        def uniform(*shape):
            return nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))

        self.weight_ih = uniform(4 * hidden_size, input_size)
        self.weight_hh = uniform(4 * hidden_size, hidden_size)
        self.bias_ih = uniform(4 * hidden_size) if bias else None
        self.bias_hh = uniform(4 * hidden_size) if bias else None

    def forward(self, x: torch.Tensor, state=None) -> tuple[torch.Tensor, torch.Tensor]:
        """(h', c') for x (N, input_size) and state (h, c) (zeros when None)."""
        if state is None:
            zeros = x.new_zeros(x.shape[0], self.hidden_size)
            state = (zeros, zeros)
        h, c = state
        return lstm_cell(x, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)


class LSTM(nn.Module):
    """Single-layer LSTM over (N, T, input_size) with parameters weight_ih_l0, weight_hh_l0,
    bias_ih_l0, bias_hh_l0 (as nn.LSTM(batch_first=True))."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True) -> None:
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        bound = 1 / math.sqrt(hidden_size)  # torch's default: U(-1/sqrt(H), 1/sqrt(H)) for all

        def uniform(*shape):
            return nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))

        self.weight_ih_l0 = uniform(4 * hidden_size, input_size)
        self.weight_hh_l0 = uniform(4 * hidden_size, hidden_size)
        self.bias_ih_l0 = uniform(4 * hidden_size) if bias else None
        self.bias_hh_l0 = uniform(4 * hidden_size) if bias else None

    def step(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One time step for x (N, input_size) from state (h, c), each (N, H)."""
        h, c = state
        w_ih, w_hh, b_ih, b_hh = (
            self.weight_ih_l0,
            self.weight_hh_l0,
            self.bias_ih_l0,
            self.bias_hh_l0,
        )
        return lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh)

    def forward_steps(self, x: torch.Tensor, state=None):
        """Every step's (h, c): two (N, T, H) tensors."""
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(f"expected (N, T, {self.input_size}) input, got {tuple(x.shape)}")
        n = x.shape[0]
        if state is None:
            zeros = x.new_zeros(n, self.hidden_size)
            state = (zeros, zeros)
        hs, cs = [], []
        for t in range(x.shape[1]):
            state = self.step(x[:, t], state)
            hs.append(state[0])
            cs.append(state[1])
        return torch.stack(hs, 1), torch.stack(cs, 1)

    def forward(self, x: torch.Tensor, state=None):
        """(output (N, T, H), (h_n, c_n) each (1, N, H)), as nn.LSTM(batch_first=True)."""
        if state is not None:  # torch's (1, N, H) layout
            state = (state[0][0], state[1][0])
        hs, cs = self.forward_steps(x, state)
        return hs, (hs[:, -1].unsqueeze(0), cs[:, -1].unsqueeze(0))
