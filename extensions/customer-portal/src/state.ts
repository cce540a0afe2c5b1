// The page's state and every transition, as pure functions (tested with node's test runner).
import type {Action, Detail, Fields, Frequency, Overview, Problem, Subscription} from './types';

export type View = {kind: 'list'} | {kind: 'detail'; id: number};

export type State = {
  view: View;
  loading: boolean;
  overview: Overview | null;
  detail: Detail | null;
  pending: Action | null; // the action being sent
  message: string | null; // translation key of the last success
  messageParams?: Record<string, string | number>; // its values (a count)
  problem: Problem | null; // the last failure
};

export type Event =
  | {type: 'open-list'}
  | {type: 'open-detail'; id: number}
  | {type: 'loaded-list'; overview: Overview}
  | {type: 'loaded-detail'; detail: Detail}
  | {type: 'sent'; action: Action}
  | {type: 'acted'; detail: Detail; message: string; params?: Record<string, string | number>}
  | {type: 'failed'; problem: Problem};

export const initialState: State = {
  view: {kind: 'list'},
  loading: true,
  overview: null,
  detail: null,
  pending: null,
  message: null,
  problem: null,
};

export function reduce(state: State, event: Event): State {
  switch (event.type) {
    case 'open-list':
      return {...state, view: {kind: 'list'}, loading: true, message: null, problem: null};
    case 'open-detail':
      return {
        ...state,
        view: {kind: 'detail', id: event.id},
        loading: true,
        detail: state.detail?.subscription.id === event.id ? state.detail : null,
        message: null,
        problem: null,
      };
    case 'loaded-list':
      return {...state, loading: false, overview: event.overview};
    case 'loaded-detail':
      return {...state, loading: false, detail: event.detail};
    case 'sent':
      return {...state, pending: event.action, message: null, problem: null};
    case 'acted':
      return {...state, pending: null, detail: event.detail, message: event.message,
        messageParams: event.params};
    case 'failed':
      return {...state, loading: false, pending: null, problem: event.problem};
  }
}

// Shopify's userError fields (the mutation's argument path) → the form field they belong to.
const SHOPIFY_FIELDS: Record<string, string> = {
  redeemCode: 'code',
  quantity: 'quantity',
  lineId: 'line_id',
  productVariantId: 'variant_id',
  discountId: 'discount_id',
  date: 'date',
  nextBillingDate: 'date',
  billingPolicy: 'frequency',
  deliveryPolicy: 'frequency',
  address1: 'address1',
  address2: 'address2',
  city: 'city',
  zip: 'zip',
  countryCode: 'country_code',
  provinceCode: 'province_code',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
};

/** The message to show next to each form field, from a refused change. */
export function fieldErrors(problem: Problem | null, invalid: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!problem) return errors;
  if (problem.field) errors[problem.field] = invalid;
  for (const error of problem.userErrors ?? []) {
    const path = error.field ?? [];
    const name = [...path].reverse().map((part) => SHOPIFY_FIELDS[part]).find(Boolean);
    if (name && !errors[name]) errors[name] = error.message;
  }
  return errors;
}

/** Whether a refusal has somewhere to show next to a field (else it goes in the banner). */
export function isFieldProblem(problem: Problem | null): boolean {
  return Object.keys(fieldErrors(problem, 'x')).length > 0;
}

// Stable codes → translation keys; anything else is "something went wrong".
const PROBLEM_KEYS: Record<string, string> = {
  action_disabled: 'problem.actionDisabled',
  contract_not_found: 'problem.notFound',
  customer_required: 'problem.signIn',
  missing_session_token: 'problem.signIn',
  invalid_session_token: 'problem.signIn',
  shopify_user_error: 'problem.refused',
  invalid_input: 'problem.invalid',
  shopify_unavailable: 'problem.unavailable',
  invalid_address: 'problem.address',
  address_partly_changed: 'problem.partly',
  network: 'problem.network',
  order_already_placed: 'orderNow.alreadyPlaced',
  order_changed: 'orderNow.changed',
  no_payment_method: 'orderNow.noCard',
};

export function problemKey(problem: Problem): string {
  return PROBLEM_KEYS[problem.code] ?? 'problem.generic';
}

export function can(subscription: Subscription, action: Action): boolean {
  return subscription.actions.includes(action);
}

/** The translation key and count for a billing frequency ("every 2 weeks"). */
export function frequencyKey(interval: string, count: number): {key: string; count: number} {
  const unit = interval.toLowerCase();
  const known = ['day', 'week', 'month', 'year'].includes(unit) ? unit : 'other';
  return {key: `frequency.${known}`, count};
}

export function frequencyOptions(frequencies: Frequency[], current: string): Frequency[] {
  // The subscription's own frequency stays listed (selected) even when the shop stopped
  // offering it, so the select never shows a value it does not have.
  if (frequencies.some((f) => f.key === current)) return frequencies;
  const [interval, count] = current.split(':');
  const own = {key: current, interval: interval ?? '', count: Number(count) || 0};
  return [own, ...frequencies];
}

/** The titles of a subscription's lines, for its heading. */
export function title(subscription: Subscription): string {
  return subscription.lines.map((line) => line.title).join(', ');
}

/** The next order the customer can skip, and the skipped ones they can bring back. */
export function nextUnskipped(subscription: Subscription) {
  return (subscription.upcoming ?? []).find((cycle) => !cycle.skipped) ?? null;
}

export function skipped(subscription: Subscription) {
  return (subscription.upcoming ?? []).filter((cycle) => cycle.skipped);
}

/** The address form's fields from the subscription's address (snake_case, as the API takes). */
export function addressFields(subscription: Subscription): Fields {
  const a = subscription.address;
  return {
    first_name: a?.firstName ?? '',
    last_name: a?.lastName ?? '',
    company: a?.company ?? '',
    address1: a?.address1 ?? '',
    address2: a?.address2 ?? '',
    city: a?.city ?? '',
    province_code: a?.provinceCode ?? '',
    zip: a?.zip ?? '',
    country_code: a?.countryCode ?? '',
    phone: a?.phone ?? '',
  };
}

/** `2026-05-04T12:00:00Z` → `2026-05-04`, the date field's value. */
export function isoDay(value: string | null): string {
  return value ? value.slice(0, 10) : '';
}
