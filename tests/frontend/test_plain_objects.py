"""Models held on objects of plain classes of the file: ``__init__`` runs with the call's
arguments, so the sizes given to the constructor size the model it builds on ``self``."""

from __future__ import annotations

import textwrap

from kerascheck import check_source


def test_the_constructor_arguments_size_the_model_on_self():
    result = check_source(textwrap.dedent("""
        import keras
        from keras import layers

        class Agent:
            def __init__(self, state_size, action_size):
                self.model = keras.Sequential([keras.Input((state_size,)), layers.Dense(action_size)])

        agent = Agent(8, 4)
        agent.model.summary()
        """), "t.py")
    assert [(row.output, row.params) for model in result.models for row in model.layers] == [((None, 4), 36)]


def test_a_class_with_bases_the_file_does_not_define_is_not_run_as_one():
    result = check_source(textwrap.dedent("""
        import keras
        from keras import layers
        from somewhere import Base

        class Agent(Base):
            def __init__(self, state_size):
                self.model = keras.Sequential([keras.Input((state_size,)), layers.Dense(4)])

        agent = Agent(8)
        """), "t.py")
    # Base may be anything (a class whose __init__ Agent's does not call): the size stays a name
    assert [str(row.params) for model in result.models for row in model.layers] == ["4*state_size + 4"]
