"""`kerascheck plot`: every format on the seed models, the SVG through the real Graphviz `dot`
(parsed back), the graph's edges against the real Keras model's (merges, shared layers, nested
models), and the messages when Graphviz or the model is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerascheck.cli import main
from kerascheck.config import Options
from kerascheck.report.plot import Box, Diagram, PlotError, diagrams, dot_text, mermaid_text, write
from kerascheck.runner import check_item
from kerascheck.shapes.base import format_shape

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "seeds").glob("*.py"))
SEED2 = next(p for p in SEEDS if p.name == "seed2_per_timestep_labels_broken.py")
SEED1 = next(p for p in SEEDS if p.name == "seed1_one_to_many_broken.py")

# A shared layer called twice, a merge of both calls, and that model nested in another.
NESTED = '''import keras
from keras import layers

inp = keras.Input(shape=(32,), name="features")
shared = layers.Dense(32, activation="relu", name="shared")
a = shared(inp)
b = shared(a)
merged = layers.Concatenate(name="merge")([a, b])
encoder = keras.Model(inp, merged, name="encoder")

outer_in = keras.Input(shape=(32,), name="outer_features")
code = encoder(outer_in)
out = layers.Dense(4, name="head")(code)
model = keras.Model(outer_in, out, name="classifier")
'''


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def _svg_texts(path: Path) -> tuple[list[str], list[str]]:
    """The text lines of an SVG Graphviz wrote, and the fill colours of its node shapes."""
    root = ElementTree.parse(path).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    texts = [t.text or "" for t in root.iterfind(".//svg:g[@class='node']//svg:text", ns)]
    fills = [p.get("fill") for p in root.iterfind(".//svg:g[@class='node']/svg:path", ns)]
    fills += [p.get("fill") for p in root.iterfind(".//svg:g[@class='node']/svg:polygon", ns)]
    return texts, fills


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("suffix", [".dot", ".mmd", ".md"])
def test_text_formats_on_every_seed(seed: Path, suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"model{suffix}"
    status, _, err = _run(["plot", str(seed), "-o", str(target)])
    assert status in (0, 1), err
    text = target.read_text()
    report = check_item(str(seed), Options())
    layers = [row for result in report.models for row in result.layers]
    assert layers
    for row in layers:
        assert f"{row.name} (" in text
    if suffix == ".dot":
        assert text.startswith("digraph kerascheck {")
    else:
        assert ("```mermaid\nflowchart TB" if suffix == ".md" else "flowchart TB") in text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_svg_through_graphviz_on_every_seed(seed: Path, tmp_path: Path) -> None:
    target = tmp_path / "model.svg"
    status, _, err = _run(["plot", str(seed), "-o", str(target)])
    assert status in (0, 1), err
    texts, _ = _svg_texts(target)
    report = check_item(str(seed), Options())
    for result in report.models:
        for row in result.layers:
            assert f"{row.name} ({row.type})" in texts


def test_svg_shows_shapes_params_and_the_red_error(tmp_path: Path) -> None:
    target = tmp_path / "seed1.svg"
    status, _, _ = _run(["plot", str(SEED1), "-o", str(target)])
    assert status == 1
    texts, fills = _svg_texts(target)
    # The LSTM returning sequences into RepeatVector (line 15): the RepeatVector box is red.
    assert "Output shape: (50, 10, 150)" in texts
    assert "Params: 96,600" in texts
    assert any(t.startswith("KC101 RepeatVector needs 2D") for t in texts)
    assert "#f8d7da" in fills


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_png_and_pdf(suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"seed2{suffix}"
    _run(["plot", str(SEED2), "-o", str(target)])
    magic = {".png": b"\x89PNG", ".pdf": b"%PDF"}[suffix]
    assert target.read_bytes().startswith(magic)


def test_no_graphviz_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    status, _, err = _run(["plot", str(SEED2), "-o", str(tmp_path / "model.svg")])
    assert status == 2
    assert err.splitlines()[-1].endswith(
        "writing .svg needs Graphviz's `dot` program, which is not installed: `apt-get install graphviz` "
        "(Debian, Ubuntu), `brew install graphviz` (macOS), or see https://graphviz.org/download/; "
        ".dot, .mmd and .md need nothing")
    assert not (tmp_path / "model.svg").exists()


def test_what_graphviz_says_when_it_fails(tmp_path: Path) -> None:
    """dot's own message, its bytes that are not UTF-8 (a path's) replaced."""
    target = os.fsdecode(bytes(tmp_path) + b"/no\xffdir/model.svg")
    pictures = diagrams(check_item(str(SEED2), Options()))
    with pytest.raises(PlotError) as raised:
        write(pictures, target)
    assert str(raised.value) == (f'Graphviz\'s dot failed: Error: Could not open "{tmp_path}/no\ufffddir/model.svg" '
                                 "for writing : No such file or directory")


def test_unknown_extension_and_unknown_model(tmp_path: Path) -> None:
    status, _, err = _run(["plot", str(SEED2), "-o", str(tmp_path / "model.txt")])
    assert status == 2 and ".mmd" in err
    status, _, err = _run(["plot", str(SEED2), "--model", "nope"])
    assert status == 2 and "functional (model)" in err


def test_an_unknown_model_lists_the_models_not_the_loose_layers(tmp_path: Path) -> None:
    source = tmp_path / "loose.py"
    source.write_text("import keras\nfrom keras import layers\n\ninp = keras.Input((4,))\n"
                      "model = keras.Model(inp, layers.Dense(2)(inp), name='small')\n"
                      "extra = layers.Dense(3)(keras.Input((5,)))\n")
    status, _, err = _run(["plot", str(source), "--model", "nope"])
    assert status == 2
    assert err.splitlines()[-1].endswith(f"no model 'nope' in {source} (models: small (model))")
    assert [p.title for p in diagrams(check_item(str(source), Options()))] == ["small (model, line 5)"]


def test_dot_on_stdout_and_the_first_error_only_is_red() -> None:
    status, out, err = _run(["plot", str(SEED1)])
    assert status == 1 and "KC101" in err
    red = [line for line in out.splitlines() if "#f8d7da" in line]
    # Two models in seed 1, each with its own first error.
    assert len(red) == 2
    assert "repeat_vector (RepeatVector)" in red[0] and "KC101 RepeatVector needs 2D" in red[0]
    assert "time_distributed_1 (TimeDistributed)" in red[1]


def _edges(picture) -> set[tuple[str, str]]:
    name = [box.title.split(" (")[0] for box in picture.boxes]
    return {(name[a], name[b]) for a, b in picture.edges}


def test_edges_follow_the_graph(tmp_path: Path) -> None:
    source = tmp_path / "nested.py"
    source.write_text(NESTED)
    pictures = diagrams(check_item(str(source), Options()))
    assert [p.title.split(" (")[0] for p in pictures] == ["encoder", "classifier"]
    encoder, classifier = pictures
    assert _edges(encoder) == {("features", "shared"), ("shared", "shared"), ("shared", "merge")}
    assert _edges(classifier) == {("outer_features", "encoder"), ("encoder", "head")}
    merge = next(box for box in encoder.boxes if box.title == "merge (Concatenate)")
    assert merge.lines == ["Input shape: [(None, 32), (None, 32)]", "Output shape: (None, 64)", "Params: 0"]
    nested = next(box for box in classifier.boxes if box.title == "encoder (Functional)")
    assert nested.lines == ["Input shape: (None, 32)", "Output shape: (None, 64)", "Params: 1,056"]
    only = diagrams(check_item(str(source), Options()), "classifier")
    assert [p.title for p in only] == [classifier.title]
    assert re.search(r'm1_\d -> m1_\d;', dot_text(pictures))


def test_edges_and_boxes_match_real_keras(tmp_path: Path) -> None:
    keras = pytest.importorskip("keras")
    namespace: dict = {}
    exec(compile(NESTED, "nested.py", "exec"), namespace)  # only the test runs the program
    source = tmp_path / "nested.py"
    source.write_text(NESTED)
    pictures = {p.title.split(" (")[0]: p for p in diagrams(check_item(str(source), Options()))}
    for name in ("encoder", "classifier"):
        real = namespace["model"] if name == "classifier" else namespace["encoder"]
        edges = set()
        for layer in real.layers:
            for node in layer._inbound_nodes:
                for tensor in node.input_tensors:
                    edges.add((tensor._keras_history.operation.name, layer.name))
        assert _edges(pictures[name]) == edges
        boxes = {box.title: box.lines for box in pictures[name].boxes}
        for layer in real.layers:
            title = f"{layer.name} ({type(layer).__name__})"
            assert f"Output shape: {format_shape(tuple(layer.output.shape))}" in boxes[title]
            assert f"Params: {layer.count_params():,}" in boxes[title]
    assert keras.__version__.startswith("3")


def test_the_readme_picture_is_the_tools_output(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    target = tmp_path / "picture.md"
    _run(["plot", str(SEED1), "--model", "repeat_after_sequences", "-o", str(target)])
    assert target.read_text() in (root / "README.md").read_text()


ESCAPED = """\
import keras
from keras import layers

