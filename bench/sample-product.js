// What both bare baselines answer: a body of the shape and size of GET /api/v1/products/:id.
module.exports = {
  id: '3f1c9a52-7d4e-4b8a-9c61-2e5f0d8b7a14',
  sku: 'DEMO-0042',
  name: 'Demo product 42',
  price: '24.99',
  currency: 'USD',
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
};
