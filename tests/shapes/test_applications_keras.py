"""Keras applications against real Keras 3 and tf-keras: each modelled application built with
``weights=None`` at several input sizes, with and without its top, every pooling: kerascheck's
output shape is Keras's, and so are the parameters wherever it claims them. Each architecture's
reduction of the sides is checked at odd and even sizes (their rounding differs); every other
application of a family once."""

from __future__ import annotations

import os

import pytest

from kerascheck import check_source
from kerascheck.shapes.applications import ARCHITECTURES

# One application per way of reducing the sides, tried at odd and even sizes.
PATHS = ["VGG16", "ResNet50", "ResNet50V2", "DenseNet121", "InceptionV3", "InceptionResNetV2", "Xception",
         "EfficientNetB0", "EfficientNetV2B0", "ConvNeXtTiny", "MobileNet", "MobileNetV2",
         "MobileNetV3Small", "MobileNetV3Large"]
SIZES = [(75, 75), (231, 200)]  # odd, and odd and even sides
# Building every application in both Kerases takes long on a small machine: by default the
# large ones are left out (the same code as a smaller one of their family, other widths and
# depths); KERASCHECK_ALL_APPLICATIONS=1 builds every one.
ALL = os.environ.get("KERASCHECK_ALL_APPLICATIONS") == "1"
LARGE = {"ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge", "DenseNet169", "DenseNet201", "EfficientNetB3",
         "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "EfficientNetV2B3",
         "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L", "ResNet101", "ResNet152", "ResNet101V2",
         "ResNet152V2"}
MODULES = {3: "keras", 2: "tf_keras"}


def _ours(version: int, name: str, arguments: str):
    text = f"from {MODULES[version]}.applications import {name}\nmodel = {name}(weights=None, {arguments})\n"
    result = check_source(text, "app.py")
    assert result.diagnostics == []
    (model,) = result.models
    return model.outputs, model.total_params, model.non_trainable_params


def _theirs(keras, name: str, arguments: str):
    keras.backend.clear_session()
    model = eval(f"keras.applications.{name}(weights=None, {arguments})", {"keras": keras})
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return tuple(model.output_shape), model.count_params(), frozen


def _agree(keras, version: int, name: str, arguments: str) -> None:
    shape, params, frozen = _ours(version, name, arguments)
    their_shape, their_params, their_frozen = _theirs(keras, name, arguments)
    assert shape == their_shape, arguments
    assert (params, frozen) == (their_params, their_frozen), arguments  # claimed: 3 channels, defaults


# Every application, in both Kerases: the top at its default size, pooled features of an odd size.
EVERY = ("classes=3", "include_top=False, pooling='max', input_shape=(97, 97, 3)")


@pytest.mark.parametrize("name", PATHS)
def test_each_reduction_of_the_sides_is_keras(name, keras3):
    """In Keras 3 (tf-keras's applications are the same code: checked on fewer cases below)."""
    _agree(keras3, 3, name, "include_top=False")  # any size: (None, None, 3)
    _agree(keras3, 3, name, "include_top=True, classes=7, input_shape=(231, 200, 3)")
    for h, w in SIZES:
        if min(h, w) >= ARCHITECTURES[name].min_size:
            _agree(keras3, 3, name, f"include_top=False, input_shape=({h}, {w}, 3)")


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_every_application_is_keras(name, version, keras3, keras2):
    if name in LARGE and not ALL:
        pytest.skip("a large application: KERASCHECK_ALL_APPLICATIONS=1 builds it")
    for arguments in EVERY if version == 3 or name in PATHS else EVERY[1:]:
        _agree(keras3 if version == 3 else keras2, version, name, arguments)


