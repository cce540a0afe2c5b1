"""During a client secret rotation the extension's tokens signed with the old secret still
work (`SHOPIFY_API_SECRET_OLD`), as the admin's do."""

from __future__ import annotations

import httpx
import pytest

from shopify_app.settings import Settings
from shopify_app.storage.models import Shop
from tests.conftest import TEST_SECRET
from tests.portal.customer_account.conftest import API, session_token

NEW_SECRET = "the-new-client-secret-after-rotation"


@pytest.fixture
def portal_settings(settings: Settings) -> Settings:
    return settings.with_changes(shopify_max_attempts=1, api_secret=NEW_SECRET,
                                 api_secret_old=TEST_SECRET)


@pytest.mark.parametrize(("secret", "status"), [
    (NEW_SECRET, 200), (TEST_SECRET, 200), ("a-secret-nobody-configured", 401)])
async def test_tokens_of_the_current_and_the_old_secret_are_accepted(
    http: httpx.AsyncClient, shop: Shop, secret: str, status: int
) -> None:
    token = session_token(secret=secret)
    response = await http.get(f"{API}/subscriptions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status, response.text
