from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from shopify_app.settings import DEFAULT_DATABASE_URL, Settings, read_env_file


def test_defaults_are_the_contract_ones() -> None:
    settings = Settings.from_env({}, env_file=None)
    assert settings.api_key is None and settings.api_secret is None
    assert settings.sandbox
    assert settings.app_url == "http://127.0.0.1:8000"
    assert settings.api_version == "2026-01"
    assert settings.admin_origin == "https://{shop}"
    # "a SQLite file under ./data/"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.startswith("sqlite://data/")
    assert settings.portal_token_keys == ""
    assert settings.log_level == "INFO"


def test_environment_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "SHOPIFY_API_KEY": "client-id",
            "SHOPIFY_API_SECRET": "shhh",
            "SHOPIFY_APP_URL": "https://app.example.com/",
            "SHOPIFY_API_VERSION": "2025-10",
            "SHOPIFY_ADMIN_ORIGIN": "http://127.0.0.1:9000/shops/{shop}/",
            "DATABASE_URL": "postgres://u@db/app",
            "PORTAL_TOKEN_KEYS": "k1:AAAA",
            "SHOPIFY_TIMEOUT_SECONDS": "2.5",
            "SHOPIFY_MAX_ATTEMPTS": "7",
            "LOG_LEVEL": "debug",
        },
        env_file=None,
    )
    assert (settings.api_key, settings.api_secret) == ("client-id", "shhh")
    assert not settings.sandbox
    assert settings.secret == "shhh"
    # trailing slashes go: URLs are built by appending paths
    assert settings.app_url == "https://app.example.com"
    assert settings.admin_origin == "http://127.0.0.1:9000/shops/{shop}"
    assert settings.api_version == "2025-10"
    assert settings.database_url == "postgres://u@db/app"
    assert settings.portal_token_keys == "k1:AAAA"
    assert settings.shopify_timeout_seconds == 2.5
    assert settings.shopify_max_attempts == 7
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("key", "secret", "sandbox"),
    [
        (None, None, True),
        ("id", None, True),
        (None, "secret", True),
        ("", "", True),
        ("  ", "  ", True),
        ("id", "secret", False),
    ],
)
def test_sandbox_without_both_credentials(
    key: str | None, secret: str | None, sandbox: bool
) -> None:
    environ = {
        name: value
        for name, value in (("SHOPIFY_API_KEY", key), ("SHOPIFY_API_SECRET", secret))
        if value is not None
    }
    assert Settings.from_env(environ, env_file=None).sandbox is sandbox


def test_secret_is_required_when_asked_for() -> None:
    with pytest.raises(RuntimeError, match="no app secret"):
        _ = Settings.from_env({}, env_file=None).secret


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "\n".join(
            [
                "# a comment",
                "",
                "SHOPIFY_API_KEY=from-file",
                "export SHOPIFY_API_SECRET='quoted secret'",
                'SHOPIFY_APP_URL="https://file.example.com"',
                "DATABASE_URL = sqlite://data/file.sqlite3 ",
                "not a pair",
            ]
        ),
        encoding="utf-8",
    )
    settings = Settings.from_env({"SHOPIFY_APP_URL": "https://env.example.com"}, env_file=env_file)
    assert settings.api_key == "from-file"
    assert settings.api_secret == "quoted secret"
    assert settings.app_url == "https://env.example.com"
    assert settings.database_url == "sqlite://data/file.sqlite3"


def test_env_file_in_the_working_directory_is_the_default(tmp_cwd: Path) -> None:
    (tmp_cwd / ".env").write_text("SHOPIFY_API_VERSION=2025-07\n", encoding="utf-8")
    assert Settings.from_env({}).api_version == "2025-07"


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    assert read_env_file(tmp_path / "absent") == {}
    assert Settings.from_env({}, env_file=tmp_path / "absent").sandbox


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("A=1", {"A": "1"}),
        ("export A=1", {"A": "1"}),
        ("A='x y'", {"A": "x y"}),
        ('A="x y"', {"A": "x y"}),
        ("A=\"unbalanced'", {"A": "\"unbalanced'"}),
        ("A=a=b", {"A": "a=b"}),
        ("A=", {"A": ""}),
        ("  # A=1", {}),
        ("A", {}),
    ],
)
def test_env_file_lines(tmp_path: Path, line: str, expected: dict[str, str]) -> None:
    path = tmp_path / ".env"
    path.write_text(line + "\n", encoding="utf-8")
    assert read_env_file(path) == expected


@pytest.mark.parametrize("name", ["SHOPIFY_TIMEOUT_SECONDS", "SHOPIFY_MAX_ATTEMPTS"])
def test_bad_numbers_name_the_variable(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "lots"}, env_file=None)


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({}, env_file=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.app_url = "https://elsewhere.example"  # type: ignore[misc]
    changed = settings.with_changes(app_url="https://elsewhere.example")
    assert changed.app_url == "https://elsewhere.example"
    assert settings.app_url == "http://127.0.0.1:8000"


def test_secrets_stay_out_of_repr() -> None:
    settings = Settings.from_env(
        {
            "SHOPIFY_API_KEY": "id",
            "SHOPIFY_API_SECRET": "hunter2-secret",
            "DATABASE_URL": "postgres://app:db-password@db/app",
            "PORTAL_TOKEN_KEYS": "k1:key-material",
        },
        env_file=None,
    )
    for secret in ("hunter2-secret", "db-password", "key-material"):
        assert secret not in repr(settings)
        assert secret not in str(settings)
