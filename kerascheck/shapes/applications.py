"""Keras applications (``keras.applications.VGG16``, ``ResNet50``, ``MobileNetV2``...) as models.

The frontend makes an application's constructor a functional model of one pseudo layer,
``applications.<Name>``, on the Input the constructor makes (``declared_input``) or on its
``input_tensor``; this rule checks the arguments as the constructor does and gives the output
for the input it is applied to (a model called on a tensor is propagated again on it).

Facts, read in ``keras/src/applications/`` and ``tf_keras/src/applications/`` (the same there):

- ``obtain_input_shape`` decides the Input: with the top and ImageNet weights, the default
  ``(size, size, 3)`` (a given ``input_shape`` must equal it: a list never does); otherwise the
  given ``input_shape``, else with the top the default size, else ``(None, None, 3)``. A given
  ``input_shape`` must have 3 dims, 3 channels with ImageNet weights, known sides of at least
  ``min_size`` (32; 71 for Xception, 75 for the Inceptions), and no None with the top.
  MobileNetV3 does not call it: its Input is ``input_shape`` or ``(None, None, 3)``, top or not,
  and it rejects only sides under 32. MobileNet and MobileNetV2 take the size of a square
  ``input_shape`` among their ImageNet sizes as the default.
- ``weights="imagenet"`` with the top needs ``classes=1000`` and a softmax or no classifier
  activation; MobileNet needs ``alpha`` in (0.25, 0.5, 0.75, 1.0) and ``depth_multiplier=1``,
  MobileNetV2 ``alpha`` in (0.35, 0.5, 0.75, 1.0, 1.3, 1.4), MobileNetV3 ``alpha`` 0.75 or 1.0
  (1.0 when ``minimalistic``).
- The sides shrink through each architecture's strided layers, which round differently: a
  ZeroPadding then a valid conv or pool (ResNet, DenseNet, EfficientNet), valid pools and
  convs (VGG, Inception, ConvNeXt), "same" strides (Xception, EfficientNetV2, MobileNet's
  first conv), and ``correct_pad``, whose padding depends on whether the height is even.
- ``pooling`` other than "avg" and "max" is no pooling; with the top it is ignored.
- MobileNet and MobileNetV2 name the model ``mobilenet(v2)_{alpha:.2f}_{rows}``, rows 224
  where ImageNet weights have no such size (``None`` for any size without them).
- VGG's layers are ``block{i}_conv{j}`` and ``block{i}_pool``: ``get_layer`` of one gives the
  sides after ``i - 1`` pools (``i`` for the pool) and the block's filters.

The parameters are known for 3 input channels and the arguments that size no weight left at
their defaults (``application_facts.py``, measured): without the top the count does not depend
on the sides, with it only VGG's (a Flatten) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kerascheck.graph import UNKNOWN
from kerascheck.shapes.application_facts import FACTS
from kerascheck.shapes.base import Args, LayerRule, Output, ShapeError, format_value, is_int

_RESNET_STEM = (("pad", 3), ("valid", 7, 2), ("pad", 1), ("valid", 3, 2))
_INCEPTION_STEM = (("valid", 3, 2), ("valid", 3, 1), ("valid", 3, 2), ("valid", 3, 1), ("valid", 3, 2))
_EFFICIENTNET = (("correct", 3), ("valid", 3, 2), ("correct", 3), ("valid", 3, 2), ("correct", 5), ("valid", 5, 2),
                 ("correct", 3), ("valid", 3, 2), ("correct", 5), ("valid", 5, 2))


@dataclass(frozen=True)
class Architecture:
    """How one family of applications makes its Input and reduces the sides."""

    path: tuple[tuple, ...]  # ("pad", p) | ("valid", kernel, stride) | ("same", stride) | ("correct", kernel)
    min_size: int = 32
    inputs: str = "standard"  # "standard" (obtain_input_shape), "mobilenet", "mobilenet_v3"
    imagenet_sizes: tuple[int, ...] = ()  # MobileNet(V2): square sizes taken as the default
    imagenet_alphas: tuple[float, ...] = ()
    flatten_top: bool = False  # VGG: Flatten, Dense(4096), Dense(4096) before the classifier


def _family(names: list[str], arch: Architecture) -> dict[str, Architecture]:
    return {name: arch for name in names}


ARCHITECTURES: dict[str, Architecture] = {
    **_family(["VGG16", "VGG19"], Architecture((("valid", 2, 2),) * 5, flatten_top=True)),
    **_family(["ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2"],
              Architecture(_RESNET_STEM + (("valid", 1, 2),) * 3)),
    **_family(["DenseNet121", "DenseNet169", "DenseNet201"], Architecture(_RESNET_STEM + (("valid", 2, 2),) * 3)),
    **_family(["InceptionV3", "InceptionResNetV2"], Architecture(_INCEPTION_STEM + (("valid", 3, 2),) * 2, 75)),
    "Xception": Architecture((("valid", 3, 2), ("valid", 3, 1)) + (("same", 2),) * 4, 71),
    **_family([f"EfficientNetB{i}" for i in range(8)], Architecture(_EFFICIENTNET)),
    **_family([f"EfficientNetV2{s}" for s in ("B0", "B1", "B2", "B3", "S", "M", "L")],
              Architecture((("same", 2),) * 5)),
    **_family([f"ConvNeXt{s}" for s in ("Tiny", "Small", "Base", "Large", "XLarge")],
              Architecture((("valid", 4, 4),) + (("valid", 2, 2),) * 3)),
    "MobileNet": Architecture((("same", 2),) + (("pad_end", 1), ("valid", 3, 2)) * 4, inputs="mobilenet",
                              imagenet_sizes=(128, 160, 192, 224), imagenet_alphas=(0.25, 0.5, 0.75, 1.0)),
    "MobileNetV2": Architecture((("same", 2),) + (("correct", 3), ("valid", 3, 2)) * 4, inputs="mobilenet",
                                imagenet_sizes=(96, 128, 160, 192, 224),
                                imagenet_alphas=(0.35, 0.5, 0.75, 1.0, 1.3, 1.4)),
    **_family(["MobileNetV3Small", "MobileNetV3Large"],
              Architecture((("same", 2),), inputs="mobilenet_v3")),
}
# The strided blocks of MobileNetV3 (kernel sizes): after its first conv.
_V3_BLOCKS = {"MobileNetV3Small": (3, 3, 5, 5), "MobileNetV3Large": (3, 5, 3, 5)}
# Arguments that size weights: parameters are known only at their defaults.
_SIZING = ("alpha", "depth_multiplier", "minimalistic", "include_preprocessing")


def application(name: str) -> Architecture | None:
    return ARCHITECTURES.get(name) if (3, name) in FACTS else None


def bind(name: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """The constructor's arguments by name, defaults filled in (Keras 3's signature); None when
    Keras 3 and tf-keras order the given positional arguments differently, or one is unknown."""
    signature = FACTS[(3, name)]["signature"]
    keras2 = FACTS.get((2, name), FACTS[(3, name)])["signature"]
    names = [n for n, _ in signature]
    if len(args) > len(names) or [n for n, _ in keras2[:len(args)]] != names[:len(args)]:
        return None
    values = dict(signature)
    values.update(zip(names, args))
    for key, value in kwargs.items():
        if key not in values:
            return None  # Keras raises on it (or tf-keras passes it on): not modelled
        values[key] = value
    return values


def declared_input(name: str, values: dict[str, Any]) -> tuple | None:
    """The shape (batch first) of the Input the constructor makes; None when unknown. Where
    the constructor raises, the rule reports it: this gives the given shape."""
    arch = ARCHITECTURES[name]
    given, top, weights = values["input_shape"], values["include_top"], values["weights"]
    if any(v is UNKNOWN for v in (given, top, weights)) or not (given is None or isinstance(given, (tuple, list))):
        return None
    if given is not None and (UNKNOWN in given or len(given) != 3):
        return None
    if arch.inputs == "mobilenet_v3":
        return (None, *(given or (None, None, 3)))
    default = _default_shape(name, arch, given, weights)
    if weights == "imagenet" and top is True:
        return (None, *default)
    if given:
        return (None, *given)
    return (None, *(default if top is True else (None, None, 3)))


def model_name(name: str, values: dict[str, Any], declared: tuple | None) -> str | None:
    """The name Keras gives the model: ``name=`` (tf-keras takes none), or MobileNet's and
    MobileNetV2's of alpha and rows (224 where ImageNet weights have no such size); None when
    unknown. ``declared``: the Input the constructor made, None for an ``input_tensor``."""
    given = values.get("name")
    arch = ARCHITECTURES[name]
    if arch.inputs != "mobilenet" or given is not None:
        return given if isinstance(given, str) else None if given is not None else FACTS[(3, name)]["name"]
    alpha, weights = values["alpha"], values["weights"]
    if declared is None or type(alpha) not in (int, float) or weights is UNKNOWN:
        return None
    rows, cols = declared[1], declared[2]
    if weights == "imagenet" and (rows != cols or rows not in arch.imagenet_sizes):
        rows = 224
    return f"{'mobilenet' if name == 'MobileNet' else 'mobilenetv2'}_{alpha:0.2f}_{rows}"


def _default_shape(name: str, arch: Architecture, given: Any, weights: Any) -> tuple:
    size = FACTS[(3, name)]["default_size"]
    if arch.inputs == "mobilenet" and given is not None and len(given) == 3:
        size = given[0] if given[0] == given[1] and given[0] in arch.imagenet_sizes else 224
    channels = given[-1] if weights != "imagenet" and given and len(given) == 3 else 3
    return (size, size, channels)


class ApplicationRule(LayerRule):
    """An application applied to a 4D image tensor (channels last)."""

    ndim = 4
    input_hint = "(batch, height, width, channels)"

    def display_name(self, node: Any) -> str:
        return node.type.split(".", 1)[1]

    def check_args(self, a: Args) -> None:
        if a["layer"] is not None:
            return  # a layer of the model, whose arguments were checked where it was made
        name = self.display_name(a.node)
        arch = ARCHITECTURES[name]
        top, weights, classes, given = a["include_top"], a["weights"], a["classes"], a["input_shape"]
        if weights == "imagenet" and top is True and is_int(classes) and classes != 1000:
            raise ShapeError("KC303", "ImageNet weights come with 1000 classes: pass weights=None to train "
                             "a new top, or include_top=False and add your own",
                             layer=name, argument="classes", value=format_value(classes),
                             detail="include_top=True with weights='imagenet' needs classes=1000")
        if given is not None and given is not UNKNOWN and isinstance(given, (tuple, list)):
            _check_input_shape(name, arch, a, given)
        if arch.inputs != "standard" and weights == "imagenet":
            _check_imagenet_variant(name, arch, a)
        activation = a["classifier_activation"]
        if top is True and isinstance(weights, str) and isinstance(activation, str) and activation != "softmax":
            raise ShapeError("KC303", "pretrained weights were trained with a softmax: use "
                             "classifier_activation='softmax' or None", layer=name,
                             argument="classifier_activation", value=format_value(activation),
                             detail="only 'softmax' or None with pretrained weights")

    def output_shape(self, a: Args, shape: Output) -> Output:
        name = self.display_name(a.node)
        if a["layer"] is not None:
            return _part_output(name, a["layer"], shape)
        top, pooling = a["include_top"], a["pooling"]
        if top is UNKNOWN or (top is not True and pooling is UNKNOWN):
            return None
        sides = _reduce(name, shape[1], shape[2])
        if sides is None:
            return None
        if top is True:
            classes = a["classes"]
            if ARCHITECTURES[name].flatten_top and None in sides:
                return None  # the Dense after Flatten needs a known size
            return (shape[0], classes if is_int(classes) and classes > 0 else None)
        channels = self._channels(a, name)
        if pooling in ("avg", "max"):
            return (shape[0], channels)
        return (shape[0], *sides, channels)

    def _channels(self, a: Args, name: str) -> int | None:
        defaults = dict(FACTS[(3, name)]["signature"])
        if any(a[k] != defaults[k] for k in _SIZING if k in defaults):
            return None
        return self._facts(a, name)["channels"]

    def _facts(self, a: Args, name: str) -> dict[str, Any]:
        return FACTS.get((a.context.keras_version, name), FACTS[(3, name)])

    def params(self, a: Args, shape: Output) -> int | None:
        counts = self._counts(a, shape)
        return counts[0] if counts else None

    def non_trainable_params(self, a: Args, shape: Output) -> int | None:
        counts = self._counts(a, shape)
        return counts[1] if counts else None

    def _counts(self, a: Args, shape: Output) -> tuple[int, int] | None:
        """(total, non-trainable) weights, when known exactly."""
        name = self.display_name(a.node)
        if a["layer"] is not None or not isinstance(shape, tuple) or not (is_int(shape[-1]) and shape[-1] == 3) or self._channels(a, name) is None:
            return None
        facts = self._facts(a, name)
        if a["include_top"] is False:
            return facts["notop"]
        classes = a["classes"]
        if a["include_top"] is not True or not is_int(classes) or classes <= 0:
            return None
        total, frozen = facts["top"]
        total += (classes - 1000) * (facts["features"] + 1)
        if ARCHITECTURES[name].flatten_top:
            sides = _reduce(name, shape[1], shape[2])
            default = _reduce(name, facts["default_size"], facts["default_size"])
            if sides is None or None in sides or default is None:
                return None
            total += (sides[0] * sides[1] - default[0] * default[1]) * facts["channels"] * 4096
        return total, frozen


def _check_input_shape(name: str, arch: Architecture, a: Args, given: tuple | list) -> None:
    """What ``obtain_input_shape`` (MobileNetV3: its own preamble) rejects in ``input_shape``."""
    top, weights = a["include_top"], a["weights"]

    def reject(detail: str, hint: str) -> ShapeError:
        return ShapeError("KC303", hint, layer=name, argument="input_shape", value=format_value(given),
                          detail=detail)

    if UNKNOWN in given or top is UNKNOWN or weights is UNKNOWN:
        return
    if arch.inputs == "mobilenet_v3":
        if len(given) == 3 and all(is_int(d) for d in given[:2]) and min(given[:2]) < 32:
            raise reject("Input size must be at least 32x32", "give it images of at least 32x32")
        return
    default = _default_shape(name, arch, given, weights)
    if weights == "imagenet" and top is True:
        if given != default:
            expected = "a tuple " if isinstance(given, list) else ""
            raise reject(f"with include_top=True and ImageNet weights it must be {expected}{default}",
                         f"use input_shape={default}, or include_top=False to take other sizes")
        return
    if not given:
        return
    if len(given) != 3:
        raise reject("must be a tuple of three integers", "give (height, width, channels)")
    if given[-1] != 3 and weights == "imagenet":
        raise reject("ImageNet weights need 3 channels",
                     "give it RGB images (repeat a grey channel 3 times), or pass weights=None")
    if any(is_int(d) and d < arch.min_size for d in given[:2]):
        raise reject(f"Input size must be at least {arch.min_size}x{arch.min_size}",
                     f"resize the images to at least {arch.min_size}x{arch.min_size}")
    if top is True and None in given:
        raise reject("with include_top=True it must be static (no None)",
                     "give the size, or include_top=False")


def _check_imagenet_variant(name: str, arch: Architecture, a: Args) -> None:
    alpha = a["alpha"]
    allowed = arch.imagenet_alphas
    if arch.inputs == "mobilenet_v3":
        minimalistic = a["minimalistic"]
        if minimalistic is UNKNOWN:
            return
        allowed = (1.0,) if minimalistic else (0.75, 1.0)
    if name == "MobileNet" and a["depth_multiplier"] not in (1, UNKNOWN):
        raise ShapeError("KC303", "ImageNet weights exist for depth_multiplier=1 only", layer=name,
                         argument="depth_multiplier", value=format_value(a["depth_multiplier"]),
                         detail="ImageNet weights need depth_multiplier=1")
    if isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and alpha not in allowed:
        shown = ", ".join(str(x) for x in allowed)
        raise ShapeError("KC303", "pass weights=None to train from scratch", layer=name, argument="alpha",
                         value=format_value(alpha), detail=f"ImageNet weights exist for alpha in {shown}")


def _reduce(name: str, height: Any, width: Any, path: tuple[tuple, ...] | None = None) -> tuple | None:
    """The sides of the last feature map (or after ``path``) for these input sides (None each:
    unknown); None when they cannot be computed (a side too small for a layer, or Keras failing
    on it)."""
    sides = [height if is_int(height) else None, width if is_int(width) else None]
    if path is None:
        path = ARCHITECTURES[name].path
    if name in _V3_BLOCKS:
        path = path + tuple(op for k in _V3_BLOCKS[name] for op in (("correct", k), ("valid", k, 2)))
    for op in path:
        if op[0] == "correct":
            if sides[0] is None:
                adjust = (1, 1)
            elif sides[1] is None:
                return None  # correct_pad takes the width's parity too: Keras fails
            else:
                adjust = (1 - sides[0] % 2, 1 - sides[1] % 2)
            sides = [None if s is None else s + 2 * (op[1] // 2) - adjust[i] for i, s in enumerate(sides)]
            continue
        for i, side in enumerate(sides):
            if side is None:
                continue
            if op[0] == "pad":
                sides[i] = side + 2 * op[1]
            elif op[0] == "pad_end":
                sides[i] = side + op[1]
            elif op[0] == "same":
                sides[i] = -(-side // op[1])
            elif side < op[1]:
                return None
            else:
                sides[i] = (side - op[1]) // op[2] + 1
    return tuple(sides)


# VGG's convolutions per block and their filters: ``get_layer("block4_pool")`` and the like.
_VGG_BLOCKS = {"VGG16": (2, 2, 3, 3, 3), "VGG19": (2, 2, 4, 4, 4)}
_VGG_FILTERS = (64, 128, 256, 512, 512)


def has_part(name: str, layer: Any) -> bool:
    """Whether kerascheck knows the output of the application's layer named ``layer``."""
    return _part_output(name, layer, (None, None, None, 3)) is not None


