"""Keras 1, 2 and 3: which Keras a file targets, and the API traps between the versions.

``resolve_version`` says which Keras a file runs on and why (``resolve.py``: flag, declared
dependencies, installed packages, the file's era); ``merge_versions`` applies the error policy
when that is unknown; ``check_api`` checks a model's layer arguments,
fit/evaluate/predict arguments and stateful-RNN use against that version's real signatures
(``signatures.py``, generated from the installed Keras 3 and tf-keras); ``check_imports``
checks module paths and imported layer classes that no longer exist, and TensorFlow's private
Keras copy (``repeated_at_use``: the layer uses those imports already explain);
``check_input_call`` checks the keywords of a ``keras.Input(...)`` call.
"""

from __future__ import annotations

from kerascheck.versions.api import check_api, check_input_call
from kerascheck.versions.imports import check_imports, repeated_at_use
from kerascheck.versions.policy import merge_versions
from kerascheck.versions.resolve import Resolution, resolve_version

__all__ = ["Resolution", "check_api", "check_imports", "check_input_call", "merge_versions", "repeated_at_use", "resolve_version"]
