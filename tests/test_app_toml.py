from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from starlette.routing import Match

from shopify_app.app import create_app
from shopify_app.install.flow import CALLBACK_PATH, SCOPES
from shopify_app.settings import Settings
from shopify_app.webhooks.deliveries import HANDLERS

TOML_PATH = Path(__file__).resolve().parents[1] / "shopify.app.toml"
COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return tomllib.loads(TOML_PATH.read_text(encoding="utf-8"))


def served(path: str, method: str) -> bool:
    app = create_app(Settings(api_key="k", api_secret="s"), manage_database=False)
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in app.routes)


def test_the_identity_keys_are_present(config: dict[str, Any]) -> None:
    assert config["client_id"]
    assert 0 < len(config["name"]) <= 30
    assert config["handle"]
    assert config["embedded"] is True


def test_scopes_are_the_ones_the_app_asks_for(config: dict[str, Any]) -> None:
    scopes = [s.strip() for s in config["access_scopes"]["scopes"].split(",")]
    assert scopes == list(SCOPES)
    assert set(SCOPES) == {
        "read_customers", "write_customers", "read_orders", "read_own_subscription_contracts",
        "write_own_subscription_contracts", "read_customer_payment_methods", "write_app_proxy",
    }


def test_shopify_manages_the_install(config: dict[str, Any]) -> None:
    """Managed install: Shopify installs and opens app home with an id_token (token exchange);
    the toml's scopes are what Shopify grants."""
    assert config["access_scopes"]["use_legacy_install_flow"] is False
    assert served("/auth/session-token", "GET")  # the bounce page app home redirects to


def test_application_url_and_redirect_urls_are_served(config: dict[str, Any]) -> None:
    app_url = config["application_url"]
    assert served(urlsplit(app_url).path or "/", "GET")
    redirects = config["auth"]["redirect_urls"]
    assert redirects
    for url in redirects:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == urlsplit(app_url).netloc
        assert served(parts.path, "GET"), url
    assert [urlsplit(u).path for u in redirects] == [CALLBACK_PATH]


def test_every_webhook_subscription_points_at_a_served_uri(config: dict[str, Any]) -> None:
    webhooks = config["webhooks"]
    assert webhooks["api_version"] == "2026-01"
    topics: set[str] = set()
    compliance: set[str] = set()
    for subscription in webhooks["subscriptions"]:
        url = urljoin(config["application_url"], subscription["uri"])
        assert urlsplit(url).netloc == urlsplit(config["application_url"]).netloc
        assert served(urlsplit(url).path, "POST"), url
        topics.update(subscription.get("topics", []))
        compliance.update(subscription.get("compliance_topics", []))
    assert compliance == COMPLIANCE_TOPICS
    assert "app/uninstalled" in topics
    assert {t for t in topics if t.startswith("subscription_contracts/")} == {
        f"subscription_contracts/{event}"
        for event in ("create", "update", "activate", "pause", "cancel", "expire", "fail")
    }
    # Every topic we subscribe to has a handler (subscription topics share one).
    for topic in topics | compliance:
        assert topic in HANDLERS or topic.startswith("subscription_contracts/"), topic


def test_app_proxy_forwards_tools_recurring_to_proxy(config: dict[str, Any]) -> None:
    proxy = config["app_proxy"]
    assert (proxy["prefix"], proxy["subpath"]) == ("tools", "recurring")
    assert urlsplit(proxy["url"]).path == "/proxy"
    # Shopify forwards /tools/recurring/customer_portal to <url>/customer_portal.
    assert served(urlsplit(proxy["url"]).path + "/customer_portal", "GET")
    assert urlsplit(proxy["url"]).netloc == urlsplit(config["application_url"]).netloc
