// The `shopify` global Shopify's runtime gives this target, declared the way Shopify's CLI
// does (per module; only src/index.tsx reads it, the rest receives what it needs as props).
import '@shopify/ui-extensions';

//@ts-ignore
declare module './src/index.tsx' {
  const shopify: import('@shopify/ui-extensions/customer-account.page.render').Api;
  const globalThis: {shopify: typeof shopify};
}
