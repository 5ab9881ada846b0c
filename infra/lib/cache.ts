import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';

export interface CacheProps {
  vpc: ec2.IVpc;
  zone1: string;
  zone2: string;
  nodeType: string;
}

export const REDIS_PORT = 6379;

/**
 * ElastiCache for Redis, the response cache and BullMQ's store: a primary and a replica in two zones
 * with automatic failover, TLS in transit (REDIS_URL is rediss://), encrypted at rest, in the
 * isolated subnets behind a security group that admits no one until `connections` allow it.
 */
export class Cache extends Construct {
  readonly connections: ec2.Connections;
  /** rediss://<primary endpoint>:<port>: follows the primary across a failover. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: reached only by the app tasks',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(REDIS_PORT) });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'OMS Redis: isolated subnets',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    // BullMQ loses jobs if Redis evicts its keys; cache entries carry TTLs, so nothing needs eviction.
    const parameters = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: 'redis7',
      description: 'OMS Redis: noeviction for BullMQ',
      properties: { 'maxmemory-policy': 'noeviction' },
    });

    const group = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'OMS cache and queues',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: 2,
      preferredCacheClusterAZs: [props.zone1, props.zone2],
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      port: REDIS_PORT,
      cacheSubnetGroupName: subnetGroup.ref,
      cacheParameterGroupName: parameters.ref,
      securityGroupIds: [securityGroup.securityGroupId],
    });
    this.url = `rediss://${group.attrPrimaryEndPointAddress}:${group.attrPrimaryEndPointPort}`;
  }
}
