// What every component needs from the host, passed down instead of read from the global so
// the components stay plain functions of their props.
import type {Money} from './types';

export type Translate = (key: string, options?: Record<string, string | number>) => string;

export type Tools = {
  t: Translate;
  date: (iso: string | null) => string;
  money: (money: Money | null) => string;
};

export function makeTools(i18n: {
  translate: (key: string, options?: Record<string, string | number>) => unknown;
  formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string;
  formatCurrency: (amount: number, options?: Intl.NumberFormatOptions) => string;
}): Tools {
  return {
    t: (key, options) => String(i18n.translate(key, options)),
    date: (iso) => (iso ? i18n.formatDate(new Date(iso), {dateStyle: 'long'}) : ''),
    money: (money) =>
      money
        ? i18n.formatCurrency(Number(money.amount), {
            style: 'currency',
            currency: money.currencyCode,
          })
        : '',
  };
}
