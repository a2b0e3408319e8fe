"""Random preprocessing layers on inputs of any rank, with valid and invalid arguments.

Layers whose argument checks kerascheck does not model (the less common augmentations) draw
valid arguments only: their strategies test the shape rule, not argument validation.
"""

from __future__ import annotations

from hypothesis import strategies as st

from kerascheck.shapes.image_preprocessing import INTERPOLATIONS
from tests.shapes.helpers import layer

DIMS = st.sampled_from([None, 1, 3, 4, 8])
SHAPES = st.builds(lambda batch, dims: (batch,) + tuple(dims), st.sampled_from([None, None, 2]),
                   st.lists(DIMS, min_size=0, max_size=4))
IMAGES = st.builds(lambda batch, h, w, c: (batch, h, w, c), st.sampled_from([None, 2]),
                   st.sampled_from([None, 8, 16]), st.sampled_from([None, 8, 16]), st.sampled_from([1, 3, None]))
INPUTS = st.one_of(IMAGES, SHAPES)
FACTORS = st.one_of(st.sampled_from([0.1, 0.5, 1.0, -0.2, -1.0, 1.5, 0, None, "x"]),
                    st.tuples(st.sampled_from([-1.5, -0.5, 0.0, 0.3]), st.sampled_from([-0.2, 0.4, 1.0, 2.0])),
                    st.just((0.1, 0.2, 0.3)))
DATA_FORMAT = st.sampled_from(["channels_last", "channels_first", "CHANNELS_LAST", "nchw"])
FILL = st.sampled_from(["reflect", "wrap", "constant", "nearest", "mirror"])
INTERPOLATION = st.sampled_from(list(INTERPOLATIONS) + ["bicubic"])


def _kwargs(**options: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional=options)


def _case(name: str, args: st.SearchStrategy[tuple] = st.just(()), inputs=INPUTS, **options) -> st.SearchStrategy:
    return st.tuples(st.builds(lambda a, k: layer(name, *a, **k), args, _kwargs(**options)), inputs)


SIZE = st.sampled_from([4, 5, 0, -1, 2.5])
LOOKUP = dict(max_tokens=st.sampled_from([None, 1, 5, 10]), pad_to_max_tokens=st.booleans(),
              num_oov_indices=st.sampled_from([0, 1, 2, -1]), sparse=st.booleans(), invert=st.booleans(),
              output_mode=st.sampled_from(["int", "one_hot", "multi_hot", "count", "binary", "embedding"]))

