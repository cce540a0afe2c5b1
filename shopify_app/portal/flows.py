"""The portal's use cases as the endpoints call them: open a view, redeem a link, act.

Each takes the verified `ProxyContext` and plain values, and returns a `Page`. Views read
Shopify once (`reads`); actions spend the form's session nonce, run (`actions`) and show the
subscription again with the outcome as a message on the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from shopify_app.errors import AppError, NotFound
from shopify_app.links import short_links
from shopify_app.links.tokens import LINK_AUDIENCE, ExpiredToken, InvalidToken, Keyring
from shopify_app.locales import i18n
from shopify_app.merchant import appearance
from shopify_app.portal import refusals, swap_flow
from shopify_app.portal.actions import registry
from shopify_app.portal.actions.addresses import PartlyChanged
from shopify_app.portal.addresses.validation import AddressInvalid
from shopify_app.portal.entry import guard, redemption, spending
from shopify_app.portal.entry.guard import ProxyContext, Visitor
from shopify_app.portal.entry.guesses import GuessLimiter
from shopify_app.portal.entry.pages import continue_page
from shopify_app.portal.entry.redemption import ClientInfo
from shopify_app.portal.errors import FormReplayed, InvalidInput
from shopify_app.portal.views import address_form, order_detail, order_page, pages, reads
from shopify_app.portal.views.layout import Frame, Page
from shopify_app.portal.views.read_cache import ReadCache
from shopify_app.portal.views.viewmodels import Contract
from shopify_app.shopify.errors import ShopifyUserErrors
from shopify_app.state import AppState

_CONTRACT_ID = re.compile(r"^[0-9]{1,20}$")
_CONTRACT_PATH = re.compile(r"^contracts/([0-9]{1,20})$")
_ORDER_PATH = re.compile(r"^orders/([0-9]{1,20})$")
_SWAP_PATH = re.compile(r"^swap/([0-9]{1,20})$")  # a line's swap pages (swap_flow), by POST
_CONTRACT_DESTINATION = re.compile(r"^contracts?[:/]([0-9]{1,20})$")
# Link destinations naming a part of a subscription: the section id to focus on.
_SECTIONS = {"payment": "manage", "address": "address", "upcoming": "upcoming", "cancel": "cancel"}
_SECTION_OF_CONTRACT = re.compile(r"^(payment|address|upcoming|cancel)[:/]([0-9]{1,20})$")
# A refused change reopens (and focuses) the part of the contract page its form is in.
_ACTION_SECTIONS = {
    "set_next_date": "next-date",
    "change_frequency": "frequency",
    "change_quantity": "quantity",
    "change_address": "address",
    "apply_discount": "discounts",
    "remove_discount": "discounts",
    "cancel": "cancel",
    "order_now": "order-now",
    "pause_until": "pause-until",
    "delay": "delay",
}

# Typed values a refused form gets back (never the session, nor hidden ids).
_RETAINED_FIELDS = frozenset(
    {
        "code",
        "date",
        "resume_on",
        "reason",
        "first_name",
        "last_name",
        "company",
        "address1",
        "address2",
        "city",
        "province_code",
        "zip",
        "country_code",
        "phone",
        "all_subscriptions",
    }
)
_RETAINED_CHARS = 500
_CURSOR_CHARS = 512  # Shopify's cursors are short; a longer "after" is not one


@dataclass(frozen=True)
class View:
    kind: str  # subscriptions | orders | contract | section (of the next contract to bill)
    contract_id: int = 0
    focus: str | None = None
    after: str | None = None  # the next page of subscriptions, when the customer asked
    order_id: int = 0  # kind "order": one order of the history


def parse_view(path: str) -> View:
    """The view a portal sub-path names: "", "orders" or "contracts/<id>"."""
    path = path.strip("/")
    if path in ("", "subscriptions"):
        return View("subscriptions")
    if path == "orders":
        return View("orders")
    order = _ORDER_PATH.match(path)
    if order:
        return View("order", order_id=int(order.group(1)))
    match = _CONTRACT_PATH.match(path)
    if match:
        return View("contract", int(match.group(1)))
    match = _SWAP_PATH.match(path)
    if match:
        return View("swap", int(match.group(1)))
    raise NotFound("There is no such page in the portal.")


def parse_contract_id(raw: str) -> int:
    """A contract id from a URL segment: digits that fit Shopify's ids, else "not found"."""
    if not _CONTRACT_ID.match(raw):
        raise NotFound("There is no such page in the portal.")
    return int(raw)


def destination_view(destination: str | None) -> View:
    """Deep links: `subscriptions`, `orders`, `payment`, `address`, `upcoming`, `contract:<id>`."""
    value = (destination or "").strip().lower()
    if value == "orders":
        return View("orders")
    match = _CONTRACT_DESTINATION.match(value)
    if match:
        return View("contract", int(match.group(1)))
    if value in _SECTIONS:
        return View("section", focus=_SECTIONS[value])
    match = _SECTION_OF_CONTRACT.match(value)
    if match:
        return View("contract", int(match.group(2)), focus=_SECTIONS[match.group(1)])
    return View("subscriptions")


