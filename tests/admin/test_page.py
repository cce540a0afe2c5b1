"""The admin page: App Bridge first, Polaris web components, everything readable without them."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from shopify_app.admin import wording
from shopify_app.admin.home import APP_BRIDGE_URL
from shopify_app.admin.page import POLARIS_URL
from shopify_app.merchant import policy
from shopify_app.storage.models import Shop
from tests.admin.conftest import Admin, session_token
from tests.conftest import TEST_API_KEY


async def admin_page(admin: Admin) -> str:
    query = urlencode({"embedded": "1", "shop": admin.shop.domain,
                       "id_token": session_token(admin.now)})
    response = await admin.client.get(f"/?{query}")
    assert response.status_code == 200
    return response.text


async def test_app_bridge_comes_first_then_polaris(admin: Admin) -> None:
    page = await admin_page(admin)
    assert f'<meta name="shopify-api-key" content="{TEST_API_KEY}">' in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts[0] == f'<script src="{APP_BRIDGE_URL}">'  # first, neither async nor defer
    assert scripts[1] == f'<script src="{POLARIS_URL}">'
    for element in ("<ui-nav-menu>", "<s-page", "<s-section", "<s-button"):
        assert element in page
    # Every nav link points into this page.
    nav = re.search(r"<ui-nav-menu>(.*?)</ui-nav-menu>", page)
    assert nav is not None
    assert re.findall(r"href='([^']+)'", nav.group(1)) == [
        "/", "#send-link", "#api-keys", "#settings", "#usage"]


async def test_shop_names_are_escaped_and_no_api_value_becomes_markup(admin: Admin) -> None:
    await Shop.filter(id=admin.shop.id).update(name='Demo <script>"{{ shop.name }}"')
    page = await admin_page(admin)
    assert "Demo &lt;script&gt;&quot;{{ shop.name }}&quot;" in page
    assert "Demo <script>" not in page
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page
    assert "outerHTML" not in page and "document.write" not in page


async def test_settings_are_worded_plainly(admin: Admin) -> None:
    page = await admin_page(admin)
    for action in policy.ACTIONS:
        assert wording.ACTION_LABELS[action] in page
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    assert "snake_case" not in visible
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", visible), "a raw name would show"
    assert "WEEK:" not in visible and "Every 2 weeks" in visible
    assert "Every 2 months" in visible and "7 days" in visible and "Français" in visible


def test_frequency_and_language_words() -> None:
    assert wording.frequency_label("WEEK", 1) == "Every week"
    assert wording.frequency_label("MONTH", 3) == "Every 3 months"
    assert wording.language_label("fr") == "Français"
    assert set(wording.ACTION_LABELS) == set(policy.ACTIONS)
