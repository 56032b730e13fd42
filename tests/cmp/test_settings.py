"""Settings are declared once; the environment and overrides set them; the README documents them."""

import re
from pathlib import Path

import limits
import pytest

from cmp import settings
from cmp.errors import ConfigError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_has_a_default_and_help():
    for setting in settings.SETTINGS:
        assert setting.help.endswith(".")
        setting.parse(setting.default)


def test_the_environment_overrides_defaults_and_overrides_beat_the_environment():
    values = settings.load(
        environ={"CMP_RATE_LIMIT": "10/second", "CMP_SECRET_KEY": "a, b"}, overrides={"LOG_RETENTION_DAYS": 30}
    )
    assert values["RATE_LIMIT"] == limits.RateLimitItemPerSecond(10)
    assert values["SECRET_KEY"] == ["a", "b"]
    assert values["LOG_RETENTION_DAYS"] == 30
    assert values["MAX_BODY_BYTES"] == 8192


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CMP_RATE_LIMIT": "lots"}, "CMP_RATE_LIMIT='lots'"),
        ({"CMP_LOG_RETENTION_DAYS": "five years"}, "CMP_LOG_RETENTION_DAYS='five years'"),
        ({"CMP_DEBUG": "maybe"}, "CMP_DEBUG='maybe'"),
    ],
)
def test_a_bad_value_is_a_configuration_error_naming_the_variable(env, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        settings.load(environ=env)


def test_an_unknown_override_is_refused():
    with pytest.raises(ConfigError, match="unknown setting"):
        settings.load(environ={}, overrides={"STORE": "x"})


def test_the_readme_configuration_table_lists_exactly_the_declared_settings():
    from cmp.settings import markdown_table as settings_markdown

    text = README.read_text(encoding="utf-8")
    assert settings_markdown() in text, (
        "README's configuration table is out of date: paste `cmpctl settings --format md`"
    )
