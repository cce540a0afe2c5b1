// customer-account.page.render: the customer's subscriptions, as a full page.
import '@shopify/ui-extensions/preact';
import {render} from 'preact';

import {App} from './App';
import {makeTools} from './context';

export default async () => {
  const transport = {
    baseUrl: __APP_URL__,
    token: () => shopify.sessionToken.get(),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
    locale: shopify.localization.language.value.isoCode,
  };
  render(<App transport={transport} tools={makeTools(shopify.i18n)} />, document.body);
};
