import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { Cache } from './cache';
import { APP_PORTS, appEnvironment, appSecrets } from './container-environment';
import { Databases } from './databases';
import { Domain } from './domain';
import { LoadBalancer } from './load-balancer';
import { Network } from './network';
import { OmsParameters, validateParameters } from './parameters';
import { Secrets } from './secrets';
import { Services } from './services';

export interface OmsStackProps extends StackProps {
  parameters: OmsParameters;
  /** The app image: built from docker/Dockerfile by bin/oms.ts, any image in tests. */
  image: ecs.ContainerImage;
}

/** The architecture of docs/architecture.md: Route 53 -> ALB -> sync-api; async-worker; ElastiCache; RDS primary + replica; warehouse; one VPC. */
export class OmsStack extends Stack {
  constructor(scope: Construct, id: string, props: OmsStackProps) {
    super(scope, id, props);
    const parameters = validateParameters(props.parameters);

    const network = new Network(this, 'Network', { natGateways: parameters.natGateways });
    const { vpc } = network;
    const secrets = new Secrets(this, 'Secrets');
    const databases = new Databases(this, 'Databases', {
      vpc,
      zone1: network.zone1,
      zone2: network.zone2,
      databaseSecret: secrets.database,
      warehouseSecret: secrets.warehouse,
      databaseInstanceClass: parameters.databaseInstanceClass,
      warehouseInstanceClass: parameters.warehouseInstanceClass,
      databaseStorageGiB: parameters.databaseStorageGiB,
      warehouseStorageGiB: parameters.warehouseStorageGiB,
    });
    const cache = new Cache(this, 'Cache', { vpc, zone1: network.zone1, zone2: network.zone2, nodeType: parameters.cacheNodeType });
    const domain = new Domain(this, 'Domain', {
      domainName: parameters.domainName,
      hostedZoneId: parameters.hostedZoneId,
      hostedZoneName: parameters.hostedZoneName,
    });
    const loadBalancer = new LoadBalancer(this, 'LoadBalancer', {
      vpc,
      certificate: domain.certificate,
      targetPort: APP_PORTS.public,
      drainSeconds: parameters.shutdownDrainSeconds,
      idleTimeoutSeconds: parameters.albIdleTimeoutSeconds,
    });
    domain.pointTo(loadBalancer.alb);

    const services = new Services(this, 'Services', {
      vpc,
      image: props.image,
      environment: appEnvironment({
        primaryHost: databases.primary.dbInstanceEndpointAddress,
        replicaHost: databases.replica.dbInstanceEndpointAddress,
        warehouseHost: databases.warehouse.dbInstanceEndpointAddress,
        redisUrl: cache.url,
        shutdownDrainSeconds: parameters.shutdownDrainSeconds,
        readFromReplica: parameters.readFromReplica,
        internalHost: parameters.internalPortAccess === 'vpc' ? '0.0.0.0' : '127.0.0.1',
      }),
      secrets: appSecrets(secrets),
      syncApi: parameters.syncApi,
      asyncWorker: parameters.asyncWorker,
      syncApiTargets: loadBalancer.syncApiTargets,
      shutdownDrainSeconds: parameters.shutdownDrainSeconds,
      internalPortFromVpc: parameters.internalPortAccess === 'vpc',
    });
    for (const service of [services.syncApi, services.asyncWorker]) {
      databases.connections.allowDefaultPortFrom(service, `PostgreSQL from ${service.node.id}`);
      cache.connections.allowDefaultPortFrom(service, `Redis from ${service.node.id}`);
    }

    new CfnOutput(this, 'Url', { value: `https://${parameters.domainName}` });
    new CfnOutput(this, 'AdminTokenSecret', { value: secrets.adminToken.secretArn, description: 'ADMIN_TOKEN of the internal endpoints' });
    new CfnOutput(this, 'RunMigrations', {
      description: 'Migrates both databases (run after each deploy that changes the schema)',
      value: [
        'aws ecs run-task --launch-type FARGATE',
        `--cluster ${services.cluster.clusterName}`,
        `--task-definition ${services.migrate.taskDefinitionArn}`,
        '--network-configuration',
        `awsvpcConfiguration={subnets=[${vpc.privateSubnets.map((s) => s.subnetId).join(',')}],securityGroups=[${services.asyncWorker.connections.securityGroups[0].securityGroupId}]}`,
      ].join(' '),
    });
  }
}
