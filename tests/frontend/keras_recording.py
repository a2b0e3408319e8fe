"""Record, while a program runs in real Keras, where each layer is constructed and what it outputs."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Recording:
    """``created``: id(layer) -> (line in the program that constructs it, layer);
    ``outputs``: id(layer) -> shape of its last call's output (a call without one is not kept)."""

    created: dict[int, tuple[int, Any]] = field(default_factory=dict)
    outputs: dict[int, tuple] = field(default_factory=dict)


@contextmanager
def recording_layers(keras: Any, filename: str, *, past_own_init: bool = False,
                     several: bool = False) -> Iterator[Recording]:
    """Within the block, Keras layers record into the Recording yielded. A layer's line is the first
    frame of ``filename`` on the stack; with ``past_own_init`` the layer's own ``__init__`` frames
    are passed over, so a subclass's ``super().__init__()`` line gives way to where it is constructed;
    with ``several``, a call returning several tensors records the list of their shapes."""
    recording = Recording()
    original_init, original_call = keras.layers.Layer.__init__, keras.layers.Layer.__call__

    def init(self, *args, **kwargs):
        frame = sys._getframe(1)
        while frame is not None and (frame.f_code.co_filename != filename
                                     or (past_own_init and frame.f_locals.get("self") is self)):
            frame = frame.f_back
        if frame is not None:
            recording.created.setdefault(id(self), (frame.f_lineno, self))
        original_init(self, *args, **kwargs)

    def call(self, *args, **kwargs):
        out = original_call(self, *args, **kwargs)
        if hasattr(out, "shape"):
            recording.outputs[id(self)] = tuple(out.shape)
        elif several and isinstance(out, (list, tuple)) and all(hasattr(o, "shape") for o in out):
            recording.outputs[id(self)] = [tuple(o.shape) for o in out]
        return out

    keras.layers.Layer.__init__, keras.layers.Layer.__call__ = init, call
    try:
        yield recording
    finally:
        keras.layers.Layer.__init__, keras.layers.Layer.__call__ = original_init, original_call


def for_tf_keras(text: str) -> str:
    """A Keras 3 program (``import keras``) as the same program on tf-keras."""
    return text.replace("import keras\n", "import tf_keras as keras\n").replace("from keras import", "from tf_keras import")


def run_statements(text: str, filename: str, keras: Any) -> tuple[dict[int, tuple], list[range]]:
    """Run a program's top-level statements one by one: {line of a layer's constructor: (output
    shape, params)} and the lines of each statement where Keras raised ValueError (the names it
    would have bound stay as they were)."""
    import ast

    namespace: dict = {"__name__": "__fixture__"}
    raised = []
    with recording_layers(keras, filename) as recorded:
        for statement in ast.parse(text).body:
            try:
                exec(compile(ast.Module([statement], []), filename, "exec"), namespace)
            except ValueError:
                raised.append(range(statement.lineno, statement.end_lineno + 1))
    rows = {line: (tuple(recorded.outputs[key]), layer.count_params())
            for key, (line, layer) in recorded.created.items() if key in recorded.outputs}
    return rows, raised
