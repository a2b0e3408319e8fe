"""Differential tests: every registered shape rule against real Keras 3 (TensorFlow backend).

Strategies come from ``tests/differential/strategies_*.py`` (protocol in ``harness.py``). Per
layer type: random argument/input combinations, TimeDistributed around the layer, and random
Sequential stacks of 2-4 layers; static and Keras must agree on output shape, parameter count
and accept/reject. ``KERASCHECK_DIFFERENTIAL_EXAMPLES`` (default 8) sets examples per test
(stacks get 8 times as many); raise it and set ``KERASCHECK_DIFFERENTIAL_RANDOM=1`` for longer,
exploring local runs (the default examples are fixed, so a CI failure reproduces).

Keras 2 (tf-keras) decides differently from Keras 3 (kerascheck follows Keras 3) for, checked
in ``test_keras2_differences``: ``Dense(10.0)`` (tf-keras casts float units, Keras 3 rejects),
``Dense(True)`` (Keras 3 takes it as 1, tf-keras rejects), ``Softmax(axis=5)`` on 3D input
(tf-keras rejects at build, Keras 3 only when run), ``SimpleRNN(unroll=True)`` on an unknown
time dim (tf-keras rejects, Keras 3 builds).
Layers whose arithmetic is the same in both (Dense, Conv1D, LSTM, pooling, Flatten, Reshape)
are checked against tf-keras too (``test_same_in_keras2``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerascheck.shapes.base import registered_rules
from tests.differential.harness import agree_time_distributed, load_strategies, sequential, stack_keras, stack_static
from tests.shapes.helpers import agree, layer, static

EXAMPLES = int(os.environ.get("KERASCHECK_DIFFERENTIAL_EXAMPLES", "8"))
# Fixed examples by default (a CI failure reproduces); KERASCHECK_DIFFERENTIAL_RANDOM=1 explores.
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    derandomize=not os.environ.get("KERASCHECK_DIFFERENTIAL_RANDOM"),
                    suppress_health_check=list(HealthCheck))
STRATEGIES = load_strategies()

# Wrappers take a layer, not a tensor shape of their own; an InputLayer starts a model.
NOT_WRAPPABLE = {"TimeDistributed", "Bidirectional", "InputLayer", "Lambda"}


def single_input(name: str) -> bool:
    rule = registered_rules().get(name)
    return rule is not None and not rule.multi_input


# Pseudo layers with no Keras counterpart to build alone, checked in real Keras another way.
NOT_COMPARED = {
    # a tensor a layer's call makes of sizes read from tensors (keras.random.normal((tf.shape(z)[0], 2))):
    # Keras makes it only on backend tensors; tests/frontend/test_tensor_shapes.py and the VAE
    # fixture run such calls in Keras 3 and tf-keras
    "ops.filled",
    # positions made in a layer's call (keras.ops.arange, tf.range): tests/frontend/test_tensor_shapes.py
    # and the positional embedding fixture run them in Keras 3 and tf-keras
    "ops.arange",
}


def test_every_registered_rule_has_a_strategy():
    rules = {id(rule): rule for rule in registered_rules().values()}
    missing = sorted(rule.types[0] for rule in rules.values()
                     if not any(name in STRATEGIES.pairs for name in rule.types) and rule.types[0] not in NOT_COMPARED)
    assert not missing, f"rules without a differential strategy: {missing}"


def test_strategies_name_registered_rules():
    unknown = sorted(set(STRATEGIES.pairs) - set(registered_rules()))
    assert not unknown, f"strategies for layers without a rule: {unknown}"


@pytest.mark.parametrize("name", sorted(STRATEGIES.pairs))
def test_layer_agrees_with_keras(name, keras3):
    @SETTINGS
    @given(pair=STRATEGIES.pairs[name])
    def check(pair):
        node, shape = pair
        if name == "TimeDistributed":
            agree_time_distributed(node, shape, keras3)
        else:
            agree(node, shape, keras3)

    check()


@pytest.mark.parametrize("name", sorted(n for n in STRATEGIES.pairs if single_input(n) and n not in NOT_WRAPPABLE))
def test_time_distributed_agrees_with_keras(name, keras3):
    """Keras 3 builds TimeDistributed without checking the inner layer's input: the inner
    layer's own verdict on the per-step shape counts too (``time_distributed_verdict``)."""
    if registered_rules().get("TimeDistributed") is None:
        pytest.skip("no TimeDistributed rule")

    @SETTINGS
    @given(pair=STRATEGIES.pairs[name], steps=st.sampled_from([None, 1, 3]))
    def check(pair, steps):
        node, shape = pair
        if not isinstance(shape, tuple) or not shape:
            return
        agree_time_distributed(layer("TimeDistributed", node), (shape[0], steps, *shape[1:]), keras3)

    check()


