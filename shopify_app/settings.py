"""One frozen settings object, read from the environment and an optional `.env` file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite://data/app.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment (see docs/CONTRACT.md)."""

    api_key: str | None = None
    # Secrets stay out of repr(): settings objects end up in logs and tracebacks.
    api_secret: str | None = field(default=None, repr=False)
    # During a client secret rotation, the previous secret: still accepted on everything
    # Shopify signs (webhooks, app proxy, OAuth, session tokens) and for old link tokens.
    api_secret_old: str | None = field(default=None, repr=False)
    app_url: str = "http://127.0.0.1:8000"
    api_version: str = "2026-01"
    admin_origin: str = "https://{shop}"
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    # "kid:base64url-key,kid2:key2": the first encrypts, all decrypt (rotation).
    # Empty: one key derived from the app secret with HKDF.
    portal_token_keys: str = field(default="", repr=False)
    # "kid:base64url-key,...": the keys sealing Shopify tokens at rest (the first seals, all
    # open). Empty: one key derived from the app secret (see storage/sealed).
    token_keys: str = field(default="", repr=False)
    # Peers whose X-Forwarded-For is believed (uvicorn's setting of the same name).
    forwarded_allow_ips: str = "127.0.0.1,::1"
    # Admin API call bounds.
    shopify_timeout_seconds: float = 10.0
    shopify_max_attempts: int = 4
    log_level: str = "INFO"
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def sandbox(self) -> bool:
        """Without app credentials the app runs as the local sandbox."""
        return not (self.api_key and self.api_secret)

    @property
    def secret(self) -> str:
        if not self.api_secret:
            raise RuntimeError("no app secret configured")
        return self.api_secret

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secrets Shopify may sign with: the current one first, then the old one."""
        return (self.secret, self.api_secret_old) if self.api_secret_old else (self.secret,)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Build settings from `environ` (default `os.environ`), with `.env` values underneath."""
        values: dict[str, str] = {}
        if env_file is not None:
            values.update(read_env_file(Path(env_file)))
        values.update(os.environ if environ is None else environ)

        def get(name: str, default: str) -> str:
            value = values.get(name, "").strip()
            return value or default

        def number(name: str, default: str, kind: type[float] | type[int]) -> Any:
            raw = get(name, default)
            try:
                return kind(raw)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {raw!r}") from None

        return cls(
            api_key=get("SHOPIFY_API_KEY", "") or None,
            api_secret=get("SHOPIFY_API_SECRET", "") or None,
            api_secret_old=get("SHOPIFY_API_SECRET_OLD", "") or None,
            app_url=get("SHOPIFY_APP_URL", cls.app_url).rstrip("/"),
            api_version=get("SHOPIFY_API_VERSION", cls.api_version),
            admin_origin=get("SHOPIFY_ADMIN_ORIGIN", cls.admin_origin).rstrip("/"),
            database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL),
            portal_token_keys=get("PORTAL_TOKEN_KEYS", ""),
            shopify_timeout_seconds=number("SHOPIFY_TIMEOUT_SECONDS", "10", float),
            shopify_max_attempts=number("SHOPIFY_MAX_ATTEMPTS", "4", int),
            log_level=get("LOG_LEVEL", "INFO").upper(),
            forwarded_allow_ips=get("FORWARDED_ALLOW_IPS", cls.forwarded_allow_ips),
            token_keys=get("SHOPIFY_TOKEN_KEYS", ""),
        )


def read_env_file(path: Path) -> dict[str, str]:
    """Parse `KEY=value` lines; `#` comments, `export ` prefixes and quotes are allowed."""
    if not path.is_file():
        return {}
    result: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        result[key.strip()] = value
    return result