def frame_for(
    context: ProxyContext,
    visitor: Visitor | None,
    locale: str | None = None,
    focus: str | None = None,
    view_path: str | None = None,
    now: datetime | None = None,
) -> Frame:
    return Frame(
        t=i18n.catalogue(
            visitor.locale if visitor else i18n.resolve(locale, context.shop.default_locale)
        ),
        path_prefix=context.portal_path(),
        liquid=context.shop.portal_format != "html",
        session_value=visitor.sealed.value if visitor else None,
        focus=focus,
        timezone=context.shop.timezone or "UTC",
        appearance_css=appearance.portal_css(context.shop),
        view_path=view_path,
        today=now.date() if now else None,
    )


def link_locale(context: ProxyContext, keyring: Keyring, token: str | None) -> str | None:
    """The locale a link asked for, even when the link no longer opens (spent, expired,
    revoked): its error page then speaks the customer's language. The token must still be
    ours (it decrypts) and this shop's; only its locale is read."""
    if not token:
        return None
    try:
        claims = keyring.decrypt(token)
    except InvalidToken:  # a tampered or foreign token: the shop's default will do
        return None
    locale = claims.get("loc")
    if claims.get("aud") != LINK_AUDIENCE or claims.get("shop") != context.shop.domain:
        return None
    return locale if isinstance(locale, str) else None


def next_to_bill(contracts: list[Contract]) -> Contract | None:
    far = datetime.max.replace(tzinfo=UTC)
    active = [c for c in contracts if c.status == "ACTIVE"]
    if active:
        return min(active, key=lambda c: c.next_billing_date or far)
    return next((c for c in contracts if c.status == "PAUSED"), None)


async def render_view(
    state: AppState,
    visitor: Visitor,
    view: View,
    now: datetime,
    cache: ReadCache | None = None,
    retained: Mapping[str, str] | None = None,
) -> Page:
    """One page view: one Admin API request, or none when the customer's cache has it."""
    shop, customer_id = visitor.shop, visitor.customer_id
    reads_ = reads.Reads(state.admin, shop, customer_id, now, cache)
    if view.kind == "swap":  # reached without its form (a reload): the subscription it is
        view = View("contract", view.contract_id)
    if view.kind == "contract":
        detail = await reads_.contract(view.contract_id)
        frame = frame_for(
            visitor.context,
            visitor,
            focus=view.focus,
            view_path=f"/contracts/{view.contract_id}",
            now=now,
        )
        if retained:  # the address form re-shaped for another country, as typed
            frame = replace(frame, retained=retained)
        return pages.contract_page(frame, shop, detail)
    if view.kind == "order":
        frame = frame_for(visitor.context, visitor, view_path=f"/orders/{view.order_id}")
        order = await order_detail.load_order(state.admin, shop, customer_id, view.order_id)
        return order_page.order_page(frame, order)
    if view.kind == "orders":
        frame = frame_for(visitor.context, visitor, focus="orders", view_path="/orders")
        return pages.orders_page(frame, await reads_.orders())
    overview = await reads_.overview(view.after)
    if view.kind == "section":
        # A section of "the" subscription: the next one to bill (else a paused one) opens at
        # that section; with none live, the overview it is.
        chosen = next_to_bill(overview.contracts)
        if chosen is not None:
            return await render_view(
                state, visitor, View("contract", chosen.id, focus=view.focus), now, cache
            )
    frame = frame_for(visitor.context, visitor, view_path="")
    return pages.overview_page(frame, overview)


async def open_by_get(
    state: AppState,
    context: ProxyContext,
    path: str,
    token: str | None,
    client: ClientInfo,
    now: datetime,
    seen: list[Visitor],
    visits: redemption.LoginVisits | None = None,
    cache: ReadCache | None = None,
) -> Page:
    """GET/HEAD. A link answers the continue page (never spent here); a signed-in customer
    sees the page directly (its visit audited, see `redemption.record_login_visit`); anyone
    else is asked to sign in."""
    view = parse_view(path)
    ring = state.keyring
    if token:
        claims = await redemption.check_link(context, ring, token, now)
        return continue_page(frame_for(context, None, claims.locale), token)
    visitor = guard.visitor_from_login(context, ring, now)
    seen.append(visitor)
    if view.kind == "subscriptions":
        await redemption.record_login_visit(
            context, visitor.customer_id, client, state.settings.secret, now, visits
        )
    return await render_view(state, visitor, view, now, cache)


async def open_short_link(
    state: AppState,
    context: ProxyContext,
    code: str,
    client: ClientInfo,
    now: datetime,
    seen: list[Visitor],
    guesses: GuessLimiter,
) -> Page:
    """GET on a short link: the long link's continue page, or the expired page for a code
    that is unknown, expired or another shop's (guessing is slowed per client address)."""
    guesses.check(client.address, now)
    token = await short_links.resolve(context.shop, code, now)
    if token is None:
        guesses.miss(client.address, now)
        raise ExpiredToken("This link has expired or does not exist.")
    return await open_by_get(state, context, "", token, client, now, seen)


