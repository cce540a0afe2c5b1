// The page's state transitions and the helpers the components rely on.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {
  addressFields,
  can,
  fieldErrors,
  frequencyKey,
  frequencyOptions,
  initialState,
  isFieldProblem,
  isoDay,
  nextUnskipped,
  problemKey,
  reduce,
  skipped,
  title,
} from '../src/state.ts';
import type {Detail, Subscription} from '../src/types.ts';

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 1,
    gid: 'gid://shopify/SubscriptionContract/1',
    status: 'ACTIVE',
    nextBillingDate: '2026-05-04T12:00:00Z',
    billingPolicy: {interval: 'WEEK', count: 2},
    frequency: 'WEEK:2',
    lines: [
      {id: 'l1', title: 'Coffee', variantTitle: '', quantity: 1, price: null, imageUrl: null,
        imageAlt: ''},
      {id: 'l2', title: 'Filters', variantTitle: '', quantity: 2, price: null, imageUrl: null,
        imageAlt: ''},
    ],
    estimatedTotal: null,
    address: null,
    paymentMethod: null,
    discounts: [],
    actions: ['pause', 'skip', 'cancel'],
    upcoming: [
      {index: 3, expectedAt: '2026-05-04T12:00:00Z', skipped: true},
      {index: 4, expectedAt: '2026-05-18T12:00:00Z', skipped: false},
    ],
    ...overrides,
  };
}

const detail = (s: Subscription): Detail => ({subscription: s, frequencies: []});

test('opening a subscription loads it, keeping a copy already shown', () => {
  const loaded = reduce(initialState, {type: 'loaded-detail', detail: detail(subscription())});
  const reopened = reduce(loaded, {type: 'open-detail', id: 1});
  assert.deepEqual(reopened.view, {kind: 'detail', id: 1});
  assert.equal(reopened.loading, true);
  assert.equal(reopened.detail?.subscription.id, 1);
  const other = reduce(loaded, {type: 'open-detail', id: 2});
  assert.equal(other.detail, null);
});

test('an action clears the last outcome, then shows the new state and message', () => {
  let state = reduce(initialState, {type: 'failed', problem: {status: 422, code: 'invalid_input'}});
  state = reduce(state, {type: 'sent', action: 'pause'});
  assert.equal(state.pending, 'pause');
  assert.equal(state.problem, null);
  const paused = detail(subscription({status: 'PAUSED', actions: ['resume']}));
  state = reduce(state, {type: 'acted', detail: paused, message: 'pause'});
  assert.equal(state.pending, null);
  assert.equal(state.message, 'pause');
  assert.equal(state.detail?.subscription.status, 'PAUSED');
});

test('a failure ends loading and the pending action, and keeps the problem', () => {
  let state = reduce(initialState, {type: 'sent', action: 'skip'});
  state = reduce(state, {type: 'failed', problem: {status: 403, code: 'action_disabled'}});
  assert.equal(state.pending, null);
  assert.equal(state.loading, false);
  assert.equal(problemKey(state.problem!), 'problem.actionDisabled');
});

test('going back to the list forgets the message and the problem', () => {
  let state = reduce(initialState, {type: 'acted', detail: detail(subscription()), message: 'skip'});
  state = reduce(state, {type: 'open-list'});
  assert.deepEqual(state.view, {kind: 'list'});
  assert.equal(state.message, null);
});

test('field errors: our field names, and Shopify userErrors mapped to form fields', () => {
  assert.deepEqual(fieldErrors({status: 422, code: 'invalid_input', field: 'quantity'}, 'Check'), {
    quantity: 'Check',
  });
  const shopify = {
    status: 422,
    code: 'shopify_user_error',
    userErrors: [
      {field: ['redeemCode'], message: 'Code not found'},
      {field: ['input', 'deliveryMethod', 'shipping', 'address', 'zip'], message: 'Bad zip'},
      {field: null, message: 'Something else'},
    ],
  };
  assert.deepEqual(fieldErrors(shopify, 'Check'), {code: 'Code not found', zip: 'Bad zip'});
  assert.equal(isFieldProblem(shopify), true);
  assert.equal(isFieldProblem({status: 500, code: 'internal_error'}), false);
  assert.deepEqual(fieldErrors(null, 'Check'), {});
});

test('unknown problem codes fall back to a generic message', () => {
  assert.equal(problemKey({status: 500, code: 'internal_error'}), 'problem.generic');
  assert.equal(problemKey({status: 0, code: 'network'}), 'problem.network');
});

test('actions offered are exactly what the server listed', () => {
  const s = subscription();
  assert.equal(can(s, 'pause'), true);
  assert.equal(can(s, 'resume'), false);
});

test('frequencies: labels and the current one kept in the options', () => {
  assert.deepEqual(frequencyKey('WEEK', 2), {key: 'frequency.week', count: 2});
  assert.deepEqual(frequencyKey('FORTNIGHT', 1), {key: 'frequency.other', count: 1});
  const offered = [{key: 'MONTH:1', interval: 'MONTH', count: 1}];
  assert.deepEqual(frequencyOptions(offered, 'MONTH:1'), offered);
  assert.deepEqual(frequencyOptions(offered, 'WEEK:2').map((f) => f.key), ['WEEK:2', 'MONTH:1']);
});

test('upcoming orders: the next one to skip and the skipped ones', () => {
  const s = subscription();
  assert.equal(nextUnskipped(s)?.index, 4);
  assert.deepEqual(skipped(s).map((c) => c.index), [3]);
  assert.equal(nextUnskipped(subscription({upcoming: undefined})), null);
});

test('helpers: title, address fields, ISO day', () => {
  assert.equal(title(subscription()), 'Coffee, Filters');
  assert.equal(addressFields(subscription()).city, '');
  const withAddress = subscription({
    address: {firstName: 'A', lastName: 'M', company: '', address1: '1 St', address2: '',
      city: 'Paris', provinceCode: '', zip: '75001', countryCode: 'FR', phone: ''},
  });
  assert.equal(addressFields(withAddress).country_code, 'FR');
  assert.equal(isoDay('2026-05-04T12:00:00Z'), '2026-05-04');
  assert.equal(isoDay(null), '');
});