def chainable(shape) -> bool:
    """A shape the next layer of a stack can take: known, and a known last dim (weights need it)."""
    return isinstance(shape, tuple) and len(shape) >= 2 and shape[-1] is not None


@st.composite
def stacks(draw, first_names: list[str]):
    """A Sequential of 2-4 layers, each drawn for the previous layer's static output."""
    names = sorted(n for n in STRATEGIES.pairs if single_input(n) and n != "InputLayer")
    node, shape = draw(STRATEGIES.pairs[draw(st.sampled_from(first_names))])
    nodes = [node]
    current = static(node, shape)
    for _ in range(draw(st.integers(1, 3))):
        if isinstance(current, str) or not chainable(current.output):
            break
        nodes.append(draw(next_layer(names, current.output)))
        current = static(nodes[-1], current.output)
    return nodes, shape


@st.composite
def next_layer(draw, names: list[str], shape: tuple):
    """A layer for input ``shape``: from a follower when the module gives one, else a node drawn
    for an input of the same rank when one comes up in a few tries."""
    name = draw(st.sampled_from(names))
    follower = STRATEGIES.followers.get(name)
    options = follower(shape) if follower else None
    if options is not None:
        return draw(options)
    node, drawn_shape = draw(STRATEGIES.pairs[name])
    for _ in range(3):
        if isinstance(drawn_shape, tuple) and len(drawn_shape) == len(shape):
            break
        node, drawn_shape = draw(STRATEGIES.pairs[name])
    return node


def normalise(answers: list) -> list:
    """Any error code is a rejection, as Keras says it with an exception."""
    return ["rejected" if isinstance(a, str) else a for a in answers]


def test_random_stacks_agree_with_keras(keras3):
    firsts = sorted(n for n in STRATEGIES.pairs if single_input(n) and n not in NOT_WRAPPABLE)

    @settings(SETTINGS, max_examples=EXAMPLES * 8)
    @given(drawn=stacks(firsts))
    def check(drawn):
        nodes, shape = drawn
        if not isinstance(shape, tuple):
            return
        model = sequential(nodes, shape)
        ours, theirs = normalise(stack_static(model)), stack_keras(model, keras3)
        described = [f"{n.type}{n.args}{n.kwargs}" for n in nodes]
        assert ours == theirs, f"stack {described} on {shape}: ours {ours}, Keras {theirs}"

    check()


def test_dense_only_stack_builds_layer_by_layer(keras3):
    """The builder itself: a known stack, exact per-layer answers from both sides."""
    model = sequential([layer("Dense", 8), layer("Dense", 3, use_bias=False), layer("Dense", 0)], (None, 5))
    assert stack_keras(model, keras3) == [((None, 8), 48), ((None, 3), 24), "rejected"]
    assert stack_static(model) == [((None, 8), 48), ((None, 3), 24), "KC301"]


SAME_IN_KERAS2 = [
    (layer("Dense", 7), (None, 4, 3)),
    (layer("Conv1D", 8, 5, strides=2, padding="same"), (None, 17, 3)),
    (layer("Conv1D", 4, 3, padding="causal", dilation_rate=2), (None, 10, 2)),
    (layer("Conv1D", 4, 12), (None, 10, 2)),
    (layer("LSTM", 6, return_sequences=True), (None, None, 3)),
    (layer("GRU", 5), (None, 7, 2)),
    (layer("MaxPooling1D", 3, strides=2), (None, 10, 4)),
    (layer("Flatten"), (None, 3, 4, 5)),
    (layer("Reshape", (-1, 4)), (None, 6, 2)),
    (layer("Reshape", (5, 4)), (None, 6, 2)),
]


@pytest.mark.parametrize("node, shape", SAME_IN_KERAS2)
def test_same_in_keras2(node, shape, keras2):
    agree(node, shape, keras2)


KERAS2_DIFFERENCES = [
    (layer("Dense", 10.0), (None, 4)),  # tf-keras casts a float units to int
    (layer("Dense", True), (None, 3)),  # Keras 3 takes True as 1; tf-keras rejects a bool
    (layer("Softmax", axis=5), (None, 3, 4)),  # Keras 3 checks the axis only when run
    (layer("SimpleRNN", 3, unroll=True), (None, None, 2)),  # tf-keras cannot unroll unknown time
]


@pytest.mark.parametrize("node, shape", KERAS2_DIFFERENCES)
def test_keras2_differences(node, shape, keras2, keras3):
    """kerascheck agrees with Keras 3 here, and tf-keras decides the other way."""
    from tests.shapes.helpers import real

    agree(node, shape, keras3)
    assert (real(node, shape, keras2) == "rejected") != (real(node, shape, keras3) == "rejected")
