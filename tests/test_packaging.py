"""Packaging facts a fresh install depends on: one TensorFlow in the extras (and CI checking the
installed set), the license as an SPDX expression with its file, the README's quick start and
its sample output."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TENSORFLOWS = re.compile(r"(tensorflow([-_](cpu|gpu|intel|macos))?|tf[-_]nightly([-_][a-z]+)?)\Z", re.IGNORECASE)


def requirements(extra: str) -> list[Requirement]:
    """The extra's requirements, with ``kerascheck[...]`` expanded."""
    found = []
    for text in PROJECT["project"]["optional-dependencies"][extra]:
        requirement = Requirement(text)
        if requirement.name == "kerascheck":
            found += [r for inner in sorted(requirement.extras) for r in requirements(inner)]
        else:
            found.append(requirement)
    return found


@pytest.mark.parametrize("extra", ["verify", "test"])
def test_an_extra_depends_on_one_tensorflow_the_one_tf_keras_needs(extra):
    names = [r.name for r in requirements(extra) if TENSORFLOWS.match(r.name)]
    assert names == ["tensorflow"]  # tf-keras requires `tensorflow` itself
    assert "tf-keras" in [r.name for r in requirements(extra)]


def test_the_license_is_an_spdx_expression_with_its_file():
    project = PROJECT["project"]
    assert project["license"] == "MIT"
    assert [(ROOT / name).is_file() for name in project["license-files"]] == [True]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    # setuptools reads an SPDX string from 77 on; older ones reject it
    assert any(Requirement(r).name == "setuptools" and Requirement(r).specifier.contains("77")
               and not Requirement(r).specifier.contains("76") for r in PROJECT["build-system"]["requires"])


def one_tensorflow(pip_list: str) -> int:
    return subprocess.run(["bash", str(ROOT / ".ci" / "one-tensorflow")], input=pip_list, text=True,
                          capture_output=True).returncode


def test_ci_fails_an_install_with_two_tensorflows():
    assert "pip list --format=freeze | .ci/one-tensorflow" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert one_tensorflow("tensorflow==2.21.0\ntensorflow_cpu==2.21.0\ntf_keras==2.21.0\n") == 1
    assert one_tensorflow("tensorflow==2.21.0\ntensorflow-estimator==2.15.0\ntf_keras==2.21.0\n") == 0
    assert one_tensorflow("numpy==2.1.0\n") == 1


def test_the_quick_start_creates_and_activates_a_virtual_environment_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", quick_start, re.DOTALL)
    assert blocks[0] == "python -m venv .venv && . .venv/bin/activate\n"
    assert blocks[1:] == ["pip install . && kerascheck fixtures/\n", "pip install -e '.[test]' && python -m pytest\n"]


def test_the_readme_sample_is_the_output_of_the_command_it_shows():
    from tests.cli.helpers import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command, shown = re.search(r"```\n\$ (kerascheck [^\n]*)\n(.*?)```", readme, re.DOTALL).groups()
    result = cli(command.split()[1:], ROOT)
    assert result.exit_code == 1 and result.stdout == shown
