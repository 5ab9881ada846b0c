import { isInternalRoute, isServedOnInternalPort } from './internal-paths';

describe('route placement by port', () => {
  it.each(['/internal/api-keys', '/internal/warehouse/etl-runs/:id', '/metrics', '/internal'])('%s is internal', (route) => {
    expect(isInternalRoute(route)).toBe(true);
    expect(isServedOnInternalPort(route)).toBe(true);
  });

  it.each(['/api/v1/products', '/metricsx', '/internalx', '/reports'])('%s is public only', (route) => {
    expect(isInternalRoute(route)).toBe(false);
    expect(isServedOnInternalPort(route)).toBe(false);
  });

  it('serves health on both ports', () => {
    expect(isInternalRoute('/health/ready')).toBe(false);
    expect(isServedOnInternalPort('/health/ready')).toBe(true);
  });
});
