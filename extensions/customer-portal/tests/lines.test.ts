// Swap and add-on refusals land next to their field.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {fieldErrors} from '../src/state.ts';

test('a variant Shopify refuses is shown at the product field', () => {
  const problem = {
    status: 422,
    code: 'shopify_user_error',
    userErrors: [{field: ['input', 'productVariantId'], message: 'Not sold by subscription'}],
  };
  assert.deepEqual(fieldErrors(problem, 'Check'), {variant_id: 'Not sold by subscription'});
  assert.deepEqual(fieldErrors({status: 422, code: 'invalid_input', field: 'variant_id'}, 'Check'),
    {variant_id: 'Check'});
});
