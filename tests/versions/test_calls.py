"""KC530 (backend sessions) and KC531 (optimizer lr=): once each, at the call, by version."""

from __future__ import annotations

import pytest

from kerascheck import check_source
from kerascheck.config import Options

SESSIONS = """\
import tensorflow as tf
from keras import backend as K
from keras.optimizers import Adam
sess = K.get_session()
K.set_session(tf.compat.v1.Session())
opt = Adam(lr=0.01)
opt2 = tf.keras.optimizers.SGD(momentum=0.9,
                               lr=0.1)
rate = "lr=0.1"  # Adam(learning_rate=0.1) here
"""


def found(version):
    result = check_source(SESSIONS, "<string>", Options(keras_version=version))
    return [(d.code, d.position.line, d.position.column, d.severity) for d in result.diagnostics]


def test_keras3_rejects_sessions_and_lr():
    assert found(3) == [("KC530", 4, 8, "error"), ("KC530", 5, 1, "error"), ("KC531", 6, 12, "error"),
                        ("KC531", 8, 32, "error")]


def test_keras2_warns_about_sessions_only():
    assert found(2) == [("KC530", 4, 8, "warning"), ("KC530", 5, 1, "warning")]


def test_the_message_names_the_versions_and_the_replacement():
    result = check_source(SESSIONS, "<string>", Options(keras_version=3))
    assert result.diagnostics[0].message == "K.get_session() does not work on Keras 3 or TensorFlow 2's tf.keras"
    assert result.diagnostics[2].text == "Adam lr= was removed in Keras 3; use learning_rate= (Keras 2 named it lr)"


@pytest.mark.parametrize("name", ["Adam", "SGD", "RMSprop"])
def test_lr_is_rejected_by_keras3_and_accepted_by_tf_keras(keras2, keras3, name):
    getattr(keras2.optimizers, name)(lr=0.1)
    with pytest.raises(Exception):
        getattr(keras3.optimizers, name)(lr=0.1)


def test_sessions_are_gone_from_keras3_and_tf_keras(keras2, keras3):
    assert not hasattr(keras3.backend, "get_session") and not hasattr(keras2.backend, "get_session")


@pytest.mark.parametrize("program, fixed", [
    ("with K.get_session():\n    model.fit(x, y)\n", True),
    ("with keras.backend.get_session() :  # TF 1\n    model.fit(x, y)\n", True),
    ("sess = K.get_session()\n", False),  # the session is used later: not ours to remove
    ("with K.get_session() as sess:\n    sess.run(op)\n", False),
    ("with K.get_session(), graph.as_default():\n    model.fit(x, y)\n", False),
    ("with K.set_session(session):\n    model.fit(x, y)\n", False),
])
def test_only_a_with_block_holding_the_session_alone_is_unwrapped(program, fixed):
    (session,) = check_source("import keras\nfrom keras import backend as K\n" + program, "<string>",
                              Options(keras_version=3)).diagnostics
    assert session.code == "KC530" and (session.fix is not None) == fixed
    if fixed:
        assert session.fix.safe and session.fix.description == \
            f"run the body of the with statement on line 3 without {session.message.split('(')[0]}()"


PRIVATE_BACKEND = """\
from tf_keras.src import backend
session = backend.get_session()
"""


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("module", ["tf_keras.src", "tensorflow.python.keras"])
def test_private_backends_keep_sessions(module, version, keras2):
    """tf_keras's own sources, and TensorFlow's private Keras copy (still shipped beside Keras 3),
    call the session functions of their private backend, which has them."""
    import importlib

    assert callable(importlib.import_module(f"{module}.backend").get_session)
    result = check_source(PRIVATE_BACKEND.replace("tf_keras.src", module), "<string>", Options(keras_version=version))
    assert result.diagnostics == []


def test_a_session_or_lr_in_a_string_or_comment_is_no_call():
    source = ('from keras import backend as K\n'
              'def make():\n'
              '    """Set the session first: `K.set_session(sess)`, or Adam(lr=0.1) in Keras 2."""\n'
              '    return K.get_session()  # not K.set_session(s)\n')
    result = check_source(source, "<string>", Options(keras_version=3))
    assert [(d.code, d.position.line, d.position.column) for d in result.diagnostics] == [("KC530", 4, 12)]
