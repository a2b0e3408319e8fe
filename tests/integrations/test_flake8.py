"""The flake8 plugin, through flake8 itself: codes, positions, flake8's noqa and --extend-ignore."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.helpers import BROKEN, write

pytest.importorskip("flake8")


def flake8(args, cwd):
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_plugin_is_registered():
    from importlib.metadata import entry_points

    (plugin,) = [e for e in entry_points(group="flake8.extension") if e.name == "KC"]
    assert plugin.value == "kerascheck.flake8_plugin:KerasCheckPlugin"


def test_flake8_reports_our_codes_at_our_positions(tmp_path):
    write(tmp_path, {"model.py": BROKEN, "clean.py": "x = 1\n"})
    ran = flake8(["--select=KC", "model.py", "clean.py"], tmp_path)
    assert ran.returncode == 1, ran.stderr
    (line,) = ran.stdout.splitlines()
    assert line.startswith("model.py:4:11: KC301 Dense units must be a positive integer, got (10, 2)")


def test_flake8_noqa_and_ignore_are_flake8s(tmp_path):
    silenced = BROKEN.replace("model.add(Dense((10, 2)))", "model.add(Dense((10, 2)))  # noqa: KC301")
    write(tmp_path, {"model.py": silenced, "other.py": BROKEN})
    assert flake8(["--select=KC", "model.py"], tmp_path).stdout == ""
    assert flake8(["--select=KC", "--disable-noqa", "model.py"], tmp_path).stdout.startswith("model.py:4:11: KC301")
    assert flake8(["--select=KC", "--extend-ignore=KC3", "other.py"], tmp_path).returncode == 0


DEPRECATED = BROKEN.replace("model = Sequential()\n", "model = Sequential()\nmodel.add(Dense(4, input_shape=(3,)))\n")


@pytest.mark.parametrize("args, table, codes", [
    ([], "", ["KC301"]),  # the default rule set: the opt-in KC650 stays out
    (["--select=KC"], "", ["KC301"]),  # flake8 selects among what kerascheck reports
    (["--select=KC"], 'extend-select = ["KC650"]', ["KC650", "KC301"]),
])
def test_flake8_leaves_the_opt_in_codes_out_unless_selected(args, table, codes, tmp_path):
    write(tmp_path, {"model.py": DEPRECATED, "pyproject.toml": f"[tool.kerascheck]\n{table}\n"})
    ran = flake8([*args, "model.py"], tmp_path)
    assert [line.split()[1] for line in ran.stdout.splitlines()] == codes, ran.stdout + ran.stderr


def test_plugin_uses_the_lines_flake8_gives(tmp_path):
    from kerascheck.flake8_plugin import KerasCheckPlugin

    lines = BROKEN.splitlines(True)
    found = list(KerasCheckPlugin(None, "does-not-exist.py", lines).run())
    assert [(row, col, message.split()[0]) for row, col, message, _ in found] == [(4, 10, "KC301")]


def test_keras_version_option_reaches_the_checker(tmp_path, monkeypatch):
    from kerascheck import flake8_plugin

    seen = []
    real = flake8_plugin.KerasCheckPlugin._options

    def recording(self):
        options = real(self)
        seen.append((options.keras_version, options.keras_version_from, options.noqa, options.max_file_size))
        return options

    monkeypatch.setattr(flake8_plugin.KerasCheckPlugin, "_options", recording)
    from flake8.main.application import Application

    write(tmp_path, {"model.py": BROKEN})
    app = Application()
    monkeypatch.chdir(tmp_path)
    app.run(["--select=KC", "--kerascheck-keras-version=2", "-j", "1", "model.py"])
    assert app.result_count == 1
    assert seen == [(2, "--kerascheck-keras-version", False, 1.0)]


# KC301 at 4:11 and, with the deprecated input_dim=, KC650 at 5:11
TWO_CODES = BROKEN + "model.add(Dense(3, input_dim=20))\n"


@pytest.mark.parametrize("table", [
    "", 'select = ["KC3"]', 'ignore = ["KC650"]', 'select = ["KC6"]\nextend-select = ["KC301"]',
    'ignore = ["KC3"]\n[tool.kerascheck.per-file-ignores]\n"src/*" = ["KC6"]',
    '[tool.kerascheck.per-file-ignores]\n"other.py" = ["KC301"]',
])
def test_config_selection_is_the_command_lines(tmp_path, table):
    from tests.cli.helpers import cli

    write(tmp_path, {"pyproject.toml": f"[tool.kerascheck]\n{table}\n", "src/model.py": TWO_CODES,
                     "other.py": TWO_CODES})
    command_line = cli(["src/model.py", "other.py"], tmp_path).stdout.splitlines()
    through_flake8 = flake8(["--select=KC", "src/model.py", "other.py"], tmp_path).stdout.splitlines()
    assert [line.split(" ")[:2] for line in through_flake8] == [line.split(" ")[:2] for line in command_line]
    assert command_line or table.startswith("ignore")


PADDED = BROKEN + "#" * (3099 - len(BROKEN)) + "\n"  # 3,100 bytes
OVER = "model.py:1:1: KC004 file not checked: 0.0031 MB is over the 0.003 MB limit (max-file-size)"
CHECKED = "model.py:4:11: KC301 "


def test_size_limit_from_the_config_and_from_flake8s_option(tmp_path):
    write(tmp_path, {"model.py": PADDED, "pyproject.toml": "[tool.kerascheck]\nmax-file-size = 0.003\n"})
    limited = flake8(["--select=KC", "model.py"], tmp_path)
    assert (limited.returncode, limited.stdout) == (1, OVER + "\n")
    assert flake8(["--select=KC", "--kerascheck-max-file-size=0", "model.py"], tmp_path).stdout.startswith(CHECKED)
    write(tmp_path, {"setup.cfg": "[flake8]\nkerascheck-max-file-size = 0.004\n"})
    assert flake8(["--select=KC", "model.py"], tmp_path).stdout.startswith(CHECKED)
    write(tmp_path, {"pyproject.toml": "[tool.kerascheck]\nkeras-version = 3\n"})
    assert flake8(["--select=KC", "--kerascheck-max-file-size=0.003", "model.py"], tmp_path).stdout == OVER + "\n"
    assert flake8(["--select=KC", "--extend-ignore=KC004", "--kerascheck-max-file-size=0.003", "model.py"],
                  tmp_path).stdout == ""


def test_default_limit_is_one_megabyte_and_files_without_keras_are_not_parsed(tmp_path, monkeypatch):
    import kerascheck
    from kerascheck import flake8_plugin

    big = BROKEN + "#" * 1_000_000 + "\n"
    plain = "x = 1\n" + "#" * 1_000_000 + "\n"
    parsed = []
    real = kerascheck.check_source
    monkeypatch.setattr(kerascheck, "check_source", lambda *args: parsed.append(args[1]) or real(*args))
    monkeypatch.chdir(tmp_path)
    found = [message.split()[0] for _, _, message, _ in
             flake8_plugin.KerasCheckPlugin(None, "big.py", big.splitlines(True)).run()]
    assert found == ["KC004"]
    assert list(flake8_plugin.KerasCheckPlugin(None, "plain.py", plain.splitlines(True)).run()) == []
    assert parsed == []


def test_bad_config_or_option_stops_flake8_with_a_message(tmp_path):
    write(tmp_path, {"model.py": BROKEN, "pyproject.toml": "[tool.kerascheck]\nmax-file-size = -3\n"})
    ran = flake8(["--select=KC", "model.py"], tmp_path)
    assert ran.returncode == 1 and "Traceback" not in ran.stdout + ran.stderr
    assert "[tool.kerascheck] max-file-size: must be a number of megabytes >= 0" in ran.stdout
    write(tmp_path, {"pyproject.toml": ""})
    bad_flag = flake8(["--select=KC", "--kerascheck-max-file-size=-1", "model.py"], tmp_path)
    assert bad_flag.returncode == 2 and "--kerascheck-max-file-size: must be a number" in bad_flag.stderr