# Constructor calls Keras rejects (ValueError), before any weights are loaded: KC303 on them.
REJECTED = [
    "VGG16(weights='imagenet', include_top=False, input_shape=(160, 160, 1))",
    "VGG16(weights='imagenet', input_shape=(160, 160, 3))",
    "VGG16(weights='imagenet', input_shape=[224, 224, 3])",
    "VGG16(weights='imagenet', classes=10)",
    "VGG16(weights=None, input_shape=(None, None, 3))",
    "ResNet50(weights=None, include_top=False, input_shape=(31, 64, 3))",
    "InceptionV3(weights=None, include_top=False, input_shape=(74, 299, 3))",
    "Xception(weights=None, include_top=False, input_shape=(70, 70, 3))",
    "DenseNet121(weights='imagenet', include_top=False, input_shape=(64, 64))",
    "EfficientNetB0(weights='imagenet', classifier_activation='sigmoid')",
    "MobileNet(weights='imagenet', include_top=False, alpha=0.6, input_shape=(128, 128, 3))",
    "MobileNet(weights='imagenet', include_top=False, depth_multiplier=2, input_shape=(128, 128, 3))",
    "MobileNetV2(weights='imagenet', input_shape=(150, 150, 3))",
    "MobileNetV2(weights='imagenet', include_top=False, alpha=0.6)",
    "MobileNetV3Small(weights=None, input_shape=(31, 64, 3))",
    "MobileNetV3Large(weights='imagenet', minimalistic=True, alpha=0.75)",
]
# Accepted: sizes taken as the default, a grey image without pretrained weights, any size without the top.
ACCEPTED = [
    "MobileNetV2(weights='imagenet', input_shape=(160, 160, 3))",
    "MobileNet(weights='imagenet', input_shape=(128, 128, 3), include_top=False)",
    "VGG16(weights=None, input_shape=(64, 48, 1), classes=2)",
    "VGG16(weights='imagenet', include_top=True, input_shape=(224, 224, 3))",
    "MobileNetV3Small(weights='imagenet', input_shape=(None, None, 3))",
    "EfficientNetB0(weights=None, classifier_activation='sigmoid')",
]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("call", REJECTED + ACCEPTED)
def test_constructor_checks_are_keras(call, version, keras3, keras2, no_downloads):
    name = call.split("(")[0]
    text = f"from {MODULES[version]}.applications import {name}\nmodel = {call}\n"
    found = [(d.code, d.position.line) for d in check_source(text, "app.py").diagnostics]
    keras = keras3 if version == 3 else keras2
    keras.backend.clear_session()
    try:
        eval(f"keras.applications.{call}", {"keras": keras})
    except ValueError:
        raised = True
    else:
        raised = False
    assert raised == (call in REJECTED)
    assert found == ([("KC303", 2)] if raised else [])


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("name", ["VGG16", "VGG19"])
def test_layers_taken_out_of_vgg_are_keras(name, version, keras3, keras2):
    keras = keras3 if version == 3 else keras2
    keras.backend.clear_session()
    base = getattr(keras.applications, name)(weights=None, include_top=False, input_shape=(97, 150, 3))
    layers = [layer.name for layer in base.layers if layer.name.startswith("block")]
    calls = "\n".join(f"part{i} = Model(base.input, base.get_layer({n!r}).output)" for i, n in enumerate(layers))
    text = (f"from {MODULES[version]}.applications import {name}\nfrom {MODULES[version]}.models import Model\n"
            f"base = {name}(weights=None, include_top=False, input_shape=(97, 150, 3))\n{calls}\n")
    result = check_source(text, "app.py")
    assert result.diagnostics == []
    ours = {m.model.name: m.outputs for m in result.models}
    assert {f"part{i}": tuple(base.get_layer(n).output.shape) for i, n in enumerate(layers)} \
        == {k: v for k, v in ours.items() if k.startswith("part")}


# MobileNet and MobileNetV2 name the model by alpha and rows (224 where ImageNet weights lack the size).
NAMED = ["MobileNetV2(weights=None, include_top=False)", "MobileNetV2(include_top=False, input_shape=(160, 160, 3))",
         "MobileNetV2(include_top=False, input_shape=(150, 150, 3), alpha=0.5)",
         "MobileNet(weights=None, input_shape=(100, 100, 3), alpha=0.75)", "MobileNet(include_top=False)",
         "MobileNet(input_shape=(192, 192, 3))"]


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("call", NAMED)
def test_mobilenet_names_are_keras(call, version, keras3, keras2, no_downloads):
    keras = keras3 if version == 3 else keras2
    keras.backend.clear_session()
    theirs = eval(f"keras.applications.{call}", {"keras": keras}).name
    text = f"from {MODULES[version]}.applications import {call.split('(')[0]}\n{call}.summary()\n"
    (model,) = check_source(text, "app.py").models
    assert model.model.given_name == theirs
