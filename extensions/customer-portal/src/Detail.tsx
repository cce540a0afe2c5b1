// One subscription: what it is, then one section per change the shop allows on it.
import {useState} from 'preact/hooks';

import {CardNotice} from './CardNotice';
import {AddOns} from './AddOns';
import {Swap} from './Swap';
import {AddressForm, type LoadForm} from './Address';
import type {Tools} from './context';
import {StatusBadge, Summary} from './List';
import {OrderNow} from './OrderNow';
import {PauseUntil} from './PauseUntil';
import {
  can,
  fieldErrors,
  frequencyKey,
  frequencyOptions,
  isoDay,
  nextUnskipped,
  skipped,
  title,
} from './state';
import type {
  Action, Detail as DetailData, Fields, Problem, Subscription, SwapOptions,
} from './types';

type Perform = (action: Action, fields?: Fields) => void;

type Props = {
  detail: DetailData;
  swapOptions: (lineId: string) => Promise<SwapOptions>;
  tools: Tools;
  pending: Action | null;
  problem: Problem | null;
  perform: Perform;
  loadForm: LoadForm;
};

export type Shared = {
  subscription: Subscription;
  tools: Tools;
  pending: Action | null;
  errors: Record<string, string>;
  perform: Perform;
};

function value(event: Event): string {
  return String((event.currentTarget as HTMLInputElement | null)?.value ?? '');
}

function Lines({subscription, tools, pending, errors, perform}: Shared) {
  const {t} = tools;
  const editable = can(subscription, 'change_quantity');
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<string | null>(null); // the line a refusal is about
  return (
    <s-stack gap="base">
      {subscription.lines.map((line) => {
        const quantity = quantities[line.id] ?? String(line.quantity);
        return (
          <s-stack key={line.id} direction="inline" gap="base" alignItems="center">
            {line.imageUrl ? (
              <s-product-thumbnail src={line.imageUrl} alt={line.imageAlt || line.title} />
            ) : null}
            <s-stack gap="small-200">
              <s-text type="strong">{line.title}</s-text>
              {line.variantTitle ? <s-text color="subdued">{line.variantTitle}</s-text> : null}
              <s-text>{t('lines.each', {price: tools.money(line.price)})}</s-text>
              {editable ? (
                <s-stack direction="inline" gap="small" alignItems="end">
                  <s-number-field
                    label={t('lines.quantityFor', {title: line.title})}
                    value={quantity}
                    min={1}
                    max={100}
                    step={1}
                    error={sent === line.id ? errors.quantity : undefined}
                    onInput={(event) => setQuantities({...quantities, [line.id]: value(event)})}
                  />
                  <s-button
                    accessibilityLabel={t('lines.updateFor', {title: line.title})}
                    loading={pending === 'change_quantity'}
                    onClick={() => {
                      setSent(line.id);
                      perform('change_quantity', {line_id: line.id, quantity});
                    }}
                  >
                    {t('lines.update')}
                  </s-button>
                </s-stack>
              ) : (
                <s-text>{t('lines.quantity', {count: line.quantity})}</s-text>
              )}
            </s-stack>
          </s-stack>
        );
      })}
    </s-stack>
  );
}

function Schedule({subscription, tools, pending, errors, perform}: Shared) {
  const {t} = tools;
  const next = nextUnskipped(subscription);
  const [day, setDay] = useState(isoDay(subscription.nextBillingDate));
  const status = can(subscription, 'pause') ? 'pause' : can(subscription, 'resume') ? 'resume' : null;
  return (
    <s-section heading={t('schedule.heading')}>
      <s-stack gap="base">
        {can(subscription, 'skip') && next ? (
          <s-stack direction="inline" gap="base" alignItems="center">
            <s-text>{t('schedule.next', {date: tools.date(next.expectedAt)})}</s-text>
            <s-button loading={pending === 'skip'}
              onClick={() => perform('skip', {cycle_index: String(next.index)})}>
              {t('schedule.skip')}
            </s-button>
          </s-stack>
        ) : null}
        {can(subscription, 'unskip')
          ? skipped(subscription).map((cycle) => (
              <s-stack key={cycle.index} direction="inline" gap="base" alignItems="center">
                <s-text>{t('schedule.skipped', {date: tools.date(cycle.expectedAt)})}</s-text>
                <s-button loading={pending === 'unskip'}
                  onClick={() => perform('unskip', {cycle_index: String(cycle.index)})}>
                  {t('schedule.unskip')}
                </s-button>
              </s-stack>
            ))
          : null}
        {can(subscription, 'set_next_date') ? (
          <s-stack direction="inline" gap="small" alignItems="end">
            <s-date-field label={t('schedule.date')} value={day} error={errors.date}
              onChange={(event) => setDay(value(event))}
              onInput={(event) => setDay(value(event))} />
            <s-button loading={pending === 'set_next_date'}
              onClick={() => perform('set_next_date', {date: day})}>
              {t('schedule.reschedule')}
            </s-button>
          </s-stack>
        ) : null}
        {status ? (
          <s-button loading={pending === status} onClick={() => perform(status)}>
            {t(`schedule.${status}`)}
          </s-button>
        ) : null}
      </s-stack>
    </s-section>
  );
}

function Frequency({subscription, tools, pending, errors, perform, options}: Shared & {
  options: DetailData['frequencies'];
}) {
  const {t} = tools;
  const [chosen, setChosen] = useState(subscription.frequency);
  return (
    <s-section heading={t('frequency.heading')}>
      <s-stack direction="inline" gap="small" alignItems="end">
        <s-select label={t('frequency.label')} value={chosen} error={errors.frequency}
          onChange={(event) => setChosen(value(event))}>
          {frequencyOptions(options, subscription.frequency).map((option) => {
            const every = frequencyKey(option.interval, option.count);
            return (
              <s-option key={option.key} value={option.key}>
                {t(every.key, {count: every.count})}
              </s-option>
            );
          })}
        </s-select>
        <s-button loading={pending === 'change_frequency'}
          onClick={() => perform('change_frequency', {frequency: chosen})}>
          {t('frequency.save')}
        </s-button>
      </s-stack>
    </s-section>
  );
}

