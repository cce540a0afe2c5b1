// The card expires before the next order would be charged: say so where the card is shown.
import type {Tools} from './context';
import type {Subscription} from './types';

export function CardNotice({subscription, tools}: {subscription: Subscription; tools: Tools}) {
  if (!subscription.paymentMethod?.expiresBeforeNextOrder) return null;
  return <s-banner tone="warning" heading={tools.t('orderNow.cardExpiresBefore')} />;
}
