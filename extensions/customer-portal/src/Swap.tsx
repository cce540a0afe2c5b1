// Swap a line: the merchant's choices with their new price, then a confirmation step.
import {useState} from 'preact/hooks';

import type {Tools} from './context';
import type {Action, Fields, Line, SwapOptions} from './types';

type Props = {
  lines: Line[];
  tools: Tools;
  pending: Action | null;
  error: string | undefined;
  perform: (action: Action, fields?: Fields) => void;
  load: (lineId: string) => Promise<SwapOptions>;
};

function value(event: Event): string {
  return String((event.currentTarget as HTMLInputElement | null)?.value ?? '');
}

export function Swap({lines, tools, pending, error, perform, load}: Props) {
  const {t} = tools;
  const [options, setOptions] = useState<SwapOptions | null>(null);
  const [chosen, setChosen] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  const open = (lineId: string) => {
    setFailed(false);
    setConfirming(false);
    load(lineId).then(
      (found) => {
        setOptions(found);
        setChosen(found.choices.find((c) => c.available)?.variantId ?? '');
      },
      () => setFailed(true),
    );
  };
  const choice = options?.choices.find((c) => c.variantId === chosen) ?? null;
  return (
    <s-section heading={t('swap.heading')}>
      <s-stack gap="base">
        {options === null ? (
          <s-stack direction="inline" gap="base">
            {lines.map((line) => (
              <s-button key={line.id} onClick={() => open(line.id)}>
                {t('swap.start', {title: line.title})}
              </s-button>
            ))}
          </s-stack>
        ) : options.choices.some((c) => c.available) ? (
          <s-stack gap="base">
            <s-text>{t('swap.current', {title: options.line.title,
              price: tools.money(options.line.price)})}</s-text>
            {confirming && choice ? (
              <s-stack gap="base">
                <s-text>{t('swap.confirmBody', {old: options.line.title, new: choice.label})}</s-text>
                <s-text type="strong">{t('swap.newPrice', {price: tools.money(choice.price)})}</s-text>
                <s-stack direction="inline" gap="base">
                  <s-button variant="primary" loading={pending === 'swap'}
                    onClick={() => perform('swap', {line_id: options.line.id,
                      variant_id: choice.variantId})}>
                    {t('swap.confirm')}
                  </s-button>
                  <s-button onClick={() => setConfirming(false)}>{t('swap.other')}</s-button>
                </s-stack>
              </s-stack>
            ) : (
              <s-stack direction="inline" gap="small" alignItems="end">
                <s-select label={t('swap.choose')} value={chosen} error={error}
                  onChange={(event) => setChosen(value(event))}>
                  {options.choices.filter((c) => c.available).map((c) => (
                    <s-option key={c.variantId} value={c.variantId}>
                      {t('swap.option', {label: c.label, price: tools.money(c.price)})}
                    </s-option>
                  ))}
                </s-select>
                <s-button onClick={() => setConfirming(true)}>{t('swap.review')}</s-button>
              </s-stack>
            )}
            <s-button onClick={() => setOptions(null)}>{t('swap.close')}</s-button>
          </s-stack>
        ) : (
          <s-stack gap="base">
            <s-text>{t('swap.none')}</s-text>
            <s-button onClick={() => setOptions(null)}>{t('swap.close')}</s-button>
          </s-stack>
        )}
        {failed ? <s-text tone="critical">{t('problem.generic')}</s-text> : null}
      </s-stack>
    </s-section>
  );
}
