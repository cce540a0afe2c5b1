// customer-account.order-index.block.render: a way from the orders page to the
// subscriptions page (the customer-portal extension's full page).
import '@shopify/ui-extensions/preact';
import {render} from 'preact';

// Full-page extensions of the same app are reached with `extension:{handle}/`.
export const PORTAL_URL = 'extension:customer-portal/';

function Block() {
  const t = (key: string) => String(shopify.i18n.translate(key));
  return (
    <s-section heading={t('heading')}>
      <s-stack direction="inline" gap="base" alignItems="center" justifyContent="space-between">
        <s-text>{t('body')}</s-text>
        <s-button href={PORTAL_URL}>{t('manage')}</s-button>
      </s-stack>
    </s-section>
  );
}

export default async () => {
  render(<Block />, document.body);
};
