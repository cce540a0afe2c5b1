// Delay the next order by 1-4 weeks, or pause until a chosen day (it resumes by itself).
import {useState} from 'preact/hooks';

import type {Shared} from './Detail';
import {delayedDay, noonOf} from './schedule';
import {can} from './state';

const WEEKS = [1, 2, 3, 4];

function value(event: Event): string {
  return String((event.currentTarget as HTMLInputElement | null)?.value ?? '');
}

export function PauseUntil({subscription, tools, pending, errors, perform}: Shared) {
  const {t} = tools;
  const [weeks, setWeeks] = useState('1');
  const [day, setDay] = useState(subscription.resumeOn ?? '');
  const limits = subscription.pauseLimits;
  const delay = can(subscription, 'delay') && subscription.nextBillingDate;
  return (
    <s-section heading={t('later.heading')}>
      <s-stack gap="base">
        {delay ? (
          <s-stack direction="inline" gap="small" alignItems="end">
            <s-select label={t('later.delayBy')} value={weeks} error={errors.weeks}
              onChange={(event) => setWeeks(value(event))}>
              {WEEKS.map((count) => (
                <s-option key={count} value={String(count)}>
                  {t('later.weeks', {count, date: tools.date(
                    delayedDay(subscription.nextBillingDate, count))})}
                </s-option>
              ))}
            </s-select>
            <s-button loading={pending === 'delay'}
              onClick={() => perform('delay', {weeks})}>
              {t('later.delay')}
            </s-button>
          </s-stack>
        ) : null}
        {can(subscription, 'pause_until') ? (
          <s-stack gap="small">
            <s-stack direction="inline" gap="small" alignItems="end">
              <s-date-field label={t('later.resumeOn')} value={day} error={errors.resume_on}
                onChange={(event) => setDay(value(event))}
                onInput={(event) => setDay(value(event))} />
              <s-button loading={pending === 'pause_until'}
                onClick={() => perform('pause_until', {resume_on: day})}>
                {t('later.pauseUntil')}
              </s-button>
            </s-stack>
            {limits ? (
              <s-text color="subdued">{t('later.window', {
                first: tools.date(noonOf(limits.first)),
                last: tools.date(noonOf(limits.last))})}</s-text>
            ) : null}
          </s-stack>
        ) : null}
      </s-stack>
    </s-section>
  );
}
