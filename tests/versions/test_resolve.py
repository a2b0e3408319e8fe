"""resolve_version: flag, then tf_keras imports, then declared dependencies, then the installed
packages, then the file's era; checked with real project files and fake installed
distributions (``*.dist-info`` directories on sys.path), never by importing TensorFlow."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck.config import Options
from kerascheck.versions.detect import modules_in_text
from kerascheck.versions.declared import declared_requirements, poetry_specifier
from kerascheck.versions.resolve import installed_versions, resolve_version

TF_KERAS_FILE = "import tensorflow as tf\nmodel = tf.keras.Sequential()\n"
KERAS_FILE = "import keras\nmodel = keras.Sequential()\n"
ERA2_FILE = "import keras\nmodel = keras.Sequential()\nmodel.fit_generator(gen)\n"


@pytest.fixture(autouse=True)
def fresh_caches():
    declared_requirements.cache_clear()
    installed_versions.cache_clear()
    yield
    declared_requirements.cache_clear()
    installed_versions.cache_clear()


def project(root: Path, files: dict[str, str], source: str = TF_KERAS_FILE, where: str = "train.py") -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)  # the walk up stops at the repository
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    program = root / where
    program.parent.mkdir(parents=True, exist_ok=True)
    program.write_text(source, encoding="utf-8")
    return program


def resolve(program: Path, installed=None, options: Options | None = None):
    text = program.read_text(encoding="utf-8")
    return resolve_version(str(program), text, modules_in_text(text), options or Options(),
                           installed or (lambda: {}))


@pytest.mark.parametrize(("files", "version", "source"), [
    ({"pyproject.toml": '[project]\nname = "p"\ndependencies = ["numpy", "tensorflow==2.15.1"]\n'},
     2, "pyproject.toml requires tensorflow==2.15.1"),
    ({"pyproject.toml": '[project]\nname = "p"\n[project.optional-dependencies]\ngpu = ["tensorflow[and-cuda]>=2.16"]\n'},
     3, "pyproject.toml requires tensorflow[and-cuda]>=2.16"),
    ({"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.9"\ntensorflow = "~2.13"\n'},
     2, "pyproject.toml requires tensorflow>=2.13,<2.14"),
    ({"pyproject.toml": '[tool.poetry.group.ml.dependencies]\nkeras = {version = "^3.1"}\n'},
     3, "pyproject.toml requires keras>=3.1,<4"),
    ({"pyproject.toml": '[tool.pdm.dev-dependencies]\nml = ["tensorflow-cpu<2.16"]\n'},
     2, "pyproject.toml requires tensorflow-cpu<2.16"),
    ({"pyproject.toml": '[tool.uv]\ndev-dependencies = ["tensorflow-macos==2.16.2"]\n'},
     3, "pyproject.toml requires tensorflow-macos==2.16.2"),
    ({"requirements.txt": "-r requirements/base.txt\npandas\n", "requirements/base.txt": "tensorflow-gpu==2.10.0  # CUDA 11\n"},
     2, "requirements/base.txt requires tensorflow-gpu==2.10.0"),
    ({"requirements-dev.txt": "--requirement=requirements-dev.txt\ntensorflow>=2.16,<2.18\n"},
     3, "requirements-dev.txt requires tensorflow>=2.16,<2.18"),
    ({"setup.cfg": "[metadata]\nname = p\n[options]\ninstall_requires =\n    numpy\n    tensorflow<2.16\n"},
     2, "setup.cfg requires tensorflow<2.16"),
    ({"setup.py": 'from setuptools import setup\nREQUIRED = ["keras>=3.0"]\nsetup(name="p", install_requires=REQUIRED)\n'},
     3, "setup.py requires keras>=3.0"),
    ({"environment.yml": "name: p\ndependencies:\n  - python=3.10\n  - tensorflow=2.15\n"},
     2, "environment.yml requires tensorflow==2.15.*"),
    ({"environment.yml": "dependencies:\n  - pip\n  - pip:\n    - keras>=3.3  # new API\n"},
     3, "environment.yml requires keras>=3.3"),
    ({"Pipfile": '[packages]\ntensorflow = "==2.16.1"\n[dev-packages]\npytest = "*"\n'},
     3, "Pipfile requires tensorflow==2.16.1"),
])
def test_declared_dependencies_decide(tmp_path, files, version, source):
    resolution = resolve(project(tmp_path, files, source=KERAS_FILE if "keras" in source.split()[2] else TF_KERAS_FILE))
    assert (resolution.version, resolution.source) == (version, source)


@pytest.mark.parametrize("requirement", ["tensorflow>=2.10", "tensorflow~=2.14", "tensorflow", "tensorflow!=2.16.*",
                                         "keras>=2.4"])
def test_a_range_allowing_both_decides_nothing(tmp_path, requirement):
    program = project(tmp_path, {"requirements.txt": requirement + "\n"})
    assert resolve(program).version is None


def test_the_walk_finds_the_nearest_declaring_directory_and_stops_at_the_repository(tmp_path):
    (tmp_path / "requirements.txt").write_text("tensorflow==2.16.1\n")  # above the repository: not read
    repo = tmp_path / "repo"
    repo.mkdir()
    program = project(repo, {"requirements.txt": "tensorflow==2.12.0\n", "nested/README.md": "x"},
                      where="nested/deeper/train.py")
    assert resolve(program).source == "requirements.txt requires tensorflow==2.12.0"
    (repo / "requirements.txt").unlink()
    declared_requirements.cache_clear()
    assert resolve(program).version is None


def test_a_file_without_keras_requirements_is_skipped_for_one_that_has_them(tmp_path):
    program = project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n", "app/requirements.txt": "flask\n"},
                      where="app/train.py")
    assert resolve(program).version == 2


def test_standalone_keras_asks_keras_first_and_tf_keras_asks_tensorflow_first(tmp_path):
    files = {"requirements.txt": "tensorflow==2.15.0\nkeras>=3\n"}  # cannot both install; each import decides
    assert resolve(project(tmp_path, files, KERAS_FILE)).version == 3
    assert resolve(project(tmp_path, files, TF_KERAS_FILE)).version == 2


def test_the_flag_wins_over_everything(tmp_path):
    program = project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n"}, "import tf_keras\n")
    options = Options(keras_version=3, keras_version_from="pyproject.toml: [tool.kerascheck] keras-version")
    assert resolve(program, options=options).source == "pyproject.toml: [tool.kerascheck] keras-version"
    assert resolve(program, options=options).version == 3


def test_tf_keras_is_keras_2_whatever_is_declared(tmp_path):
    files = {"requirements.txt": "tensorflow>=2.16\n"}
    program = project(tmp_path, files, "import tf_keras as keras\nfrom tf_keras import layers\n")
    assert (resolve(program).version, resolve(program).source) == (2, "imports tf_keras, which is Keras 2")
    # TensorFlow's private copy is Keras 2 code, but what it holds depends on the TensorFlow.
    program = project(tmp_path, files, "from tensorflow.python.keras.layers import LSTM\n")
    assert resolve(program).version == 3
    (tmp_path / "requirements.txt").unlink()
    declared_requirements.cache_clear()
    assert resolve(program).source == "the file uses `tensorflow.python.keras.layers`, which only Keras 2 has"


LEGACY_SETUP = '''import tensorflow as tf
import tf_keras as keras

"""Docstrings may say tf.keras.layers.Dense; code is what decides."""
dataset = tf.data.Dataset.from_tensor_slices(([1.0], [0]))
model = keras.Sequential([keras.layers.Dense(1)])  # not tf.keras
'''


def test_tensorflow_beside_tf_keras_for_its_other_parts_is_keras_2(tmp_path):
    program = project(tmp_path, {"requirements.txt": "tensorflow>=2.16\n"}, LEGACY_SETUP)
    assert (resolve(program).version, resolve(program).source) == (2, "imports tf_keras, which is Keras 2")


@pytest.mark.parametrize("uses", ["model = tf.keras.Sequential()\n",
                                  "from tensorflow.keras import layers\n",
                                  "from tensorflow.python.keras.layers import LSTM\n"])
def test_tensorflow_keras_beside_tf_keras_is_decided_by_the_tensorflow(tmp_path, uses):
    program = project(tmp_path, {"requirements.txt": "tensorflow>=2.16\n"}, LEGACY_SETUP + uses)
    assert resolve(program).version == 3


def fake_distribution(site: Path, name: str, version: str) -> None:
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_installed_distributions_are_read_without_importing(tmp_path, monkeypatch):
    import sys

    for module in ("tensorflow", "keras", "tf_keras"):  # importing any of them now fails
        monkeypatch.setitem(sys.modules, module, None)
    site = tmp_path / "site"
    fake_distribution(site, "tensorflow", "2.15.1")
    fake_distribution(site, "keras", "2.15.0")
    monkeypatch.syspath_prepend(str(site))  # found before any real installation
    assert installed_versions()["tensorflow"] == "2.15.1" and installed_versions()["keras"] == "2.15.0"
    resolution = resolve(project(tmp_path / "repo", {}, TF_KERAS_FILE), installed=installed_versions)
    assert (resolution.version, resolution.source) == (2, "tensorflow 2.15.1 is installed")


def test_installed_packages_come_after_declared_and_before_the_era(tmp_path, monkeypatch):
    monkeypatch.delenv("TF_USE_LEGACY_KERAS", raising=False)
    keras3 = {"keras": "3.4.1", "tensorflow": "2.17.0"}
    program = project(tmp_path, {"requirements.txt": "keras==2.13.1\n"}, ERA2_FILE)
    assert resolve(program, lambda: keras3).source == "requirements.txt requires keras==2.13.1"
    (tmp_path / "requirements.txt").unlink()
    declared_requirements.cache_clear()
    assert resolve(program, lambda: keras3).source == "keras 3.4.1 is installed"
    assert resolve(program).source == "the file uses `.fit_generator`, which only Keras 2 has"
    assert resolve(program).version == 2


def test_tf_use_legacy_keras_makes_tf_keras_keras_2(tmp_path, monkeypatch):
    installed = {"keras": "3.4.1", "tensorflow": "2.17.0", "tf-keras": "2.17.0"}
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "1")
    assert resolve(project(tmp_path, {}, TF_KERAS_FILE), lambda: installed).version == 2
    assert resolve(project(tmp_path, {}, KERAS_FILE), lambda: installed).version == 3  # keras itself is 3
    program = project(tmp_path, {"requirements.txt": "tensorflow==2.16.1\ntf-keras\n"}, TF_KERAS_FILE)
    declared_requirements.cache_clear()
    assert resolve(program).source == ("requirements.txt requires tensorflow==2.16.1, "
                                       "and TF_USE_LEGACY_KERAS makes tf.keras tf-keras")


def test_unknown_when_nothing_says(tmp_path):
    resolution = resolve(project(tmp_path, {}, KERAS_FILE))
    assert resolution.version is None and resolution.source.startswith("unknown")


@pytest.mark.parametrize(("constraint", "specifier"), [
    ("^2.15", ">=2.15,<3"), ("^0.4.1", ">=0.4.1,<0.5"), ("~2.15", ">=2.15,<2.16"), ("~2", ">=2,<3"),
    ("2.15.0", "==2.15.0"), ("*", ""), (">=2.10,<2.16", ">=2.10,<2.16"), ("2.15.*", "==2.15.*"),
])
def test_poetry_constraints(constraint, specifier):
    assert poetry_specifier(constraint) == specifier


def _notebook(root: Path, cells: list[str]) -> Path:
    import json

    (root / ".git").mkdir(parents=True, exist_ok=True)
    path = root / "colab.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                           "source": cell} for cell in cells],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


@pytest.mark.parametrize(("first_cell", "version", "source"), [
    ("!pip install -q tensorflow==2.15", 2, "the notebook's pip install requires tensorflow==2.15"),
    ("%pip install --upgrade 'keras>=3' numpy", 3, "the notebook's pip install requires keras>=3"),
    ("!pip install tensorflow==2.12\n!pip install -U tensorflow==2.17", 3,
     "the notebook's pip install requires tensorflow==2.17"),
    ("%tensorflow_version 2.x", 2, "the notebook selects TensorFlow with Colab's %tensorflow_version"),
])
def test_a_notebook_s_own_install_decides_before_the_project_and_the_environment(tmp_path, first_cell, version, source):
    from kerascheck.notebooks import read_notebook

    (tmp_path / "requirements.txt").write_text("tensorflow==2.18\n" if version == 2 else "tensorflow==2.10\n")
    path = _notebook(tmp_path, [first_cell, "import tensorflow as tf\nmodel = tf.keras.Sequential()"])
    notebook, _ = read_notebook(path.read_bytes())
    found = resolve_version(str(path), notebook.text, modules_in_text(notebook.text), Options(),
                            lambda: {"tensorflow": "2.21.0" if version == 2 else "2.10.0"})
    assert (found.version, found.source) == (version, source)


def test_a_pip_install_that_pins_nothing_decides_nothing(tmp_path):
    from kerascheck.notebooks import read_notebook

    path = _notebook(tmp_path, ["!pip install tensorflow keras-tuner\n!pip install git+https://github.com/a/keras", "import keras"])
    notebook, _ = read_notebook(path.read_bytes())
    found = resolve_version(str(path), notebook.text, modules_in_text(notebook.text), Options(),
                            lambda: {"keras": "3.5.0"})
    assert (found.version, found.source) == (3, "keras 3.5.0 is installed")


@pytest.mark.parametrize(("files", "installed", "releases"), [
    ({"requirements.txt": "keras==2.2.4\ntensorflow==1.15\n"}, {}, ("2.2.4",)),
    ({"requirements.txt": "keras>=2.1,<2.4\n"}, {}, ("2.1.0", "2.2.0", "2.3.0", "2.1")),  # and the named one
    ({"requirements.txt": "tensorflow==2.15.1\n"}, {}, None),  # no keras requirement: not known
    ({}, {"keras": "2.12.0", "tensorflow": "2.12.1"}, ("2.12.0",)),
    ({}, {"tensorflow": "2.12.1"}, None),
])
def test_the_standalone_keras_releases_come_with_the_version(tmp_path, files, installed, releases):
    resolution = resolve(project(tmp_path, files, source=KERAS_FILE), installed=lambda: installed)
    assert (resolution.version, resolution.releases) == (2, releases)


def test_a_notebook_pip_install_gives_its_releases(tmp_path):
    source = "get_ipython().system('pip install keras==2.3.1 tensorflow==2.2')\nimport keras\n"
    resolution = resolve(project(tmp_path, {"requirements.txt": "keras==2.13.1\n"}, source=source))
    assert (resolution.version, resolution.releases) == (2, ("2.3.1",))
