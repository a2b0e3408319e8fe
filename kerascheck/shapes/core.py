"""Core layers: Dense (more join as rules are written: Embedding, Masking, Identity...)."""

from __future__ import annotations

from kerascheck.shapes.base import REQUIRED, Args, LayerRule, Output, register


@register
class Dense(LayerRule):
    """``Dense(units)``: acts on the last axis of any input of rank >= 2."""

    types = ("Dense",)
    signature = (("units", REQUIRED), ("activation", None), ("use_bias", True))
    min_ndim = 2

    def check_args(self, a: Args) -> None:
        units = a["units"]
        hint = None
        if isinstance(units, (tuple, list)) and units and all(isinstance(u, int) for u in units):
            product = " * ".join(str(u) for u in units)
            hint = f"Dense gives one vector per sample; use Dense({product}) then Reshape({tuple(units)!r})"
        a.positive_int("units", hint)

    def output_shape(self, a: Args, shape: Output) -> Output:
        units = a.positive_int("units")
        return shape[:-1] + (units,)

    def params(self, a: Args, shape: Output) -> int | None:
        units, features, use_bias = a.positive_int("units"), shape[-1], a.bool("use_bias")
        if units is None or features is None or use_bias is None:
            return None
        return features * units + (units if use_bias else 0)