function Payment({subscription, tools, pending, perform}: Shared) {
  const {t} = tools;
  const card = subscription.paymentMethod;
  return (
    <s-section heading={t('payment.heading')}>
      <s-stack gap="base">
        {card ? (
          <s-text>{t('payment.card', {brand: card.brand, digits: card.lastDigits,
            expiry: card.expiry})}</s-text>
        ) : null}
        <CardNotice subscription={subscription} tools={tools} />
        <s-button loading={pending === 'payment_email'} onClick={() => perform('payment_email')}>
          {t('payment.send')}
        </s-button>
      </s-stack>
    </s-section>
  );
}

function Discounts({subscription, tools, pending, errors, perform}: Shared) {
  const {t} = tools;
  const [code, setCode] = useState('');
  return (
    <s-section heading={t('discounts.heading')}>
      <s-stack gap="base">
        {subscription.discounts.map((discount) => (
          <s-stack key={discount.id} direction="inline" gap="base" alignItems="center">
            <s-text>{discount.title} ({discount.value})</s-text>
            {can(subscription, 'remove_discount') ? (
              <s-button accessibilityLabel={t('discounts.removeLabel', {title: discount.title})}
                loading={pending === 'remove_discount'}
                onClick={() => perform('remove_discount', {discount_id: discount.id})}>
                {t('discounts.remove')}
              </s-button>
            ) : null}
          </s-stack>
        ))}
        {can(subscription, 'apply_discount') ? (
          <s-stack direction="inline" gap="small" alignItems="end">
            <s-text-field label={t('discounts.code')} value={code} error={errors.code}
              onInput={(event) => setCode(value(event))} />
            <s-button loading={pending === 'apply_discount'}
              onClick={() => perform('apply_discount', {code})}>
              {t('discounts.apply')}
            </s-button>
          </s-stack>
        ) : null}
      </s-stack>
    </s-section>
  );
}

function Cancel({tools, pending, errors, perform}: Shared) {
  const {t} = tools;
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  return (
    <s-section heading={t('cancel.heading')}>
      <s-stack gap="base">
        <s-text-area label={t('cancel.reason')} value={reason} error={errors.reason}
          onInput={(event) => setReason(value(event))} />
        {confirming ? (
          <s-stack direction="inline" gap="base">
            <s-button tone="critical" variant="primary" loading={pending === 'cancel'}
              onClick={() => perform('cancel', {reason})}>
              {t('cancel.confirm')}
            </s-button>
            <s-button onClick={() => setConfirming(false)}>{t('cancel.keep')}</s-button>
          </s-stack>
        ) : (
          <s-button tone="critical" onClick={() => setConfirming(true)}>
            {t('cancel.start')}
          </s-button>
        )}
      </s-stack>
    </s-section>
  );
}

export function Detail({detail, swapOptions, tools, pending, problem, perform, loadForm}: Props) {
  const subscription = detail.subscription;
  const errors = fieldErrors(problem, tools.t('problem.field'));
  const shared: Shared = {subscription, tools, pending, errors, perform};
  // Keyed by what the server says, so forms start from the subscription as it now stands.
  const version = `${subscription.id}:${subscription.status}:${subscription.frequency}`;
  return (
    <s-stack gap="base" key={version}>
      <s-section heading={title(subscription)}>
        <s-stack gap="base">
          <StatusBadge subscription={subscription} tools={tools} />
          <Summary subscription={subscription} tools={tools} />
          <Lines {...shared} />
        </s-stack>
      </s-section>
      {can(subscription, 'swap') ? (
        <Swap key={subscription.lines.map((l) => `${l.id}:${l.variantTitle}`).join('|')}
          lines={subscription.lines} tools={tools} pending={pending}
          error={errors.variant_id} perform={perform} load={swapOptions} />
      ) : null}
      {(subscription.addOnOffers ?? []).length || (subscription.upcoming ?? []).some(
        (c) => (c.addOns ?? []).length) ? (
        <AddOns subscription={subscription} offers={subscription.addOnOffers ?? []}
          tools={tools} pending={pending} errors={errors} perform={perform} />
      ) : null}
      {['skip', 'unskip', 'set_next_date', 'pause', 'resume'].some((a) =>
        can(subscription, a as Action),
      ) ? <Schedule {...shared} /> : null}
      {can(subscription, 'order_now') && subscription.orderNow ? <OrderNow {...shared} /> : null}
      {can(subscription, 'pause_until') || can(subscription, 'delay') ? (
        <PauseUntil {...shared} />
      ) : null}
      {can(subscription, 'change_frequency') ? (
        <Frequency {...shared} options={detail.frequencies} />
      ) : null}
      {can(subscription, 'change_address') ? (
        <AddressForm subscription={subscription} live={detail.liveSubscriptions ?? []}
          tools={tools} pending={pending} problem={problem} errors={errors} perform={perform}
          loadForm={loadForm} />
      ) : null}
      {can(subscription, 'payment_email') ? <Payment {...shared} /> : null}
      {can(subscription, 'apply_discount') || subscription.discounts.length ? (
        <Discounts {...shared} />
      ) : null}
      {can(subscription, 'cancel') ? <Cancel {...shared} /> : null}
    </s-stack>
  );
}
