"""The order detail page: items, totals and shipments with tracking links, reached from the
order history (a POST form, like every portal navigation: the session rides in the body)."""

from __future__ import annotations

from shopify_app.portal.views.layout import Frame, Page, document, hidden, nav, post_form
from shopify_app.portal.views.markup import Markup, attrs, join, render
from shopify_app.portal.views.order_detail import OrderDetail, OrderItem, Shipment
from shopify_app.portal.views.texts import date_text, money_text, order_status_text
from shopify_app.portal.views.viewmodels import Money


def _item(frame: Frame, item: OrderItem) -> Markup:
    image = Markup('<span class="sp-thumb sp-thumb-empty" aria-hidden="true"></span>')
    if item.image_url:
        image = render('<img class="sp-thumb" src="$src" alt="" loading="lazy" width="56"'
                       ' height="56">', src=item.image_url)
    return render(
        '<li class="sp-line" data-testid="order-item">$image<div class="sp-line-body">'
        '<strong>$title</strong>$variant<div class="sp-muted">$qty &#215; $price</div></div>'
        '<div class="sp-line-total">$total</div></li>',
        image=image,
        title=item.title,
        variant=render('<div class="sp-muted">$v</div>', v=item.variant_title)
        if item.variant_title else Markup(""),
        qty=item.quantity,
        price=money_text(frame, item.unit_price),
        total=money_text(frame, item.total),
    )


def _total_row(frame: Frame, key: str, value: Money | None, testid: str,
               *, negative: bool = False, strong: bool = False) -> Markup:
    if value is None or (not strong and value.amount == 0 and key != "order.shipping"):
        return Markup("")
    amount = money_text(frame, value)
    return render(
        '<div class="sp-fact$cls"><dt>$k</dt><dd class="sp-num" data-testid="$id">$v</dd></div>',
        cls=" sp-grand" if strong else "",
        k=frame.t.t(key),
        id=testid,
        v=f"\u2212{amount}" if negative else amount,  # a true minus sign
    )


def _shipment(frame: Frame, shipment: Shipment, number: int) -> Markup:
    t = frame.t.t
    links = []
    for tracking in shipment.tracking:
        label = " ".join(p for p in (tracking.company, tracking.number) if p) or t("order.track")
        if tracking.url:
            links.append(render(
                '<li><a href="$url" rel="noopener noreferrer" target="_blank"'
                ' data-testid="tracking-link">$label<span class="sp-visually-hidden"> $new</span>'
                "</a></li>",
                url=tracking.url, label=t("order.track_with", carrier=label),
                new=t("order.new_tab")))
        else:
            links.append(render('<li data-testid="tracking-number">$l</li>', l=label))
    tracking_list = (render('<ul class="sp-tracking">$l</ul>', l=join(links)) if links
                     else render('<p class="sp-muted">$m</p>', m=t("order.no_tracking")))
    return render(
        '<li class="sp-shipment" data-testid="shipment"><strong>$h</strong>'
        ' <span class="sp-muted">$status · $date</span>$tracking</li>',
        h=t("order.shipment", number=number),
        status=order_status_text(frame, shipment.status),
        date=date_text(frame, shipment.created_at),
        tracking=tracking_list,
    )


def order_page(frame: Frame, order: OrderDetail) -> Page:
    t = frame.t.t
    totals = join([
        _total_row(frame, "order.subtotal", order.subtotal, "order-subtotal"),
        _total_row(frame, "order.discounts", order.discounts, "order-discounts", negative=True),
        _total_row(frame, "order.shipping", order.shipping, "order-shipping"),
        _total_row(frame, "order.tax", order.tax, "order-tax"),
        _total_row(frame, "order.total", order.total, "order-total", strong=True),
    ])
    shipments = (
        render('<ol class="sp-shipments">$s</ol>',
               s=join(_shipment(frame, s, i) for i, s in enumerate(order.shipments, 1)))
        if order.shipments
        else render('<p class="sp-muted" data-testid="no-shipments">$m</p>',
                    m=t("order.not_shipped"))
    )
    status = ", ".join(order_status_text(frame, s)
                       for s in (order.financial_status, order.fulfillment_status) if s)
    back = post_form(frame, "/orders", t("order.back"), testid="back-to-orders",
                     button_class="sp-secondary")
    body = render(
        '<h1 tabindex="-1" id="sp-heading">$h</h1>$nav'
        '<article class="sp-card" data-testid="order-detail" aria-labelledby="order-h">'
        '<h2 id="order-h">$name</h2><p class="sp-muted">$date · $status</p>'
        '<ul class="sp-lines" aria-label="$items_label">$items</ul>$more'
        '<dl class="sp-facts sp-totals">$totals</dl></article>'
        '<section class="sp-card" id="shipments" tabindex="-1" aria-labelledby="ship-h">'
        '<h2 id="ship-h">$sh</h2>$shipments</section>'
        '<div class="sp-actions">$back</div>',
        h=t("order.title"),
        nav=nav(frame, "order"),
        name=t("order.name", name=order.name),
        date=date_text(frame, order.processed_at),
        status=status,
        items_label=t("order.items"),
        items=join(_item(frame, i) for i in order.items),
        more=render('<p class="sp-muted">$m</p>', m=t("order.more_items"))
        if order.more_items else Markup(""),
        totals=totals,
        sh=t("order.shipments"),
        shipments=shipments,
        back=back,
    )
    return document(frame, t("order.title"), body)


def order_link(frame: Frame, order_id: int, name: str) -> Markup:
    """The history row's way in: a small form (navigation carries the session in its body)."""
    if order_id <= 0:
        return Markup("")
    # post_form has no aria-label; the visible "View" needs the order number for screen readers.
    return render(
        '<form method="post" action="$a" class="sp-inline">$s'
        '<button type="submit" class="sp-secondary sp-small"$attrs>$l</button></form>',
        a=frame.path(f"/orders/{order_id}"),
        s=hidden("session", frame.session_value) if frame.session_value else Markup(""),
        attrs=attrs(data_testid=f"order-view-{order_id}",
                    aria_label=frame.t.t("order.view_label", name=name)),
        l=frame.t.t("order.view"),
    )
