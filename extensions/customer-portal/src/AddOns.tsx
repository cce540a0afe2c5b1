// One-time add-ons: what the merchant offers, added to the next order only, and what is
// already on each upcoming order (removable until it bills).
import {useState} from 'preact/hooks';

import type {Tools} from './context';
import {can, nextUnskipped} from './state';
import type {Action, AddOnOffer, Fields, Subscription} from './types';

type Props = {
  subscription: Subscription;
  offers: AddOnOffer[];
  tools: Tools;
  pending: Action | null;
  errors: Record<string, string>;
  perform: (action: Action, fields?: Fields) => void;
};

function value(event: Event): string {
  return String((event.currentTarget as HTMLInputElement | null)?.value ?? '');
}

export function AddOns({subscription, offers, tools, pending, errors, perform}: Props) {
  const {t} = tools;
  const next = nextUnskipped(subscription);
  const [chosen, setChosen] = useState(offers[0]?.variantId ?? '');
  const [quantity, setQuantity] = useState('1');
  const onOrders = (subscription.upcoming ?? []).filter((c) => (c.addOns ?? []).length);
  return (
    <s-section heading={t('addons.heading')}>
      <s-stack gap="base">
        {onOrders.map((cycle) => (
          <s-stack key={cycle.index} gap="small-200">
            <s-text type="strong">{t('addons.onOrder', {date: tools.date(cycle.expectedAt)})}</s-text>
            {(cycle.addOns ?? []).map((addOn) => (
              <s-stack key={addOn.id} direction="inline" gap="base" alignItems="center">
                <s-text>{t('addons.item', {title: addOn.title, quantity: addOn.quantity,
                  price: tools.money(addOn.price)})}</s-text>
                {can(subscription, 'remove_add_on') ? (
                  <s-button accessibilityLabel={t('addons.removeLabel', {title: addOn.title})}
                    loading={pending === 'remove_add_on'}
                    onClick={() => perform('remove_add_on', {cycle_index: String(cycle.index),
                      line_id: addOn.id})}>
                    {t('addons.remove')}
                  </s-button>
                ) : null}
              </s-stack>
            ))}
          </s-stack>
        ))}
        {can(subscription, 'add_on') && next && offers.length ? (
          <s-stack gap="small">
            <s-text color="subdued">{t('addons.hint', {date: tools.date(next.expectedAt)})}</s-text>
            <s-stack direction="inline" gap="small" alignItems="end">
              <s-select label={t('addons.product')} value={chosen} error={errors.variant_id}
                onChange={(event) => setChosen(value(event))}>
                {offers.map((offer) => (
                  <s-option key={offer.variantId} value={offer.variantId}>
                    {t('addons.option', {label: offer.label, price: tools.money(offer.price)})}
                  </s-option>
                ))}
              </s-select>
              <s-number-field label={t('addons.quantity')} value={quantity} min={1} max={100}
                step={1} error={errors.quantity} onInput={(event) => setQuantity(value(event))} />
              <s-button loading={pending === 'add_on'}
                onClick={() => perform('add_on', {variant_id: chosen, quantity})}>
                {t('addons.add')}
              </s-button>
            </s-stack>
          </s-stack>
        ) : null}
      </s-stack>
    </s-section>
  );
}
