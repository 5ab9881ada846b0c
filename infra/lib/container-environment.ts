import * as ecs from 'aws-cdk-lib/aws-ecs';
import { OMS_DATABASE, POSTGRES_PORT, WAREHOUSE_DATABASE } from './databases';
import type { Secrets } from './secrets';

/** The apps' ports (libs/platform config: PORT, INTERNAL_PORT, WORKER_HEALTH_PORT), set explicitly in the tasks. */
export const APP_PORTS = { public: 3000, internal: 3001, workerHealth: 3002 };

/**
 * The contract with the image's entrypoint (docker/entrypoint.sh, docker/README.md): ECS injects the
 * database credentials as these variables, and the entrypoint writes them, percent-encoded, into the
 * user and password of DATABASE_URL, of every URL in DATABASE_REPLICA_URLS (the replica has the
 * primary's users) and of WAREHOUSE_URL, then runs the command. The apps read URLs only
 * (config.schema.ts); the template holds the URLs without credentials and the secrets' ARNs, never a password.
 */
export const CREDENTIAL_VARIABLES = ['DATABASE_USER', 'DATABASE_PASSWORD', 'WAREHOUSE_USER', 'WAREHOUSE_PASSWORD'] as const;

/** RDS requires TLS (rds.force_ssl); the apps verify the server's certificate and name against AWS's RDS CA bundle, which the image carries here. */
export const RDS_CA_BUNDLE_PATH = '/app/certs/rds-global-bundle.pem';

/** The image's health check script (docker/healthcheck.js): exit 0 when the URL answers 200. */
export const HEALTHCHECK_SCRIPT = '/app/docker/healthcheck.js';

export interface EnvironmentInputs {
  primaryHost: string;
  replicaHost: string;
  warehouseHost: string;
  redisUrl: string;
  shutdownDrainSeconds: number;
  readFromReplica: boolean;
  /** 0.0.0.0 admits the VPC (security group permitting); 127.0.0.1 keeps the internal port inside the task. */
  internalHost: '0.0.0.0' | '127.0.0.1';
}

/** Plain environment of every app task: the config schema's variables that the created resources or production decide; the rest keep the schema's defaults. */
export function appEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(APP_PORTS.public),
    INTERNAL_HOST: inputs.internalHost,
    INTERNAL_PORT: String(APP_PORTS.internal),
    WORKER_HEALTH_PORT: String(APP_PORTS.workerHealth),
    DATABASE_URL: postgresUrl(inputs.primaryHost, OMS_DATABASE),
    DATABASE_REPLICA_URLS: postgresUrl(inputs.replicaHost, OMS_DATABASE),
    WAREHOUSE_URL: postgresUrl(inputs.warehouseHost, WAREHOUSE_DATABASE),
    READ_FROM_REPLICA: String(inputs.readFromReplica),
    REDIS_URL: inputs.redisUrl,
    QUEUE_PREFIX: 'oms',
    SHUTDOWN_DRAIN_MS: String(inputs.shutdownDrainSeconds * 1000),
  };
}

/** Secrets Manager values that ECS injects at task start: ADMIN_TOKEN for the apps, the database users and passwords for the entrypoint. */
export function appSecrets(secrets: Secrets): Record<string, ecs.Secret> {
  const credentials: Record<(typeof CREDENTIAL_VARIABLES)[number], ecs.Secret> = {
    DATABASE_USER: ecs.Secret.fromSecretsManager(secrets.database, 'username'),
    DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(secrets.database, 'password'),
    WAREHOUSE_USER: ecs.Secret.fromSecretsManager(secrets.warehouse, 'username'),
    WAREHOUSE_PASSWORD: ecs.Secret.fromSecretsManager(secrets.warehouse, 'password'),
  };
  return { ADMIN_TOKEN: ecs.Secret.fromSecretsManager(secrets.adminToken), ...credentials };
}

function postgresUrl(host: string, database: string): string {
  return `postgres://${host}:${POSTGRES_PORT}/${database}?sslmode=verify-full&sslrootcert=${RDS_CA_BUNDLE_PATH}`;
}
