import type { CreateFacilityInput, CreateOrderInput, CreateProductInput } from '@app/data';

/** A small deterministic generator, so every demo database looks the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const DEMO_FACILITIES: CreateFacilityInput[] = [
  { code: 'DEMO-WH-NJ', name: 'Demo East Coast DC (Newark)', type: 'WAREHOUSE', latitude: 40.7357, longitude: -74.1724 },
  { code: 'DEMO-WH-CA', name: 'Demo West Coast DC (Ontario, CA)', type: 'WAREHOUSE', latitude: 34.0633, longitude: -117.6509 },
  { code: 'DEMO-ST-NYC', name: 'Demo Store Manhattan', type: 'STORE', latitude: 40.7549, longitude: -73.984 },
  { code: 'DEMO-ST-CHI', name: 'Demo Store Chicago', type: 'STORE', latitude: 41.8919, longitude: -87.6249 },
  { code: 'DEMO-ST-SEA', name: 'Demo Store Seattle', type: 'STORE', latitude: 47.6114, longitude: -122.3372 },
];

const GARMENTS = ['Tee', 'Hoodie', 'Chino', 'Denim Jacket', 'Polo', 'Beanie', 'Sneaker', 'Parka', 'Oxford Shirt', 'Cardigan'];
const COLOURS = ['Black', 'White', 'Navy', 'Olive', 'Grey', 'Rust'];
const SIZES = ['S', 'M', 'L', 'XL', 'XXL'];

export function demoProducts(count: number, random: () => number): CreateProductInput[] {
  return Array.from({ length: count }, (_, index) => {
    const garment = GARMENTS[index % GARMENTS.length];
    const colour = COLOURS[Math.floor(index / GARMENTS.length) % COLOURS.length];
    const size = SIZES[index % SIZES.length];
    const price = (9 + Math.floor(random() * 140) + (random() < 0.5 ? 0.99 : 0.5)).toFixed(2);
    return { sku: `DEMO-${String(index + 1).padStart(4, '0')}`, name: `${garment}, ${colour}, ${size}`, price };
  });
}

const CUSTOMERS = [
  { email: 'ada@example.com', name: 'Ada Lovelace', city: 'Brooklyn', postalCode: '11201', latitude: 40.6943, longitude: -73.9903 },
  { email: 'grace@example.com', name: 'Grace Hopper', city: 'Arlington', postalCode: '22201', latitude: 38.8816, longitude: -77.091 },
  { email: 'alan@example.com', name: 'Alan Turing', city: 'San Jose', postalCode: '95113', latitude: 37.3337, longitude: -121.8907 },
  { email: 'katherine@example.com', name: 'Katherine Johnson', city: 'Evanston', postalCode: '60201', latitude: 42.0451, longitude: -87.6877 },
];

function addressOf(customer: (typeof CUSTOMERS)[number], line1: string): CreateOrderInput['shippingAddress'] {
  return { line1, city: customer.city, postalCode: customer.postalCode, country: 'US', latitude: customer.latitude, longitude: customer.longitude };
}

export function demoOrders(count: number, skus: string[], random: () => number): CreateOrderInput[] {
  return Array.from({ length: count }, (_, index) => {
    const customer = CUSTOMERS[index % CUSTOMERS.length];
    const lines = 1 + Math.floor(random() * 3);
    const chosen = new Set(Array.from({ length: lines }, () => skus[Math.floor(random() * skus.length)]));
    return {
      externalId: `DEMO-ORDER-${String(index + 1).padStart(4, '0')}`,
      customer: { email: customer.email, name: customer.name },
      shippingAddress: addressOf(customer, `${100 + index} Demo Street`),
      items: [...chosen].map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 3) })),
    };
  });
}

/** A product nobody stocks yet: its orders wait, promised against a purchase order (pre-orders). */
export const DEMO_PREORDER_PRODUCT: CreateProductInput = { sku: 'DEMO-PREORDER-PARKA', name: 'Parka, limited edition', price: '249.00' };

export function demoPreorders(sku: string): CreateOrderInput[] {
  return CUSTOMERS.slice(0, 3).map((customer, index) => ({
    externalId: `DEMO-PREORDER-${index + 1}`,
    customer: { email: customer.email, name: customer.name },
    shippingAddress: addressOf(customer, `${200 + index} Demo Avenue`),
    items: [{ sku, quantity: 1 + index }],
  }));
}

/** The date (YYYY-MM-DD, UTC) `days` from today. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
