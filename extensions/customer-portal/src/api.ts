// Calls to the app's backend, each with a fresh session token (Shopify caches it), and
// every failure turned into a `Problem` with a stable code.
import type {
  ActionResult,
  Action,
  AddressForm,
  Detail,
  Fields,
  Overview,
  Problem,
  SwapOptions,
} from './types';

export type Transport = {
  baseUrl: string; // the app's public URL
  token: () => Promise<string>;
  fetch: typeof fetch;
  locale?: string; // the customer's language (names of countries and provinces)
};

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.code);
  }
}

async function call<T>(transport: Transport, path: string, body?: Fields): Promise<T> {
  let response: Response;
  try {
    const token = await transport.token();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    };
    if (body) headers['Content-Type'] = 'application/json';
    response = await transport.fetch(`${transport.baseUrl}/customer-account/api${path}`, {
      method: body ? 'POST' : 'GET',
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ProblemError({status: 0, code: 'network'});
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? (data as Partial<Problem>) : {};
    throw new ProblemError({
      ...problem,
      status: response.status,
      code: typeof problem.code === 'string' ? problem.code : 'http_error',
    });
  }
  return data as T;
}

export function listSubscriptions(transport: Transport): Promise<Overview> {
  return call(transport, '/subscriptions');
}

export function showSubscription(transport: Transport, id: number): Promise<Detail> {
  return call(transport, `/subscriptions/${encodeURIComponent(String(id))}`);
}

export function act(
  transport: Transport,
  id: number,
  action: Action,
  fields: Fields = {},
): Promise<ActionResult> {
  return call(transport, `/subscriptions/${encodeURIComponent(String(id))}/${action}`, fields);
}

export function swapOptions(transport: Transport, id: number, lineId: string): Promise<SwapOptions> {
  const line = encodeURIComponent(lineId);
  return call(transport, `/subscriptions/${encodeURIComponent(String(id))}/swap-options?line=${line}`);
}

export function addressForm(transport: Transport, country: string): Promise<AddressForm> {
  const query = new URLSearchParams({country, locale: transport.locale ?? 'en'});
  return call(transport, `/address-form?${query.toString()}`);
}
