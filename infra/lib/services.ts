import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { APP_PORTS, HEALTHCHECK_SCRIPT } from './container-environment';
import type { ServiceSize } from './parameters';
import { CLOSE_TIMEOUT_SECONDS, stopTimeoutSeconds } from './shutdown-timing';

export interface ServicesProps {
  vpc: ec2.IVpc;
  /** One image for both apps (docker/Dockerfile); the command picks the app. */
  image: ecs.ContainerImage;
  environment: Record<string, string>;
  secrets: Record<string, ecs.Secret>;
  syncApi: ServiceSize;
  asyncWorker: ServiceSize;
  syncApiTargets: elbv2.ApplicationTargetGroup;
  shutdownDrainSeconds: number;
  /** Admit the VPC's CIDR to sync-api's internal port (a bastion, Prometheus); otherwise nothing reaches it. */
  internalPortFromVpc: boolean;
}

export const APP_COMMANDS = {
  syncApi: ['node', 'dist/apps/sync-api/src/main.js'],
  asyncWorker: ['node', 'dist/apps/async-worker/src/main.js'],
  migrate: ['node', 'dist/apps/sync-api/src/cli/migrate.js'],
};

const CPU_TARGET_PERCENT = 60;
/** ALBRequestCountPerTarget is per minute. */
const REQUESTS_PER_TARGET_PER_MINUTE = 6000;

/**
 * The architecture's sync and async servers as ECS Fargate services in the private subnets: sync-api behind
 * the load balancer, scaled on CPU and requests per target; async-worker scaled on CPU (queue depth
 * is only on the internal /metrics and /internal/queues, not in CloudWatch); and the migration task
 * definition, run once per release. Each service has its own security group.
 */
export class Services extends Construct {
  readonly cluster: ecs.Cluster;
  readonly syncApi: ecs.FargateService;
  readonly asyncWorker: ecs.FargateService;
  readonly migrate: ecs.FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const container = (
      task: ecs.FargateTaskDefinition,
      name: string,
      command: string[],
      extra: Partial<ecs.ContainerDefinitionOptions> = {},
    ): ecs.ContainerDefinition =>
      task.addContainer(name, {
        image: props.image,
        command,
        environment: props.environment,
        secrets: props.secrets,
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
        ...extra,
      });

    const syncApiTask = taskDefinition(this, 'SyncApiTask', props.syncApi);
    container(syncApiTask, 'sync-api', APP_COMMANDS.syncApi, {
      portMappings: [{ containerPort: APP_PORTS.public }, { containerPort: APP_PORTS.internal }],
      healthCheck: livenessCheck(APP_PORTS.public),
      stopTimeout: Duration.seconds(stopTimeoutSeconds(props.shutdownDrainSeconds, CLOSE_TIMEOUT_SECONDS.syncApi)),
    });
    this.syncApi = new ecs.FargateService(this, 'SyncApi', {
      ...serviceDefaults(this.cluster),
      taskDefinition: syncApiTask,
      securityGroups: [serviceSecurityGroup(this, 'SyncApiSecurityGroup', props.vpc, 'sync-api tasks')],
      healthCheckGracePeriod: Duration.seconds(60),
      // ECS Exec reaches the internal port on 127.0.0.1 when no security group admits it.
      enableExecuteCommand: true,
    });
    props.syncApiTargets.addTarget(this.syncApi.loadBalancerTarget({ containerName: 'sync-api', containerPort: APP_PORTS.public }));
    if (props.internalPortFromVpc) {
      this.syncApi.connections.allowFrom(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(APP_PORTS.internal), 'internal port from the VPC');
    }
    const syncApiScaling = this.syncApi.autoScaleTaskCount({ minCapacity: props.syncApi.minCount, maxCapacity: props.syncApi.maxCount });
    syncApiScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: CPU_TARGET_PERCENT });
    syncApiScaling.scaleOnRequestCount('Requests', { requestsPerTarget: REQUESTS_PER_TARGET_PER_MINUTE, targetGroup: props.syncApiTargets });

    const workerTask = taskDefinition(this, 'AsyncWorkerTask', props.asyncWorker);
    container(workerTask, 'async-worker', APP_COMMANDS.asyncWorker, {
      healthCheck: livenessCheck(APP_PORTS.workerHealth),
      stopTimeout: Duration.seconds(stopTimeoutSeconds(props.shutdownDrainSeconds, CLOSE_TIMEOUT_SECONDS.asyncWorker)),
    });
    this.asyncWorker = new ecs.FargateService(this, 'AsyncWorker', {
      ...serviceDefaults(this.cluster),
      taskDefinition: workerTask,
      securityGroups: [serviceSecurityGroup(this, 'AsyncWorkerSecurityGroup', props.vpc, 'async-worker tasks (and the migration task)')],
    });
    const workerScaling = this.asyncWorker.autoScaleTaskCount({ minCapacity: props.asyncWorker.minCount, maxCapacity: props.asyncWorker.maxCount });
    workerScaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: CPU_TARGET_PERCENT });

    this.migrate = taskDefinition(this, 'MigrateTask', { cpu: 256, memoryMiB: 512 });
    container(this.migrate, 'migrate', APP_COMMANDS.migrate);
  }
}

function taskDefinition(scope: Construct, id: string, size: Pick<ServiceSize, 'cpu' | 'memoryMiB'>): ecs.FargateTaskDefinition {
  return new ecs.FargateTaskDefinition(scope, id, {
    cpu: size.cpu,
    memoryLimitMiB: size.memoryMiB,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
}

function serviceDefaults(cluster: ecs.ICluster): Pick<ecs.FargateServiceProps, 'cluster' | 'vpcSubnets' | 'circuitBreaker' | 'minHealthyPercent'> {
  return {
    cluster,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    circuitBreaker: { rollback: true },
    minHealthyPercent: 100,
  };
}

function serviceSecurityGroup(scope: Construct, id: string, vpc: ec2.IVpc, description: string): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, id, { vpc, description });
}

/** Liveness, not readiness: a database outage must not make ECS replace every task (readiness is the load balancer's). */
function livenessCheck(port: number): ecs.HealthCheck {
  return {
    command: ['CMD', 'node', HEALTHCHECK_SCRIPT, `http://127.0.0.1:${port}/health/live`],
    interval: Duration.seconds(10),
    timeout: Duration.seconds(5),
    retries: 3,
    startPeriod: Duration.seconds(30),
  };
}
