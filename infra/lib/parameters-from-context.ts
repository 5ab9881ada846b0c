import type { Node } from 'constructs';
import { OmsParameters, ParameterError } from './parameters';

type Sizes = Omit<OmsParameters, 'domainName' | 'hostedZoneId' | 'hostedZoneName'>;

export const DEFAULT_SIZES: Sizes = {
  natGateways: 2,
  databaseInstanceClass: 't4g.medium',
  warehouseInstanceClass: 't4g.medium',
  databaseStorageGiB: 50,
  warehouseStorageGiB: 50,
  cacheNodeType: 'cache.t4g.small',
  syncApi: { cpu: 512, memoryMiB: 1024, minCount: 2, maxCount: 6 },
  asyncWorker: { cpu: 512, memoryMiB: 1024, minCount: 1, maxCount: 4 },
  albIdleTimeoutSeconds: 60,
  shutdownDrainSeconds: 15,
  readFromReplica: false,
  internalPortAccess: 'none',
};

const DOMAIN_KEYS = ['domainName', 'hostedZoneId', 'hostedZoneName'] as const;

/**
 * Parameters from CDK context, one key per leaf (`-c domainName=oms.example.com -c syncApi.maxCount=10`);
 * the domain keys are required, sizes default to DEFAULT_SIZES. `-c` gives strings: each value is read
 * as the type of its default.
 */
export function parametersFromContext(node: Node): OmsParameters {
  const domain = Object.fromEntries(DOMAIN_KEYS.map((key) => [key, requiredString(node, key)]));
  const sizes = overrideFromContext(node, DEFAULT_SIZES, '') as Sizes;
  return { ...sizes, ...domain } as OmsParameters;
}

function requiredString(node: Node, key: string): string {
  const value: unknown = node.tryGetContext(key);
  if (typeof value !== 'string' || value === '') throw new ParameterError(`context ${key} is required (cdk.json or -c ${key}=...)`);
  return value;
}

function overrideFromContext(node: Node, defaults: object, prefix: string): object {
  return Object.fromEntries(
    Object.entries(defaults).map(([key, fallback]: [string, unknown]) => {
      const path = `${prefix}${key}`;
      if (typeof fallback === 'object' && fallback !== null) return [key, overrideFromContext(node, fallback, `${path}.`)];
      const value: unknown = node.tryGetContext(path);
      return [key, value === undefined ? fallback : coerce(path, value, fallback)];
    }),
  );
}

function coerce(path: string, value: unknown, fallback: unknown): unknown {
  const text = String(value);
  switch (typeof fallback) {
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new ParameterError(`context ${path} must be a number, got ${JSON.stringify(value)}`);
      return number;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new ParameterError(`context ${path} must be true or false, got ${JSON.stringify(value)}`);
      return text === 'true';
    default:
      return text;
  }
}
