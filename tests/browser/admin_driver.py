"""Opening the embedded admin in Chromium, two ways:

- `open_framed`: as a merchant does in the sandbox: the stand-in Shopify admin frames app home,
  which bounces through `/auth/session-token`; the stand-in App Bridge reloads it with an
  `id_token` and adds session tokens to the page's `fetch` calls;
- `open_direct`: app home alone, with a session token the test mints with the app secret, on
  the URL (`id_token`) and on every request (what App Bridge's `fetch` adds).

And axe-core (pinned in tests/browser/package.json, `npm ci --prefix tests/browser`).
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.async_api import FrameLocator, Page, expect

from shopify_app.sandbox import demo
from shopify_app.sandbox.runner import SANDBOX_CLIENT_ID, SandboxHandle, admin_url
from tests.admin.conftest import session_token

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def app_home_url(sandbox: SandboxHandle, token: str, shop: str = demo.DEMO_SHOP) -> str:
    host = base64.urlsafe_b64encode(b"admin.shopify.com/store/demo-shop").decode().rstrip("=")
    pairs = [("embedded", "1"), ("host", host), ("shop", shop), ("id_token", token)]
    return f"{sandbox.app_url}/?{urlencode(pairs)}"


def minted(sandbox: SandboxHandle, shop: str = demo.DEMO_SHOP, **changes: Any) -> str:
    """A session token as Shopify issues it; ten minutes long so a slow run stays valid."""
    now = datetime.now(UTC)
    return session_token(now, shop=shop, aud=SANDBOX_CLIENT_ID, secret=sandbox.settings.secret,
                         exp=int((now + timedelta(minutes=10)).timestamp()), **changes)


async def open_direct(page: Page, sandbox: SandboxHandle) -> list[str]:
    """App home with a minted token; returns the page's script errors (checked by callers)."""
    token = minted(sandbox)
    await page.context.set_extra_http_headers({"Authorization": f"Bearer {token}"})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(app_home_url(sandbox, token))
    await expect(page.get_by_role("heading", name="Subscription portal", level=1)).to_be_visible()
    # The script filled the page from the JSON API.
    await expect(page.get_by_role("button", name="Open the portal as Alice Martin")).to_be_visible()
    await expect(page.get_by_label("Cancel a subscription")).to_be_checked()
    return errors


async def open_framed(page: Page, sandbox: SandboxHandle,
                      shop: str = demo.DEMO_SHOP) -> FrameLocator:
    await page.goto(admin_url(sandbox, shop))
    frame = page.frame_locator("#app")
    await expect(frame.get_by_role("heading", name="Subscription portal", level=1)).to_be_visible()
    return frame


def axe_source() -> str:
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: axe-core cannot be installed")
        subprocess.run([npm, "ci", "--prefix", str(AXE.parents[2]), "--no-audit", "--no-fund",
                        "--silent"], check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(content=axe_source())
    result: dict[str, Any] = await page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]
