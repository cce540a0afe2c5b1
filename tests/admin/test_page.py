"""The app URL of an installed shop is the admin page: App Bridge first, framed by the admin."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from shopify_app.admin.home import APP_BRIDGE_URL
from shopify_app.storage.models import Shop
from tests.admin.conftest import Admin, session_token
from tests.conftest import TEST_API_KEY


async def test_an_installed_shops_launch_is_the_admin_page(admin: Admin) -> None:
    await Shop.filter(id=admin.shop.id).update(name='Demo <script>"{{ shop.name }}"')
    query = urlencode({"embedded": "1", "shop": admin.shop.domain,
                       "id_token": session_token(admin.now)})
    response = await admin.client.get(f"/?{query}")
    assert response.status_code == 200
    page = response.text
    assert f'<meta name="shopify-api-key" content="{TEST_API_KEY}">' in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts[0] == f'<script src="{APP_BRIDGE_URL}">'  # first, neither async nor defer
    assert "Demo &lt;script&gt;&quot;{{ shop.name }}&quot;" in page
    assert "<script>\"" not in page and "Demo <script>" not in page
    assert response.headers["Content-Security-Policy"] == (
        f"frame-ancestors https://{admin.shop.domain} https://admin.shopify.com;")
    for section in ("settings-form", "key-form", "stats-rows", "cancel-rows"):
        assert f"id={section}" in page
    # The script never turns API data into markup.
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page