async def open_by_post(
    state: AppState,
    context: ProxyContext,
    path: str,
    form: Mapping[str, str],
    session_value: str | None,
    client: ClientInfo,
    now: datetime,
    seen: list[Visitor],
    cache: ReadCache | None = None,
) -> Page:
    """POST navigation (the session in the body, never in a URL) or a link being redeemed."""
    view = parse_view(path)
    ring = state.keyring
    token = form.get("token")
    if token:
        redeemed = await redemption.redeem_link(
            context, ring, token, now=now, client=client, secret=state.settings.secret
        )
        seen.append(redeemed.visitor)
        if view.kind == "subscriptions":
            view = destination_view(redeemed.claims.destination)
        return await render_view(state, redeemed.visitor, view, now, cache)
    visitor = await guard.visitor_from_session(context, ring, session_value, now)
    seen.append(visitor)
    if view.kind == "swap":
        frame = frame_for(context, visitor, view_path=f"/contracts/{view.contract_id}", now=now)
        return await swap_flow.open_swap(
            state.admin, frame, visitor.shop, visitor.customer_id, view.contract_id, form, now
        )
    after = form.get("after")
    if view.kind == "subscriptions" and after:
        view = View("subscriptions", after=after[:_CURSOR_CHARS])
    if view.kind == "contract" and form.get(address_form.REFRESH):
        # "Show this country's fields": the same page, its address form for the chosen
        # country with what was typed, focus on the country. Nothing is saved.
        focus = f"sp-{view.contract_id}-country_code"
        kept = address_form.retained_of(form, _RETAINED_CHARS)
        view = View("contract", view.contract_id, focus=focus)
        return await render_view(state, visitor, view, now, cache, retained=kept)
    return await render_view(state, visitor, view, now, cache)


async def act(
    state: AppState,
    context: ProxyContext,
    contract_id: int,
    action: str,
    form: Mapping[str, str],
    session_value: str | None,
    now: datetime,
    seen: list[Visitor],
    cache: ReadCache | None = None,
) -> Page:
    """A change form: session checked and its nonce spent (one change per rendered page),
    the action run, the subscription shown again with the outcome."""
    ring = state.keyring
    visitor = await guard.visitor_from_session(context, ring, session_value, now)
    seen.append(visitor)  # lets an error page offer "back to the portal"
    presented = visitor.presented
    assert presented is not None  # a visitor from a session value always has one
    if not await spending.spend(
        f"{spending.NONCE_PREFIX}{presented.nonce}",
        shop=visitor.shop,
        customer_id=visitor.customer_id,
        expires_at=presented.expires_at,
        now=now,
    ):
        raise FormReplayed("This form was already submitted. Here is the current state.")
    request = registry.ActionRequest(
        shop=visitor.shop,
        customer_id=visitor.customer_id,
        contract_id=contract_id,
        action=action,
        form=form,
        now=now,
    )
    message, error, status, focus = "", False, 200, None
    retained: dict[str, str] = {}
    field_errors: dict[str, str] = {}
    catalogue = i18n.catalogue(visitor.locale)
    try:
        result = await registry.perform(state.admin, request)
        message = catalogue.t(result.message_key, **result.params)
    except (ShopifyUserErrors, InvalidInput, PartlyChanged) as exc:
        message, error, status = _refusal(visitor, exc), True, exc.status
        focus = _ACTION_SECTIONS.get(action)
        # What the customer typed stays in the refused form, to correct rather than retype.
        retained = {k: v[:_RETAINED_CHARS] for k, v in form.items() if k in _RETAINED_FIELDS}
        if action == "change_address":
            field_errors = address_form.field_errors(catalogue, exc)
    if cache is not None:
        # Whatever was read for this customer predates their change (other workers see the
        # change's `PortalEvent`, see `read_cache.last_change`).
        cache.forget(visitor.shop.id, visitor.customer_id)
    detail = await reads.load_contract(
        state.admin, visitor.shop, visitor.customer_id, contract_id, now
    )
    frame = replace(
        frame_for(context, visitor, focus=focus, view_path=f"/contracts/{contract_id}", now=now),
        retained=retained,
        field_errors=field_errors,
    )
    return pages.contract_page(frame, visitor.shop, detail, message, error=error, status=status)


def _refusal(visitor: Visitor, exc: AppError) -> str:
    catalogue = i18n.catalogue(visitor.locale)
    if isinstance(exc, PartlyChanged):
        return address_form.partly_text(catalogue, exc)
    if isinstance(exc, AddressInvalid):  # each problem is said on its field
        return catalogue.t("address.invalid")
    return refusals.refusal_text(catalogue, exc)
