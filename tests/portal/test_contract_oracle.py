"""A contract id that does not exist, or belongs to another shop, answers exactly like another
customer's contract: no existence oracle, and no warning in the logs."""

from __future__ import annotations

import logging

import pytest

from shopify_app.links.tokens import Keyring
from shopify_app.sandbox.demo import ALICE_ACTIVE_CONTRACT_ID, DAVE_ID
from tests.portal.conftest import enter
from tests.portal.proxy_client import ProxyClient, session_from


@pytest.mark.parametrize("contract_id", [ALICE_ACTIVE_CONTRACT_ID, 987654321, 2**62])
async def test_every_contract_that_is_not_yours_is_the_same_404(
    alice: ProxyClient, keyring: Keyring, caplog: pytest.LogCaptureFixture, contract_id: int
) -> None:
    page = await enter(alice, keyring, DAVE_ID)
    caplog.set_level(logging.WARNING)
    detail = await alice.post(f"/contracts/{contract_id}",
                              headers={"x-portal-session": session_from(page)})
    assert detail.status_code == 404
    assert 'data-code="contract_not_found"' in detail.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
