// Every subscription of the customer, one section each, with a way into it.
import type {Tools} from './context';
import {noonOf} from './schedule';
import {frequencyKey, title} from './state';
import type {Overview, Subscription} from './types';

type Props = {overview: Overview; tools: Tools; open: (id: number) => void};

export function StatusBadge({subscription, tools}: {subscription: Subscription; tools: Tools}) {
  const tone = subscription.status === 'ACTIVE' ? 'auto' : 'neutral';
  return <s-badge tone={tone}>{tools.t(`status.${subscription.status.toLowerCase()}`)}</s-badge>;
}

export function Summary({subscription, tools}: {subscription: Subscription; tools: Tools}) {
  const {t} = tools;
  const every = frequencyKey(subscription.billingPolicy.interval, subscription.billingPolicy.count);
  const live = subscription.status === 'ACTIVE';
  return (
    <s-stack gap="small-200">
      <s-text>{t(every.key, {count: every.count})}</s-text>
      {live && subscription.nextBillingDate ? (
        <s-text>{t('list.nextOrder', {date: tools.date(subscription.nextBillingDate)})}</s-text>
      ) : null}
      {subscription.status === 'PAUSED' && subscription.resumeOn ? (
        <s-text>{t('later.pausedUntil', {date: tools.date(noonOf(subscription.resumeOn))})}</s-text>
      ) : null}
      {subscription.estimatedTotal ? (
        <s-text>{t('list.total', {total: tools.money(subscription.estimatedTotal)})}</s-text>
      ) : null}
    </s-stack>
  );
}

export function List({overview, tools, open}: Props) {
  const {t} = tools;
  if (overview.subscriptions.length === 0) {
    return (
      <s-section>
        <s-paragraph>{t('list.empty')}</s-paragraph>
      </s-section>
    );
  }
  return (
    <s-stack gap="base">
      {overview.subscriptions.map((subscription) => (
        <s-section key={subscription.id} heading={title(subscription)}>
          <s-stack gap="base">
            <StatusBadge subscription={subscription} tools={tools} />
            <Summary subscription={subscription} tools={tools} />
            <s-button
              accessibilityLabel={t('list.manageLabel', {title: title(subscription)})}
              onClick={() => open(subscription.id)}
            >
              {t('list.manage')}
            </s-button>
          </s-stack>
        </s-section>
      ))}
    </s-stack>
  );
}
