// The delivery address form: the backend describes the chosen country's form (its fields in
// its order, required ones, names of its provinces and countries in the customer's language)
// and checks the address; the province list follows the country at once.
import {useEffect, useState} from 'preact/hooks';

import {addressErrors, label, partly} from './addressRules';
import type {Tools} from './context';
import {addressFields, can} from './state';
import type {Action, AddressForm as FormData, Fields, Problem, Subscription} from './types';

export type LoadForm = (country: string) => Promise<FormData>;

type Props = {
  subscription: Subscription;
  live: number[];
  tools: Tools;
  pending: Action | null;
  problem: Problem | null;
  errors: Record<string, string>; // Shopify's, mapped to fields
  perform: (action: Action, fields?: Fields) => void;
  loadForm: LoadForm;
};

function value(event: Event): string {
  return String((event.currentTarget as HTMLInputElement | null)?.value ?? '');
}

export function AddressForm(props: Props) {
  const {subscription, tools, pending, problem, perform, loadForm} = props;
  const {t} = tools;
  const [fields, setFields] = useState<Fields>(() => addressFields(subscription));
  const [form, setForm] = useState<FormData | null>(null);
  const [every, setEvery] = useState(false);
  const country = fields.country_code ?? '';
  useEffect(() => {
    let current = true;
    loadForm(country).then((loaded) => {
      if (!current) return;
      setForm(loaded);
      if (loaded.country !== country) setFields((f) => ({...f, country_code: loaded.country}));
    }, () => undefined);
    return () => { current = false; };
  }, [country]);

  const others = props.live.filter((id) => id !== subscription.id).length;
  const errors = addressErrors(problem, form, t, props.errors);
  const report = partly(problem);
  const set = (name: string, text: string) => setFields({...fields, [name]: text});

  const control = (name: string) => {
    if (!form) return null;
    const common = {label: label(form, name, t), required: form.required.includes(name),
      error: errors[name]};
    if (name === 'country_code') {
      return (
        <s-select key={name} {...common} value={form.country}
          onChange={(event) => setFields({...fields, country_code: value(event),
            province_code: ''})}>
          {form.countries.map((c) => <s-option key={c.code} value={c.code}>{c.name}</s-option>)}
        </s-select>
      );
    }
    if (name === 'province_code') {
      return (
        <s-select key={name} {...common} value={fields.province_code ?? ''}
          onChange={(event) => set(name, value(event))}>
          <s-option value="">{t('address.choose')}</s-option>
          {form.provinces.map((p) => <s-option key={p.code} value={p.code}>{p.name}</s-option>)}
        </s-select>
      );
    }
    return (
      <s-text-field key={name} {...common} value={fields[name] ?? ''}
        onInput={(event) => set(name, value(event))} />
    );
  };

  return (
    <s-section heading={t('address.heading')}>
      <s-stack gap="base">
        {report ? (
          <s-banner tone="warning" heading={t('address.partlyHeading')}>
            <s-text>{t('address.partly', {changed: report.changed.join(', '),
              failed: report.failed.join(', ')})}</s-text>
          </s-banner>
        ) : null}
        {form ? (
          form.rows.map((row) => (
            <s-grid key={row.join('-')} gap="base"
              gridTemplateColumns={`repeat(auto-fit, minmax(min(100%, ${row.length > 1 ? 10 : 12}rem), 1fr))`}>
              {row.map(control)}
            </s-grid>
          ))
        ) : (
          <s-spinner accessibilityLabel={t('loading')} />
        )}
        {others > 0 && can(subscription, 'change_address_all') ? (
          <s-checkbox label={t('address.all', {count: others + 1})} checked={every}
            onChange={() => setEvery(!every)} />
        ) : null}
        <s-button loading={pending === 'change_address'} disabled={!form}
          onClick={() => perform('change_address', every ? {...fields, all_subscriptions: '1'}
            : fields)}>
          {t('address.save')}
        </s-button>
      </s-stack>
    </s-section>
  );
}