STRATEGIES = {
    "Rescaling": _case("Rescaling", st.tuples(st.sampled_from([1 / 255, 2.0])), offset=st.just(-1.0)),
    "Resizing": _case("Resizing", st.tuples(SIZE, SIZE), data_format=DATA_FORMAT,
                      interpolation=st.just("nearest"), crop_to_aspect_ratio=st.booleans()),
    "CenterCrop": _case("CenterCrop", st.tuples(SIZE, SIZE), data_format=DATA_FORMAT),
    "RandomCrop": _case("RandomCrop", st.tuples(SIZE, SIZE), data_format=DATA_FORMAT, seed=st.just(1)),
    "RandomFlip": _case("RandomFlip", st.tuples(st.sampled_from(["horizontal", "vertical", "diag"])),
                        data_format=DATA_FORMAT),
    "RandomRotation": _case("RandomRotation", st.tuples(FACTORS), fill_mode=FILL, interpolation=INTERPOLATION,
                            data_format=DATA_FORMAT),
    "RandomZoom": _case("RandomZoom", st.tuples(FACTORS), width_factor=FACTORS, fill_mode=FILL,
                        interpolation=INTERPOLATION, data_format=DATA_FORMAT),
    "RandomTranslation": _case("RandomTranslation", st.tuples(FACTORS, FACTORS), fill_mode=FILL,
                               interpolation=INTERPOLATION),
    "RandomContrast": _case("RandomContrast", st.tuples(FACTORS), value_range=st.just((0, 1))),
    "RandomHue": _case("RandomHue", st.tuples(FACTORS), data_format=DATA_FORMAT),
    "RandomBrightness": _case("RandomBrightness", st.tuples(FACTORS),
                              value_range=st.sampled_from([(0, 1), (0, 255), (0, 1, 2), 5])),
    "RandomColorDegeneration": _case("RandomColorDegeneration", st.tuples(st.just(0.5)), data_format=DATA_FORMAT),
    "RandomSaturation": _case("RandomSaturation", st.tuples(st.just(0.5))),
    "RandomSharpness": _case("RandomSharpness", st.tuples(st.just(0.5))),
    "RandomGrayscale": _case("RandomGrayscale", factor=st.just(0.3)),
    "RandomInvert": _case("RandomInvert", factor=st.just(0.5)),
    "RandomPosterization": _case("RandomPosterization", st.tuples(st.just(4))),
    "RandomColorJitter": _case("RandomColorJitter", brightness_factor=st.just(0.2), hue_factor=st.just(0.1)),
    "RandomShear": _case("RandomShear", x_factor=st.just(0.2), y_factor=st.just(0.1)),
    "RandomPerspective": _case("RandomPerspective", factor=st.just(0.5)),
    "RandomElasticTransform": _case("RandomElasticTransform", factor=st.just(0.5)),
    "RandomErasing": _case("RandomErasing", factor=st.just(0.5)),
    "RandomGaussianBlur": _case("RandomGaussianBlur", factor=st.just(0.5)),
    "AutoContrast": _case("AutoContrast", data_format=DATA_FORMAT),
    "Equalization": _case("Equalization", data_format=DATA_FORMAT),
    "Solarization": _case("Solarization", addition_factor=st.just(0.2)),
    "CutMix": _case("CutMix", factor=st.just(0.5)),
    "MixUp": _case("MixUp", alpha=st.just(0.3)),
    "AugMix": _case("AugMix"),
    "RandAugment": _case("RandAugment", num_ops=st.just(2)),
    "ContrastLimitedAdaptiveHistogramEqualization": _case("ContrastLimitedAdaptiveHistogramEqualization"),
    "MaxNumBoundingBoxes": _case("MaxNumBoundingBoxes", st.tuples(st.just(5))),
    "Normalization": _case("Normalization", axis=st.sampled_from([-1, 1, 2, None, (1, 2), (0,), 5, [-1, 1]]),
                           mean=st.sampled_from([2.0, [1.0, 2.0, 3.0], [[1.0]]]),
                           variance=st.sampled_from([1.0, [1.0, 1.0, 1.0]])),
    "CategoryEncoding": _case("CategoryEncoding", st.tuples(st.sampled_from([5, 1, 0, None])),
                              output_mode=st.sampled_from(["multi_hot", "one_hot", "count", "binary", "int"])),
    "Hashing": _case("Hashing", st.tuples(st.sampled_from([5, 1, 0, -2])),
                     output_mode=st.sampled_from(["int", "one_hot", "multi_hot", "count", "tf_idf"]),
                     sparse=st.booleans(), salt=st.sampled_from([1, (1, 2), "x"])),
    "Discretization": _case("Discretization", bin_boundaries=st.sampled_from([[0.0, 1.0], [0.5]]),
                            num_bins=st.sampled_from([4, 0, -1]), sparse=st.booleans(),
                            output_mode=st.sampled_from(["int", "one_hot", "multi_hot", "count", "bad"])),
    "IntegerLookup": _case("IntegerLookup", vocabulary=st.sampled_from([[1, 2, 3], [7, 8]]), **LOOKUP),
    "StringLookup": _case("StringLookup", vocabulary=st.sampled_from([["a", "b"], ["x", "y", "z"]]), **LOOKUP),
    "TextVectorization": _case(
        "TextVectorization", max_tokens=st.sampled_from([None, 5, 1]), pad_to_max_tokens=st.booleans(),
        split=st.sampled_from([None, "whitespace", "character", "comma"]),
        output_sequence_length=st.sampled_from([None, 4]), vocabulary=st.just(["a", "b"]),
        output_mode=st.sampled_from(["int", "one_hot", "multi_hot", "count", "binary"])),
}


def _image_follower(make):
    """Image layers follow 4D (batch, height, width, channels) tensors."""
    return lambda shape: make() if len(shape) == 4 else None


FOLLOWERS = {
    "Rescaling": lambda shape: st.just(layer("Rescaling", 1 / 255)),
    "Resizing": _image_follower(lambda: st.builds(lambda h, w: layer("Resizing", h, w), SIZE, SIZE)),
    "CenterCrop": _image_follower(lambda: st.builds(lambda h, w: layer("CenterCrop", h, w), SIZE, SIZE)),
    "RandomFlip": _image_follower(lambda: st.just(layer("RandomFlip", "horizontal"))),
    "RandomRotation": _image_follower(lambda: st.builds(lambda f: layer("RandomRotation", f), FACTORS)),
    "RandomZoom": _image_follower(lambda: st.builds(lambda f: layer("RandomZoom", f), FACTORS)),
    "RandomContrast": _image_follower(lambda: st.builds(lambda f: layer("RandomContrast", f), FACTORS)),
    "Normalization": lambda shape: st.just(layer("Normalization")) if shape[-1] is not None else None,
}
