// The JSON of /customer-account/api/… (shopify_app/portal/customer_account/payloads.py).

export type Money = {amount: string; currencyCode: string};

export type Line = {
  id: string;
  title: string;
  variantTitle: string;
  quantity: number;
  price: Money | null;
  imageUrl: string | null;
  imageAlt: string;
};

export type Address = {
  firstName: string;
  lastName: string;
  company: string;
  address1: string;
  address2: string;
  city: string;
  provinceCode: string;
  zip: string;
  countryCode: string;
  phone: string;
};

export type AddOn = {id: string; title: string; variantTitle: string; quantity: number;
  price: Money};
export type AddOnOffer = {variantId: string; label: string; price: Money};
export type SwapOptions = {
  line: {id: string; title: string; variantTitle: string; price: Money};
  choices: {variantId: string; label: string; price: Money; available: boolean}[];
};

export type Cycle = {index: number; expectedAt: string | null; skipped: boolean;
  addOns?: AddOn[]};

export type Subscription = {
  id: number;
  gid: string;
  status: string;
  nextBillingDate: string | null;
  billingPolicy: {interval: string; count: number};
  frequency: string;
  lines: Line[];
  estimatedTotal: Money | null;
  address: Address | null;
  paymentMethod: {
    brand: string;
    lastDigits: string;
    expiry: string;
    expiresSoon: boolean;
    revoked: boolean;
    expiresBeforeNextOrder?: boolean;
  } | null;
  resumeOn?: string | null;
  orderNow?: {cycleIndex: number; expectedAt: string | null} | null;
  pauseLimits?: {first: string; last: string};
  discounts: {id: string; title: string; value: string}[];
  actions: Action[];
  upcoming?: Cycle[];
  addOnOffers?: AddOnOffer[];
};

export type Frequency = {key: string; interval: string; count: number};

export type Overview = {
  customer: {firstName: string; displayName: string};
  subscriptions: Subscription[];
};

export type Detail = {
  subscription: Subscription;
  frequencies: Frequency[];
  liveSubscriptions?: number[]; // the customer's ACTIVE/PAUSED ones (change_address for all)
};

export type ActionResult = Detail & {
  message: string;
  messageParams?: Record<string, string | number>;
};

// GET /customer-account/api/address-form: one country's form in the customer's language.
export type AddressForm = {
  country: string;
  countries: {code: string; name: string}[];
  rows: string[][];
  required: string[];
  labels: Record<string, string>;
  autocomplete: Record<string, string>;
  zipExample: string;
  provinces: {code: string; name: string}[];
};

export type Action =
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'skip'
  | 'unskip'
  | 'set_next_date'
  | 'change_frequency'
  | 'change_quantity'
  | 'change_address'
  | 'payment_email'
  | 'apply_discount'
  | 'remove_discount'
  | 'order_now'
  | 'pause_until'
  | 'delay'
  | 'swap'
  | 'add_on'
  | 'remove_add_on'
  | 'change_address_all';

export type Fields = Record<string, string>;

// An RFC 9457 problem as the backend sends it.
export type Problem = {
  status: number;
  code: string;
  detail?: string;
  field?: string;
  userErrors?: {field: string[] | null; message: string}[];
  errors?: Record<string, string>; // invalid_address: field → required | invalid | too_long
  changed?: {id: number; title?: string}[]; // address_partly_changed
  failed?: {id: number; title?: string; code?: string}[];
};
