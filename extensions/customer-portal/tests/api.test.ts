// The backend client: the token on every call, JSON bodies, problems with stable codes.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {act, listSubscriptions, ProblemError, type Transport} from '../src/api.ts';

type Seen = {url: string; init: RequestInit};

function transport(respond: () => Response | Promise<Response>, seen: Seen[] = []): Transport {
  let n = 0;
  return {
    baseUrl: 'https://app.example',
    token: async () => `token-${++n}`,
    fetch: async (url, init) => {
      seen.push({url: String(url), init: init ?? {}});
      return respond();
    },
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json'}});

test('each call carries a fresh bearer token', async () => {
  const seen: Seen[] = [];
  const t = transport(() => json({customer: {}, subscriptions: []}), seen);
  await listSubscriptions(t);
  await listSubscriptions(t);
  assert.equal(seen[0]!.url, 'https://app.example/customer-account/api/subscriptions');
  const auth = seen.map((s) => (s.init.headers as Record<string, string>).Authorization);
  assert.deepEqual(auth, ['Bearer token-1', 'Bearer token-2']);
  assert.equal(seen[0]!.init.method, 'GET');
});

test('actions POST their fields as JSON', async () => {
  const seen: Seen[] = [];
  await act(transport(() => json({subscription: {}, frequencies: [], message: 'x'}), seen), 7,
    'change_quantity', {line_id: 'l1', quantity: '3'});
  assert.equal(seen[0]!.url, 'https://app.example/customer-account/api/subscriptions/7/change_quantity');
  assert.equal(seen[0]!.init.method, 'POST');
  assert.deepEqual(JSON.parse(String(seen[0]!.init.body)), {line_id: 'l1', quantity: '3'});
  assert.equal((seen[0]!.init.headers as Record<string, string>)['Content-Type'], 'application/json');
});

test('a problem+json answer becomes a ProblemError with its code and fields', async () => {
  const problem = {status: 422, code: 'invalid_input', field: 'quantity', detail: 'Bad'};
  await assert.rejects(act(transport(() => json(problem, 422)), 1, 'change_quantity'), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.deepEqual(error.problem, problem);
    return true;
  });
});

test('an answer that is not JSON still has a status and a code', async () => {
  const t = transport(() => new Response('<html>bad gateway</html>', {status: 502}));
  await assert.rejects(listSubscriptions(t), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.deepEqual(error.problem, {status: 502, code: 'http_error'});
    return true;
  });
});

test('a network failure is the network problem', async () => {
  const t = transport(() => Promise.reject(new TypeError('Failed to fetch')));
  await assert.rejects(listSubscriptions(t), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.problem.code, 'network');
    return true;
  });
});
