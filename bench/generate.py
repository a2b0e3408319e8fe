"""Generate a realistic monorepo-like tree: many plain Python modules, some Keras model files.

    python bench/generate.py OUT_DIR [--files 3000] [--keras-share 0.1] [--seed 0]

Keras files are assembled from the model styles users write (Sequential lists and .add chains,
functional graphs, conv/pool stacks, recurrent stacks, data arrays passed to fit); the others are
ordinary utility modules of similar size. Every generated Keras file builds in real Keras, so
bench/run.py can time the real-Keras alternative on the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PLAIN_FUNCTION = '''

def {name}(records, threshold={threshold}):
    """Filter and summarise records above a threshold."""
    kept = [r for r in records if r.get("score", 0) > threshold]
    total = sum(r["score"] for r in kept)
    by_key = {{}}
    for record in kept:
        by_key.setdefault(record.get("key"), []).append(record)
    return {{"count": len(kept), "total": total, "groups": len(by_key)}}
'''

PLAIN_CLASS = '''

class {name}:
    """A small cache with expiry, as utility modules tend to have."""

    def __init__(self, size={size}):
        self.size = size
        self.items = {{}}

    def get(self, key, default=None):
        value = self.items.get(key)
        return default if value is None else value[0]

    def put(self, key, value, stamp=0):
        if len(self.items) >= self.size:
            oldest = min(self.items, key=lambda k: self.items[k][1])
            del self.items[oldest]
        self.items[key] = (value, stamp)
'''

KERAS_HEADER = '''"""Model definitions for experiment {index}."""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
'''

KERAS_MODELS = [
    '''

def build_classifier_{i}():
    model = keras.Sequential([
        keras.Input(shape=({h}, {w}, {c})),
        layers.Conv2D({f}, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D({f2}, 3, activation="relu", padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.3),
        layers.Dense({classes}, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    return model


classifier_{i} = build_classifier_{i}()
''',
    '''

series_{i} = np.random.random((256, {steps}, {feat}))
targets_{i} = np.random.random((256, 1))
forecaster_{i} = keras.Sequential()
forecaster_{i}.add(keras.Input(shape=({steps}, {feat})))
forecaster_{i}.add(layers.Conv1D({f}, {k}, activation="relu"))
forecaster_{i}.add(layers.MaxPooling1D(2))
forecaster_{i}.add(layers.LSTM({units}, return_sequences=True))
forecaster_{i}.add(layers.LSTM({units2}))
forecaster_{i}.add(layers.Dense(1))
forecaster_{i}.compile(loss="mse", optimizer="adam")
''',
    '''

tokens_{i} = keras.Input(shape=({steps},))
embedded_{i} = layers.Embedding({vocab}, {dim})(tokens_{i})
encoded_{i} = layers.Bidirectional(layers.GRU({units}, return_sequences=True))(embedded_{i})
pooled_{i} = layers.GlobalMaxPooling1D()(encoded_{i})
hidden_{i} = layers.Dense({units2}, activation="relu")(pooled_{i})
tagger_{i} = keras.Model(tokens_{i}, layers.Dense({classes}, activation="softmax")(hidden_{i}))
''',
]


def plain_module(rng: random.Random, index: int) -> str:
    parts = [f'"""Utilities, part {index}."""\nimport json\nimport os\n']
    for j in range(rng.randint(4, 14)):
        if rng.random() < 0.6:
            parts.append(PLAIN_FUNCTION.format(name=f"summarise_{j}", threshold=rng.randint(0, 9)))
        else:
            parts.append(PLAIN_CLASS.format(name=f"Cache{j}", size=rng.randint(8, 512)))
    return "".join(parts)


def keras_module(rng: random.Random, index: int) -> str:
    parts = [KERAS_HEADER.format(index=index)]
    for i in range(rng.randint(1, 3)):
        template = rng.choice(KERAS_MODELS)
        parts.append(template.format(
            i=i, h=rng.choice([28, 32, 64]), w=rng.choice([28, 32, 64]), c=rng.choice([1, 3]),
            f=rng.choice([16, 32]), f2=rng.choice([32, 64]), classes=rng.choice([2, 10]),
            steps=rng.choice([20, 40, 100]), feat=rng.choice([1, 4, 16]), k=rng.choice([3, 5]),
            units=rng.choice([16, 32, 64]), units2=rng.choice([8, 16]), vocab=rng.choice([1000, 20000]),
            dim=rng.choice([16, 64]),
        ))
    return "".join(parts)


def generate(out: Path, files: int, keras_share: float, seed: int) -> list[Path]:
    """Write the tree; returns the Keras files (the ones worth building in real Keras)."""
    rng = random.Random(seed)
    keras_files = []
    for index in range(files):
        package = out / f"pkg{index % 40:02d}" / f"sub{index % 7}"
        package.mkdir(parents=True, exist_ok=True)
        is_keras = rng.random() < keras_share
        path = package / (f"models_{index}.py" if is_keras else f"util_{index}.py")
        path.write_text(keras_module(rng, index) if is_keras else plain_module(rng, index), encoding="utf-8")
        if is_keras:
            keras_files.append(path)
    return keras_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--keras-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    keras_files = generate(args.out, args.files, args.keras_share, args.seed)
    print(f"{args.files} files written to {args.out}, {len(keras_files)} with Keras models")


if __name__ == "__main__":
    main()