def _part_output(name: str, layer: Any, shape: tuple) -> tuple | None:
    """The output of one of the application's own layers (VGG's blocks), for its input."""
    match = re.fullmatch(r"block([1-5])_(?:conv([1-4])|pool)", layer) if isinstance(layer, str) else None
    if name not in _VGG_BLOCKS or match is None:
        return None
    block = int(match[1])
    if match[2] is not None and int(match[2]) > _VGG_BLOCKS[name][block - 1]:
        return None
    pools = block - 1 if match[2] is not None else block
    sides = _reduce(name, shape[1], shape[2], ARCHITECTURES[name].path[:pools])
    return None if sides is None else (shape[0], *sides, _VGG_FILTERS[block - 1])


# ``layer``: the name of one of its own layers, whose output the node stands for (get_layer).
RULES = {name: type(f"{name}Rule", (ApplicationRule,), {"types": (f"applications.{name}",),
                                                         "signature": FACTS[(3, name)]["signature"]
                                                         + (("layer", None),)})()
         for name in ARCHITECTURES if (3, name) in FACTS}


def application_rule(layer_type: str) -> LayerRule | None:
    """The rule of ``applications.<Name>``, for a modelled application."""
    return RULES.get(layer_type[len("applications."):]) if layer_type.startswith("applications.") else None
