// Order now: a first click shows what happens (the amount, the card) and a second confirms.
// The cycle the confirmation describes goes with it; the server refuses it if it changed.
import {useState} from 'preact/hooks';

import type {Shared} from './Detail';

export function OrderNow({subscription, tools, pending, perform}: Shared) {
  const {t} = tools;
  const [confirming, setConfirming] = useState(false);
  const next = subscription.orderNow;
  if (!next) return null;
  const amount = tools.money(subscription.estimatedTotal);
  const card = subscription.paymentMethod;
  const cardText = card
    ? t('orderNow.card', {brand: card.brand, digits: card.lastDigits})
    : t('orderNow.cardGeneric');
  return (
    <s-section heading={t('orderNow.heading')}>
      <s-stack gap="base">
        {confirming ? (
          <s-stack gap="base">
            <s-paragraph>
              {amount
                ? t('orderNow.terms', {amount, card: cardText})
                : t('orderNow.termsNoAmount', {card: cardText})}
            </s-paragraph>
            <s-paragraph>{t('orderNow.note', {date: tools.date(next.expectedAt)})}</s-paragraph>
            <s-stack direction="inline" gap="base">
              <s-button variant="primary" loading={pending === 'order_now'}
                onClick={() => perform('order_now', {cycle_index: String(next.cycleIndex)})}>
                {amount ? t('orderNow.confirm', {amount}) : t('orderNow.start')}
              </s-button>
              <s-button onClick={() => setConfirming(false)}>{t('orderNow.keep')}</s-button>
            </s-stack>
          </s-stack>
        ) : (
          <s-stack gap="base">
            <s-paragraph>{t('orderNow.intro')}</s-paragraph>
            <s-button onClick={() => setConfirming(true)}>{t('orderNow.start')}</s-button>
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}
