// Order now / pause until / delay: the helpers and the refusal codes the page translates.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {delayedDay, noonOf} from '../src/schedule.ts';
import {can, problemKey} from '../src/state.ts';
import type {Subscription} from '../src/types.ts';

test('delay: the next order moved by whole weeks, the same calendar day everywhere', () => {
  assert.equal(delayedDay('2026-12-28T12:00:00Z', 1), '2027-01-04T12:00:00.000Z');
  assert.equal(delayedDay('2026-03-01T23:30:00Z', 4), '2026-03-29T12:00:00.000Z');
  assert.equal(delayedDay(null, 2), null);
  assert.equal(noonOf('2026-12-25'), '2026-12-25T12:00:00Z');
});

test('refusals of order now have their own sentences', () => {
  assert.equal(problemKey({status: 409, code: 'order_already_placed'}), 'orderNow.alreadyPlaced');
  assert.equal(problemKey({status: 422, code: 'order_changed'}), 'orderNow.changed');
  assert.equal(problemKey({status: 422, code: 'no_payment_method'}), 'orderNow.noCard');
});

test('the new actions are offered only when the server lists them', () => {
  const base = {actions: ['order_now', 'delay']} as unknown as Subscription;
  assert.equal(can(base, 'order_now'), true);
  assert.equal(can(base, 'pause_until'), false);
});
