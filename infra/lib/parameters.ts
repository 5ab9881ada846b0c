import { idleTimeoutProblem } from './keep-alive-timing';
import { drainProblem } from './shutdown-timing';

/** What differs between deployments: names and sizes. Everything else is decided in the constructs. */
export interface ServiceSize {
  /** Fargate task CPU units (256 = 0.25 vCPU). */
  cpu: number;
  memoryMiB: number;
  /** Auto scaling bounds; the running count is left to auto scaling (a count in the template would reset it on every deploy). */
  minCount: number;
  maxCount: number;
}

export interface OmsParameters {
  /** The public name of the API, e.g. oms.example.com: an alias A record in the hosted zone below. */
  domainName: string;
  hostedZoneId: string;
  hostedZoneName: string;
  /** NAT gateways for the private subnets' egress: 2 keeps egress up when one zone fails. */
  natGateways: number;
  /** RDS instance classes without the `db.` prefix, e.g. t4g.medium. */
  databaseInstanceClass: string;
  warehouseInstanceClass: string;
  databaseStorageGiB: number;
  warehouseStorageGiB: number;
  /** ElastiCache node type, e.g. cache.t4g.small. */
  cacheNodeType: string;
  syncApi: ServiceSize;
  asyncWorker: ServiceSize;
  /** The ALB's idle timeout (AWS's default: 60 s), below the apps' keep-alive timeout. */
  albIdleTimeoutSeconds: number;
  /** SHUTDOWN_DRAIN_MS of the apps and the target group's deregistration delay: one value for both. */
  shutdownDrainSeconds: number;
  /** READ_FROM_REPLICA: list and search reads go to the read replica. */
  readFromReplica: boolean;
  /**
   * Who reaches sync-api's internal port (metrics, /internal/*): `none` binds it to 127.0.0.1 in the
   * task (reached with ECS Exec only); `vpc` binds 0.0.0.0 and admits the VPC's CIDR (a bastion, a
   * Prometheus in the VPC). Never anything outside the VPC.
   */
  internalPortAccess: 'none' | 'vpc';
}

export class ParameterError extends Error {}

/** Refuses sizes and timings that synthesize but cannot work; one message naming the parameter. */
export function validateParameters(parameters: OmsParameters): OmsParameters {
  const drain = drainProblem(parameters.shutdownDrainSeconds);
  if (drain) throw new ParameterError(`shutdownDrainSeconds ${drain}, got ${parameters.shutdownDrainSeconds}`);
  const idleTimeout = idleTimeoutProblem(parameters.albIdleTimeoutSeconds);
  if (idleTimeout) throw new ParameterError(`albIdleTimeoutSeconds ${idleTimeout}, got ${parameters.albIdleTimeoutSeconds}`);
  for (const [name, size] of [
    ['syncApi', parameters.syncApi],
    ['asyncWorker', parameters.asyncWorker],
  ] as const) {
    if (size.minCount < 1 || size.maxCount < size.minCount) {
      throw new ParameterError(`${name}: need 1 <= minCount <= maxCount, got ${size.minCount}..${size.maxCount}`);
    }
  }
  if (!['none', 'vpc'].includes(parameters.internalPortAccess)) {
    throw new ParameterError(`internalPortAccess must be none or vpc, got ${JSON.stringify(parameters.internalPortAccess)}`);
  }
  return parameters;
}
