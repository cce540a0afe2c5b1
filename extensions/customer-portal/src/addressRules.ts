// The address form's pure rules (tested with node's test runner): each field's label key, and
// the message each refused field shows, from the backend's `invalid_address` problem or
// Shopify's userErrors.
import type {AddressForm, Problem} from './types';

export type Translate = (key: string, options?: Record<string, string | number>) => string;

/** The catalogue key of a field's label in this country ("address.zip.postal"). */
export function labelKey(form: AddressForm, name: string): string {
  return `address.${form.labels[name] ?? `label.${name}`}`;
}

/** The label shown: the country's name for the field, "(optional)" unless required. */
export function label(form: AddressForm, name: string, t: Translate): string {
  const text = t(labelKey(form, name));
  return form.required.includes(name) ? text : t('address.optional', {label: text});
}

/** The message on each refused field (ours first, then Shopify's on address fields). */
export function addressErrors(
  problem: Problem | null,
  form: AddressForm | null,
  t: Translate,
  shopify: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {...shopify};
  if (!problem || problem.code !== 'invalid_address' || !problem.errors) return errors;
  for (const [name, reason] of Object.entries(problem.errors)) {
    if (name === 'zip' && reason === 'invalid' && form?.zipExample) {
      errors[name] = t('address.error.invalidZip', {example: form.zipExample});
    } else if (name === 'province_code' || name === 'country_code') {
      errors[name] = t('address.error.choose');
    } else {
      errors[name] = t(`address.error.${reason === 'too_long' ? 'tooLong' : reason}`);
    }
  }
  return errors;
}

/** The names of the subscriptions a partial change reports, for its banner. */
export function partly(problem: Problem | null): {changed: string[]; failed: string[]} | null {
  if (!problem || problem.code !== 'address_partly_changed') return null;
  const name = (item: {id: number; title?: string}) => item.title || `#${item.id}`;
  return {
    changed: (problem.changed ?? []).map(name),
    failed: (problem.failed ?? []).map(name),
  };
}