a = keras.Input((4,), name="a")
b = keras.Input((6,), name='b\\\\"<&>')
merged = layers.Concatenate(name="merge")([layers.Dense(40)(a), b])
model = keras.Model([a, b], layers.LSTM(3)(merged), name="two")
head = keras.Sequential([keras.Input((50,)), layers.Dense(30)], name="head")
"""

# Every character DOT and Mermaid give a meaning to is escaped; the error box is the LSTM's.
ESCAPED_DOT = (
    'digraph kerascheck {\n'
    '  rankdir=TB;\n'
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];\n'
    '  edge [penwidth=2];\n'
    '  subgraph cluster_0 {\n'
    '    label="two (model, line 7)";\n'
    '    fontname="Helvetica";\n'
    '    m0_0 [label="a (InputLayer)\\nOutput shape: (None, 4)\\nParams: 0"];\n'
    '    m0_1 [label="b\\\\\\"<&> (InputLayer)\\nOutput shape: (None, 6)\\nParams: 0"];\n'
    '    m0_2 [label="dense (Dense)\\nInput shape: (None, 4)\\nOutput shape: (None, 40)\\nParams: 200"];\n'
    '    m0_3 [label="merge (Concatenate)\\nInput shape: [(None, 40), (None, 6)]\\n'
    'Output shape: (None, 46)\\nParams: 0"];\n'
    '    m0_4 [label="lstm (LSTM)\\nInput shape: (None, 46)\\nOutput shape: ?\\nParams: ?\\n'
    'KC101 LSTM needs 3D (batch, timesteps, features)\\n'
    'input, got 2D (None, 46)", fillcolor="#f8d7da", color="#c62828", penwidth=2];\n'
    '    m0_0 -> m0_2;\n'
    '    m0_2 -> m0_3;\n'
    '    m0_1 -> m0_3;\n'
    '    m0_3 -> m0_4;\n'
    '  }\n'
    '  subgraph cluster_1 {\n'
    '    label="head (head, line 8)";\n'
    '    fontname="Helvetica";\n'
    '    m1_0 [label="dense_1 (Dense)\\nInput shape: (None, 50)\\nOutput shape: (None, 30)\\nParams: 1,530"];\n'
    '  }\n'
    '}\n'
)
ESCAPED_MERMAID = (
    'flowchart TB\n'
    '  classDef error fill:#f8d7da,stroke:#c62828,stroke-width:2px\n'
    '  subgraph m0["two (model, line 7)"]\n'
    '    direction TB\n'
    '    m0_0["<b>a (InputLayer)</b><br/>Output shape: (None, 4)<br/>Params: 0"]\n'
    '    m0_1["<b>b\\#quot;#lt;#amp;#gt; (InputLayer)</b><br/>Output shape: (None, 6)<br/>Params: 0"]\n'
    '    m0_2["<b>dense (Dense)</b><br/>Input shape: (None, 4)<br/>Output shape: (None, 40)<br/>Params: 200"]\n'
    '    m0_3["<b>merge (Concatenate)</b><br/>Input shape: [(None, 40), (None, 6)]<br/>'
    'Output shape: (None, 46)<br/>Params: 0"]\n'
    '    m0_4["<b>lstm (LSTM)</b><br/>Input shape: (None, 46)<br/>Output shape: ?<br/>Params: ?<br/>'
    'KC101 LSTM needs 3D (batch, timesteps, features)<br/>input, got 2D (None, 46)"]:::error\n'
    '    m0_0 --> m0_2\n'
    '    m0_2 --> m0_3\n'
    '    m0_1 --> m0_3\n'
    '    m0_3 --> m0_4\n'
    '  end\n'
    '  subgraph m1["head (head, line 8)"]\n'
    '    direction TB\n'
    '    m1_0["<b>dense_1 (Dense)</b><br/>Input shape: (None, 50)<br/>Output shape: (None, 30)<br/>Params: 1,530"]\n'
    '  end\n'
)


def test_dot_and_mermaid_texts_in_full(tmp_path: Path) -> None:
    source = tmp_path / "escaped.py"
    source.write_text(ESCAPED)
    pictures = diagrams(check_item(str(source), Options()))
    assert dot_text(pictures) == ESCAPED_DOT
    assert mermaid_text(pictures) == ESCAPED_MERMAID
    for name, text in [("m.gv", ESCAPED_DOT), ("m.DOT", ESCAPED_DOT), ("m.mmd", ESCAPED_MERMAID),
                       ("m.md", "```mermaid\n" + ESCAPED_MERMAID + "```\n")]:
        write(pictures, str(tmp_path / name))
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name


def test_named_dims_and_counts_in_the_boxes(tmp_path: Path) -> None:
    source = tmp_path / "named.py"
    source.write_text("import keras\nfrom keras import layers\n\n\ndef build(n_features):\n"
                      "    inp = keras.Input((n_features,))\n    return keras.Model(inp, layers.Dense(4)(inp))\n")
    (picture,) = diagrams(check_item(str(source), Options()))
    assert picture.boxes[1].lines == ["Input shape: (None, n_features)", "Output shape: (None, 4)",
                                      "Params: 4*n_features + 4"]


def _pictures(source: str, tmp_path: Path, name: str = "model.py") -> list:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return diagrams(check_item(str(path), Options()))


def test_a_layer_run_on_constants_and_an_input_given_twice(tmp_path: Path) -> None:
    """A call run at once on a constant is no node of the model: no box for the Dense only run
    so, no edge into or out of that call, and the shared Embedding's input is its call in the
    model; an input given twice is one box. (Each once left every box unmatched: no edges.)"""
    from tests.report.test_summary_keras import CONSTANTS

    model, twice = _pictures(CONSTANTS, tmp_path)
    assert [box.title for box in model.boxes] == ["input_layer (InputLayer)", "embedding (Embedding)", "add (Add)",
                                                  "global_average_pooling1d (GlobalAveragePooling1D)"]
    assert model.boxes[1].lines == ["Input shape: (None, 80)", "Output shape: (None, 80, 32)", "Params: 2,560"]
    assert model.boxes[2].lines[1:] == ["Output shape: (None, 80, 32)", "Params: 0"]
    assert model.boxes[3].lines == ["Input shape: (None, 80, 32)", "Output shape: (None, 32)", "Params: 0"]
    assert model.edges == [(0, 1), (1, 2), (2, 3)]
    assert [(box.title, box.lines) for box in twice.boxes] == [
        ("input_layer_1 (InputLayer)", ["Output shape: (None, 4)", "Params: 0"]),
        ("dense_1 (Dense)", ["Input shape: (None, 4)", "Output shape: (None, 2)", "Params: 10"])]
    assert twice.edges == [(0, 1)]


def test_constants_and_an_input_given_twice_drawn_as_keras_has_them(keras3, tmp_path: Path) -> None:
    """The boxes (Keras's ``_operations``, what ``plot_model`` draws), their edges, output
    shapes and parameters."""
    from tests.report.test_summary_keras import CONSTANTS, keras_models

    ours = {p.title.split(" (")[0]: p for p in _pictures(CONSTANTS, tmp_path, "constants.py")}
    for name, real in keras_models(CONSTANTS, "constants.py", keras3).items():
        picture = ours[name]
        edges = {(tensor._keras_history.operation.name, op.name) for op in real._operations
                 for node in op._inbound_nodes for tensor in node.input_tensors}
        assert _edges(picture) == edges
        boxes = {box.title: box.lines for box in picture.boxes}
        assert set(boxes) == {f"{op.name} ({type(op).__name__})" for op in real._operations}
        for op in real._operations:
            lines = boxes[f"{op.name} ({type(op).__name__})"]
            assert f"Output shape: {format_shape(tuple(op.output.shape))}" in lines
            assert f"Params: {op.count_params() if isinstance(op, keras3.layers.Layer) else 0:,}" in lines


def test_rows_not_matched_to_layers_give_boxes_without_edges(tmp_path: Path) -> None:
    """The fallback when propagate's rows cannot be paired with the model's layers (one row
    fewer here): each row a box, its input shape unknown, no edge."""
    from dataclasses import replace

    path = tmp_path / "model.py"
    path.write_text("import keras\nfrom keras import layers\n\ninp = keras.Input((3,))\n"
                    "model = keras.Model(inp, layers.Dense(2)(layers.Dense(4)(inp)))\n", encoding="utf-8")
    report = check_item(str(path), Options())
    report.models = [replace(result, layers=result.layers[:-1]) for result in report.models]
    (picture,) = diagrams(report)
    assert [(box.title, box.lines) for box in picture.boxes] == [
        ("input_layer (InputLayer)", ["Input shape: ?", "Output shape: (None, 3)", "Params: 0"]),
        ("dense (Dense)", ["Input shape: ?", "Output shape: (None, 4)", "Params: 16"])]
    assert picture.edges == []


def test_a_sequential_given_no_input_has_its_layers_chained_and_unknown(tmp_path: Path) -> None:
    """Its first layer reads an input the model does not have yet: no box, no edge for it."""
    (picture,) = _pictures("import keras\nfrom keras import layers\n\n"
                           "never = keras.Sequential([layers.Dense(8), layers.Dropout(0.2), layers.Dense(1)])\n",
                           tmp_path)
    assert picture.title == "sequential (never, line 4)"
    unknown = ["Input shape: ?", "Output shape: ?", "Params: ?"]
    assert [(box.title, box.lines) for box in picture.boxes] == [
        ("dense (Dense)", unknown), ("dropout (Dropout)", unknown), ("dense_1 (Dense)", unknown)]
    assert picture.edges == [(0, 1), (1, 2)]


def test_the_format_is_the_last_extension_and_a_name_without_one_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = [Diagram("m (m, line 1)", [Box("dense (Dense)", ["Params: 0"])], [])]
    write(pictures, str(tmp_path / "model.v2.mmd"))
    assert (tmp_path / "model.v2.mmd").read_text(encoding="utf-8") == mermaid_text(pictures)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlotError) as raised:
        write(pictures, "dot")  # a name, not an extension
    assert str(raised.value) == ("cannot tell the format of 'dot' from its extension: use one of "
                                 ".dot, .gv, .mmd, .md, .svg, .png, .pdf")
    assert not (tmp_path / "dot").exists()


def test_pictures_are_written_in_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Under the C locale without UTF-8 mode, Python's default encoding is ASCII."""
    target = tmp_path / "model.mmd"
    program = ("from kerascheck.report.plot import Box, Diagram, write; "
               f"write([Diagram('mod\\u00e8le', [Box('caf\\u00e9 (Dense)', ['Params: 0'])], [])], {str(target)!r})")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert '<b>café (Dense)</b><br/>Params: 0' in target.read_bytes().decode("utf-8")
