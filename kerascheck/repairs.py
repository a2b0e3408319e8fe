"""Repair intents as plain data: what a fix would change, addressed by source position.

An analysis that sees how to repair a problem attaches a ``Fix`` to its diagnostic: which call
(a layer constructor, a ``fit`` call...) and which argument, and what change. It is a
candidate: ``fixes.verify`` mirrors its edits on the model graph and keeps it only if the
problem goes away and nothing new appears; ``fixes.apply`` turns the edits into source text
(the only module that touches libcst for fixes). Analyses never hold syntax-tree nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kerascheck.graph import Position


@dataclass(frozen=True)
class SetKeyword:
    """Give the call at ``target`` the keyword ``name=code`` (added, or its value replaced)."""

    target: Position
    name: str
    code: str


@dataclass(frozen=True)
class RenameKeyword:
    """Rename the keyword ``old`` of the call at ``target`` to ``new``, keeping its value."""

    target: Position
    old: str
    new: str


@dataclass(frozen=True)
class ReplaceArgument:
    """Replace the value of argument ``name`` (or positional ``index``) of the call at ``target``."""

    target: Position
    code: str
    name: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class ExtendTuple:
    """Append the element ``code`` to the tuple written as argument ``name`` (or positional
    ``index``) of the call at ``target``: ``input_shape=(28, 28)`` -> ``(28, 28, 1)``."""

    target: Position
    code: str
    name: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class InsertLayer:
    """Insert the layer ``layer`` (e.g. ``"Flatten()"``, spelled like its neighbours on apply)
    before or after the layer constructed at ``target``, in a Sequential list, an ``.add``
    chain or a functional call chain."""

    target: Position
    layer: str
    after: bool = False


@dataclass(frozen=True)
class RemoveLayer:
    """Take the layer constructed at ``target`` out of the model: its element of a Sequential
    list, its ``.add`` statement, or its functional call (``y = Pool(4)(x)`` -> ``y = x``)."""

    target: Position


@dataclass(frozen=True)
class ReplaceLayer:
    """Construct the layer ``layer`` (e.g. ``"GlobalAveragePooling1D()"``, spelled like the one it
    replaces on apply) instead of the one constructed at ``target``, in the same place."""

    target: Position
    layer: str


@dataclass(frozen=True)
class UnwrapLayer:
    """Construct the layer the wrapper at ``target`` wraps, without the wrapper:
    ``TimeDistributed(Dense(1))`` -> ``Dense(1)``."""

    target: Position


@dataclass(frozen=True)
class UnwrapWith:
    """Run the body of the ``with`` statement whose one item is the call at ``target`` (bound
    to no name) without the ``with``: ``with K.get_session():`` only held a TensorFlow 1 session."""

    target: Position


@dataclass(frozen=True)
class MoveKeywordToInput:
    """Keras 3 migration: move ``name=value`` of the first layer at ``target`` into a new
    ``Input(<input_keyword>=value)`` placed before it."""

    target: Position
    name: str
    input_keyword: str
    as_tuple: bool = False  # ``input_dim=4`` -> ``Input(shape=(4,))``
    also: tuple[str, ...] = ()  # keywords whose values go before it in the tuple, then are dropped
    batch_size: bool = False  # the layer's batch_size= moves too: Input(shape=..., batch_size=...)


@dataclass(frozen=True)
class RemoveKeyword:
    """Delete the keyword argument ``name`` of the call at ``target``."""

    target: Position
    name: str


@dataclass(frozen=True)
class RenameMethod:
    """Call method ``new`` instead (``model.fit_generator(...)`` -> ``model.fit(...)``) at ``target``.

    Positional arguments after the first become keywords named by ``positional`` (the old
    method's parameters, so each keeps its meaning); keywords are renamed by ``keywords`` and
    those in ``dropped`` deleted."""

    target: Position
    new: str
    positional: tuple[str, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupPositional:
    """Write ``count`` positional arguments from ``start`` as one tuple, keeping their text:
    ``Convolution2D(32, 3, 3)`` -> ``Convolution2D(32, (3, 3))``."""

    target: Position
    start: int
    count: int


@dataclass(frozen=True)
class GroupKeywords:
    """Replace the keywords ``names`` by one keyword ``name`` whose value is the tuple of theirs,
    keeping their text: ``nb_row=3, nb_col=5`` -> ``kernel_size=(3, 5)``."""

    target: Position
    names: tuple[str, ...]
    name: str


Edit = (SetKeyword | RenameKeyword | ReplaceArgument | ExtendTuple | InsertLayer | RemoveLayer | ReplaceLayer
        | UnwrapLayer | UnwrapWith | MoveKeywordToInput | RemoveKeyword | RenameMethod | GroupPositional
        | GroupKeywords)


@dataclass(frozen=True)
class Fix:
    """A repair: a one-line description (shown to the user), the edits that make it, and how
    safe it is, as ruff says it. ``SAFE`` keeps what the code was evidently written to do (a
    renamed keyword, the one flag that lets a layer take its input); ``UNSAFE`` changes what the
    model computes or picks one of several repairs (a new layer, another loss, other lengths):
    ``--fix`` makes the safe ones, the unsafe ones need ``--unsafe-fixes`` too."""

    SAFE: ClassVar[str] = "safe"
    UNSAFE: ClassVar[str] = "unsafe"

    description: str
    edits: tuple[Edit, ...]
    applicability: str = SAFE

    @property
    def safe(self) -> bool:
        return self.applicability == self.SAFE
