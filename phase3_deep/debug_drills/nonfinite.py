"""Find the first operation that produced a NaN or Inf, and the module it ran in.

Every torch function called while `fn()` runs is intercepted (a `TorchFunctionMode`), and
module forward hooks keep a stack of the module names, so the answer reads like
"`log` in (loss, outside any module), float32: inputs finite, output has -inf".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode


@dataclass(frozen=True)
class NonFinite:
    """Where the first non-finite value appeared."""

    op: str
    module: str
    dtype: str
    inputs_finite: bool
    params_finite: bool

    def describe(self) -> str:
        """One line for a report."""
        origin = "from finite inputs" if self.inputs_finite else "propagated from non-finite inputs"
        return f"first NaN/Inf: op `{self.op}` in {self.module} ({self.dtype}), {origin}"


def first_nonfinite(model: nn.Module, fn: Callable[[], Any]) -> NonFinite | None:
    """Run `fn()` (a forward and loss on `model`) and name the first op whose output is NaN/Inf."""
    stack: list[str] = []
    names = {id(m): name or type(m).__name__ for name, m in model.named_modules()}

    def enter(mod: nn.Module, _i: object) -> None:
        stack.append(names[id(mod)])

    def leave(_m: nn.Module, _i: object, _o: object) -> None:
        stack.pop()  # a hook that returned a value would replace the module's output

    handles = []
    for m in model.modules():
        handles += [m.register_forward_pre_hook(enter), m.register_forward_hook(leave)]
    params_finite = all(bool(torch.isfinite(p).all()) for p in model.parameters())
    mode = _Watch(stack, params_finite)
    try:
        with mode:
            fn()
    finally:
        for h in handles:
            h.remove()
    return mode.found


def tree_leaves(value: Any) -> list[Any]:
    """The leaves of nested tuples, lists and dicts (torch calls take and return these)."""
    if isinstance(value, tuple | list):
        return [leaf for v in value for leaf in tree_leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in tree_leaves(v)]
    return [value]


def _finite(value: Any) -> bool:
    tensors = [
        t for t in tree_leaves(value) if isinstance(t, torch.Tensor) and t.is_floating_point()
    ]
    return all(bool(torch.isfinite(t).all()) for t in tensors)


class _Watch(TorchFunctionMode):
    def __init__(self, stack: list[str], params_finite: bool) -> None:
        super().__init__()
        self.stack, self.params_finite = stack, params_finite
        self.found: NonFinite | None = None

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        if self.found is None and not _finite(out):
            leaves = [t for t in tree_leaves(out) if isinstance(t, torch.Tensor)]
            self.found = NonFinite(
                op=getattr(func, "__name__", str(func)),
                module=f"module `{self.stack[-1]}`"
                if self.stack
                else "the loss (outside any module)",
                dtype=str(leaves[0].dtype).removeprefix("torch.") if leaves else "?",
                inputs_finite=_finite((args, kwargs)),
                params_finite=self.params_finite,
            )
        return out
