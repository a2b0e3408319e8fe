"""Bad input never takes the process down: KC001/KC003, and files without Keras are not parsed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kerascheck import check_source
from kerascheck.frontend import build_graphs
from tests.frontend.helpers import codes, frontend


def test_syntax_error_is_kc001_at_its_line_and_column():
    result = frontend("""
        import keras
        model = keras.Sequential()
        model.add(keras.layers.Dense(10)
        x = 1
    """)
    assert result.models == []
    assert [d.code for d in result.diagnostics] == ["KC001"]
    assert result.diagnostics[0].position.line == 4
    assert "never closed" in result.diagnostics[0].message


def test_indentation_error_is_kc001():
    result = frontend("import keras\nif True:\nx = 1\n")
    assert codes(result) == [("KC001", 3, 1)]


_CRASHERS = {
    "5,000-deep parentheses": "'x = ' + '(' * 5000 + '1' + ')' * 5000",
    "20,000-term sum": "'x = ' + '+'.join(['1'] * 20000)",
    "10,000-term and-chain": "'x = ' + ' and '.join(['a'] * 10000)",
}


@pytest.mark.parametrize("expression", _CRASHERS.values(), ids=_CRASHERS.keys())
def test_inputs_that_crash_libcst_are_kc003_in_a_live_process(expression):
    script = textwrap.dedent(f"""
        from kerascheck.frontend import build_graphs
        text = 'import keras\\n' + {expression} + '\\n'
        result = build_graphs(text)
        print([d.code for d in result.diagnostics], len(result.models))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['KC003'] 0"


def test_long_but_harmless_chains_are_still_parsed():
    model = "m = keras.Sequential([keras.layers.Dense(1, input_dim=2)])\n"
    text = "import keras\nx = " + " and ".join(["a"] * 500) + "\n" + model
    result = build_graphs(text)
    assert result.diagnostics == [] and len(result.models) == 1


def test_deep_expression_inside_a_model_statement_does_not_raise():
    text = "import keras\nm = keras.Sequential([keras.layers.Dense(" + "+".join(["1"] * 1500) + ", input_dim=2)])\n"
    result = build_graphs(text)
    assert result.diagnostics == []


def test_files_without_keras_are_not_parsed(monkeypatch):
    import ast

    import libcst

    def refuse(*args, **kwargs):
        raise AssertionError("parsed a file that never mentions keras")

    monkeypatch.setattr(libcst, "parse_module", refuse)
    monkeypatch.setattr(ast, "parse", refuse)
    result = build_graphs("import torch\nmodel = torch.nn.Linear(3, 4)\n")
    assert result.models == [] and result.diagnostics == []


def test_a_file_mentioning_tensorflow_is_parsed(monkeypatch):
    import libcst

    calls = []
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module", lambda text: calls.append(1) or real(text))
    build_graphs("import tensorflow as tf\n")
    assert calls == [1]


@pytest.mark.parametrize(("text", "found"), [
    ("import keras\nclass A:\n    def f(self):\n        return self.f()\nA().f()\n", []),
    ("import keras\nwhile True:\n    x = keras.layers.Dense(1)\n", []),
    ("import keras\nfor i in range(10**9):\n    pass\n", []),
    ("import keras\nx = 2 ** 10 ** 10\ny = (1,) * 10**12\n", []),
    ("import keras\ndef f(*a, **k):\n    return f(*a, **k)\nf(1, b=2)\n", []),
    # add(*layers) is not followed (the model is not marked incomplete); add(layer=...) adds the Dense.
    ("import keras\nm = keras.Sequential()\nm.add(*layers)\nm.add(layer=keras.layers.Dense(1))\n",
     [("m", "sequential", ["Dense"])]),
    ("import keras\nfrom . import something\nx = something.Dense(3)(y)\n", []),
    ("import keras\nmatch x:\n    case 1:\n        pass\n", []),
    ("import keras\nx: int\nlambda: (yield)\nasync def f():\n    await g()\n", []),
])
def test_unusual_code_never_raises(text, found):
    result = build_graphs(text)
    assert [(m.name, m.kind, [c.layer.type for c in m.calls]) for m in result.models] == found


def test_a_continuation_before_a_last_crlf_is_kc005_not_an_internal_error():
    """CPython parses ``\\`` then CRLF at the end; its tokenize module and libcst do not."""
    result = check_source("import keras\n\n\\\r\n", "x.py")
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("KC005", "could not be analysed (libcst: tokenizer error: unexpected end of file after a line continuation)")]
