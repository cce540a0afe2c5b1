// The address form's rules: labels per country, errors on each field, a partial change's report.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {addressErrors, label, labelKey, partly} from '../src/addressRules.ts';
import type {AddressForm} from '../src/types.ts';

const CANADA: AddressForm = {
  country: 'CA',
  countries: [{code: 'CA', name: 'Canada'}],
  rows: [['country_code'], ['first_name', 'last_name'], ['city', 'province_code', 'zip']],
  required: ['country_code', 'first_name', 'last_name', 'city', 'province_code', 'zip'],
  labels: {zip: 'zip.postal', province_code: 'area.province', city: 'city.city'},
  autocomplete: {},
  zipExample: 'H3Z 2Y7',
  provinces: [{code: 'ON', name: 'Ontario'}],
};

const t = (key: string, options: Record<string, string | number> = {}) =>
  `${key}${Object.keys(options).length ? JSON.stringify(options) : ''}`;

test('labels: the country names the field; optional ones say so', () => {
  assert.equal(labelKey(CANADA, 'zip'), 'address.zip.postal');
  assert.equal(labelKey(CANADA, 'first_name'), 'address.label.first_name');
  assert.equal(label(CANADA, 'zip', t), 'address.zip.postal');
  assert.equal(label(CANADA, 'company', t),
    'address.optional{"label":"address.label.company"}');
});

test('errors: each refused field gets its reason, Shopify\'s too', () => {
  const problem = {status: 422, code: 'invalid_address',
    errors: {zip: 'invalid', city: 'required', province_code: 'invalid', address1: 'too_long'}};
  const errors = addressErrors(problem, CANADA, t, {phone: 'Phone is invalid'});
  assert.deepEqual(errors, {
    phone: 'Phone is invalid',
    zip: 'address.error.invalidZip{"example":"H3Z 2Y7"}',
    city: 'address.error.required',
    province_code: 'address.error.choose',
    address1: 'address.error.tooLong',
  });
  assert.deepEqual(addressErrors(null, CANADA, t, {}), {});
  assert.deepEqual(addressErrors({status: 422, code: 'invalid_input'}, null, t, {}), {});
});

test('a partial change names what changed and what did not', () => {
  assert.equal(partly({status: 409, code: 'invalid_address'}), null);
  assert.deepEqual(partly({status: 409, code: 'address_partly_changed',
    changed: [{id: 1, title: 'Coffee'}], failed: [{id: 2, title: ''}]}),
  {changed: ['Coffee'], failed: ['#2']});
});
