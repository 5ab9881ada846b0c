import { KEEP_ALIVE_TIMEOUT_MS } from '@app/platform';
import { App, cx_api as cxapi } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_PORTS, CREDENTIAL_VARIABLES } from '../lib/container-environment';
import { APP_KEEP_ALIVE_SECONDS } from '../lib/keep-alive-timing';
import { defineOmsStack } from '../lib/oms-app';
import { READINESS_CHECK } from '../lib/shutdown-timing';
import { synthesize, TEST_PARAMETERS } from './oms-stack.fixture';

// The synthesized stacks' tests are one file: Jest loads aws-cdk-lib anew for each file, which costs
// more CPU than the synths themselves.

type Resource = { Properties: Record<string, unknown> };
type Container = {
  Name: string;
  Image: unknown;
  Command: string[];
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
  StopTimeout?: number;
};
type IngressRule = { GroupId?: unknown; SourceSecurityGroupId?: unknown; CidrIp?: string; CidrIpv6?: string; FromPort: number; ToPort: number };

const template = synthesize();

const resources = (type: string, props?: object): [string, Resource][] => Object.entries(template.findResources(type, props)) as [string, Resource][];
const onlyId = (type: string, props?: object): string => {
  const found = resources(type, props);
  expect(found).toHaveLength(1);
  return found[0][0];
};
const groupId = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'GroupId'] });
const zone = (index: number) => ({ 'Fn::Select': [index, { 'Fn::GetAZs': '' }] });

const containers = (): Container[] =>
  resources('AWS::ECS::TaskDefinition').flatMap(([, task]) => task.Properties.ContainerDefinitions as Container[]);
const container = (name: string): Container => {
  const found = containers().find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
};
const environment = (name: string): Record<string, unknown> => Object.fromEntries(container(name).Environment.map((e) => [e.Name, e.Value]));

/** Every ingress rule, inline in a security group or on its own, with the group it opens. */
const ingressRules = (): IngressRule[] => [
  ...resources('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties as unknown as IngressRule),
  ...resources('AWS::EC2::SecurityGroup').flatMap(([id, sg]) =>
    ((sg.Properties.SecurityGroupIngress ?? []) as IngressRule[]).map((rule) => ({ ...rule, GroupId: groupId(id) })),
  ),
];
const rulesInto = (securityGroupId: string) =>
  ingressRules().filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(groupId(securityGroupId)));
const securityGroup = (description: string) => onlyId('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: description } });
const albSecurityGroup = () =>
  onlyId('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Security Group for ELB') } });
const SYNC_API_SG = 'sync-api tasks';
const WORKER_SG = 'async-worker tasks (and the migration task)';

describe('network', () => {
  it('has a VPC over 2 availability zones with 2 public, 2 private (egress through NAT) and 2 isolated subnets', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    for (const type of ['Public', 'Private', 'Isolated']) {
      const subnets = resources('AWS::EC2::Subnet', { Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: type }]) } });
      expect(subnets.map(([, s]) => s.Properties.AvailabilityZone)).toEqual([zone(0), zone(1)]);
    }
    expect(resources('AWS::EC2::Route', { Properties: { NatGatewayId: Match.anyValue() } })).toHaveLength(2);
    expect(resources('AWS::EC2::Route', { Properties: { GatewayId: Match.anyValue() } })).toHaveLength(2);
    // 2 public routes to the internet gateway + 2 private routes to NAT: the isolated subnets have no route out.
    template.resourceCountIs('AWS::EC2::Route', 4);
  });
});

describe('Route 53 and the load balancer', () => {
  it('points an alias A record of the domain, in the imported hosted zone, at the internet-facing ALB', () => {
    const alb = onlyId('AWS::ElasticLoadBalancingV2::LoadBalancer', { Properties: { Scheme: 'internet-facing' } });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      Name: `${TEST_PARAMETERS.domainName}.`,
      HostedZoneId: TEST_PARAMETERS.hostedZoneId,
      AliasTarget: { DNSName: Match.objectLike({ 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [alb, 'DNSName'] }]] }) },
    });
  });

  it('serves HTTPS with a DNS-validated certificate of the domain and redirects HTTP', () => {
    const certificate = onlyId('AWS::CertificateManager::Certificate', {
      Properties: { DomainName: TEST_PARAMETERS.domainName, ValidationMethod: 'DNS' },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: certificate } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
  });

  it("closes idle connections after 60 s, before sync-api's keep-alive timeout closes them", () => {
    expect(TEST_PARAMETERS.albIdleTimeoutSeconds).toBe(60);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
    expect(APP_KEEP_ALIVE_SECONDS * 1000).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(TEST_PARAMETERS.albIdleTimeoutSeconds * 1000);
  });

  it("checks sync-api's /health/ready with stated thresholds and drains deregistered tasks for SHUTDOWN_DRAIN_MS", () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: APP_PORTS.public,
      HealthCheckPath: '/health/ready',
      Matcher: { HttpCode: '200' },
      HealthCheckIntervalSeconds: READINESS_CHECK.intervalSeconds,
      HealthCheckTimeoutSeconds: READINESS_CHECK.timeoutSeconds,
      HealthyThresholdCount: READINESS_CHECK.healthyThreshold,
      UnhealthyThresholdCount: READINESS_CHECK.unhealthyThreshold,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: String(TEST_PARAMETERS.shutdownDrainSeconds) }]),
    });
    for (const name of ['sync-api', 'async-worker']) {
      expect(environment(name).SHUTDOWN_DRAIN_MS).toBe(String(TEST_PARAMETERS.shutdownDrainSeconds * 1000));
    }
  });
});

describe('ECS Fargate services', () => {
  it('runs one image for every app, the command choosing the app', () => {
    expect(containers().map((c) => [c.Name, c.Image, c.Command.join(' ')])).toEqual(
      expect.arrayContaining([
        ['sync-api', 'oms:test', 'node dist/apps/sync-api/src/main.js'],
        ['async-worker', 'oms:test', 'node dist/apps/async-worker/src/main.js'],
        ['migrate', 'oms:test', 'node dist/apps/sync-api/src/cli/migrate.js'],
      ]),
    );
    template.resourceCountIs('AWS::ECS::Service', 2);
  });

  it('puts the tasks in the private subnets without public addresses, sync-api registered in the target group', () => {
    const targetGroup = onlyId('AWS::ElasticLoadBalancingV2::TargetGroup');
    const privateSubnets = resources('AWS::EC2::Subnet', {
      Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) },
    });
    for (const [, service] of resources('AWS::ECS::Service')) {
      const network = (service.Properties.NetworkConfiguration as { AwsvpcConfiguration: { AssignPublicIp: string; Subnets: unknown[] } })
        .AwsvpcConfiguration;
      expect(network.AssignPublicIp).toBe('DISABLED');
      expect(network.Subnets).toEqual(privateSubnets.map(([id]) => ({ Ref: id })));
    }
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'sync-api', ContainerPort: APP_PORTS.public, TargetGroupArn: { Ref: targetGroup } }],
    });
  });

  it('scales sync-api on CPU and on requests per target, async-worker on CPU, within the size parameters', () => {
    const bounds = (size: { minCount: number; maxCount: number }) => ({ MinCapacity: size.minCount, MaxCapacity: size.maxCount });
    const syncApiScaling = onlyId('AWS::ApplicationAutoScaling::ScalableTarget', { Properties: bounds(TEST_PARAMETERS.syncApi) });
    const workerScaling = onlyId('AWS::ApplicationAutoScaling::ScalableTarget', { Properties: bounds(TEST_PARAMETERS.asyncWorker) });
    const metricsOf = (target: string) =>
      resources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { ScalingTargetId: { Ref: target } } }).map(
        ([, policy]) =>
          (policy.Properties.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification: { PredefinedMetricType: string } })
            .PredefinedMetricSpecification.PredefinedMetricType,
      );
    expect(metricsOf(syncApiScaling).sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
    expect(metricsOf(workerScaling)).toEqual(['ECSServiceAverageCPUUtilization']);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: String(TEST_PARAMETERS.syncApi.cpu),
      Memory: String(TEST_PARAMETERS.syncApi.memoryMiB),
    });
  });

  it('gives each app time between SIGTERM and SIGKILL for the drain and its own close deadline', () => {
    expect(container('sync-api').StopTimeout).toBeGreaterThanOrEqual(TEST_PARAMETERS.shutdownDrainSeconds + 10);
    expect(container('async-worker').StopTimeout).toBeGreaterThanOrEqual(TEST_PARAMETERS.shutdownDrainSeconds + 30);
  });
});

describe('ElastiCache for Redis', () => {
  it('is a replication group of 2 nodes in the 2 zones with automatic failover, in the isolated subnets', () => {
    const isolated = resources('AWS::EC2::Subnet', { Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]) } });
    const subnetGroup = onlyId('AWS::ElastiCache::SubnetGroup', { Properties: { SubnetIds: isolated.map(([id]) => ({ Ref: id })) } });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      NumCacheClusters: 2,
      PreferredCacheClusterAZs: [zone(0), zone(1)],
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      CacheSubnetGroupName: { Ref: subnetGroup },
    });
  });

  it('never evicts keys (BullMQ) and is reached over TLS', () => {
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'noeviction' } });
    expect(JSON.stringify(environment('sync-api').REDIS_URL)).toMatch(/^\{"Fn::Join":\["",\["rediss:\/\/"/);
  });
});

describe('RDS PostgreSQL', () => {
  const primary = () => onlyId('AWS::RDS::DBInstance', { Properties: { DBName: 'oms' } });

  it('has a primary in zone 1 and a read replica of it in zone 2', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBName: 'oms', AvailabilityZone: zone(0), MultiAZ: false, BackupRetentionPeriod: 7 });
    const replica = resources('AWS::RDS::DBInstance', { Properties: { SourceDBInstanceIdentifier: Match.anyValue() } });
    expect(replica).toHaveLength(1);
    expect(replica[0][1].Properties.AvailabilityZone).toEqual(zone(1));
    expect(JSON.stringify(replica[0][1].Properties.SourceDBInstanceIdentifier)).toContain(`{"Ref":"${primary()}"}`);
  });

  it('has the warehouse on an instance of its own with its own credentials', () => {
    const warehouse = resources('AWS::RDS::DBInstance', { Properties: { DBName: 'warehouse' } });
    expect(warehouse).toHaveLength(1);
    const secretOf = (props: Record<string, unknown>) => JSON.stringify(props.MasterUserPassword);
    expect(secretOf(warehouse[0][1].Properties)).not.toEqual(secretOf(template.toJSON().Resources[primary()].Properties));
  });

  it('keeps every instance in the isolated subnets, not publicly accessible, with encrypted storage', () => {
    const isolated = resources('AWS::EC2::Subnet', { Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]) } });
    const subnetGroups = Object.fromEntries(resources('AWS::RDS::DBSubnetGroup').map(([id, group]) => [id, group.Properties.SubnetIds]));
    const instances = resources('AWS::RDS::DBInstance');
    expect(instances).toHaveLength(3);
    for (const [, instance] of instances) {
      expect(instance.Properties.PubliclyAccessible).toBe(false);
      expect(subnetGroups[(instance.Properties.DBSubnetGroupName as { Ref: string }).Ref]).toEqual(isolated.map(([id]) => ({ Ref: id })));
      // A replica's storage is encrypted because its source's is; RDS refuses the property on a replica.
      if (!instance.Properties.SourceDBInstanceIdentifier) expect(instance.Properties.StorageEncrypted).toBe(true);
    }
  });
});

describe('security groups', () => {
  it('lets only the ALB reach sync-api, on the public port', () => {
    expect(rulesInto(securityGroup(SYNC_API_SG))).toEqual([
      expect.objectContaining({ SourceSecurityGroupId: groupId(albSecurityGroup()), FromPort: APP_PORTS.public, ToPort: APP_PORTS.public }),
    ]);
  });

  it('opens the internal port to nothing, and INTERNAL_HOST keeps it inside the task', () => {
    const coversInternalPort = (rule: IngressRule) => rule.FromPort <= APP_PORTS.internal && APP_PORTS.internal <= rule.ToPort;
    expect(ingressRules().filter(coversInternalPort)).toEqual([]);
    expect(environment('sync-api').INTERNAL_HOST).toBe('127.0.0.1');
  });

  it('admits the internet (0.0.0.0/0, ::/0) on the ALB only, on 80 and 443', () => {
    const open = ingressRules().filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0');
    expect(open.map((rule) => [rule.GroupId, rule.FromPort]).sort()).toEqual([
      [groupId(albSecurityGroup()), 443],
      [groupId(albSecurityGroup()), 80],
    ]);
  });

  it('lets only the app tasks reach PostgreSQL and Redis; nothing reaches the worker', () => {
    const appGroups = [groupId(securityGroup(SYNC_API_SG)), groupId(securityGroup(WORKER_SG))];
    for (const [description, port] of [
      ['PostgreSQL: reached only by the app tasks', 5432],
      ['Redis: reached only by the app tasks', 6379],
    ] as const) {
      const rules = rulesInto(securityGroup(description));
      expect(rules.map((rule) => rule.SourceSecurityGroupId)).toEqual(expect.arrayContaining(appGroups));
      expect(rules).toHaveLength(2);
      for (const rule of rules) expect([rule.FromPort, rule.ToPort, rule.CidrIp]).toEqual([port, port, undefined]);
    }
    expect(rulesInto(securityGroup(WORKER_SG))).toEqual([]);
  });
});

describe('secrets', () => {
  it('generates the admin token and both databases’ credentials in Secrets Manager', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    for (const [, secret] of resources('AWS::SecretsManager::Secret')) expect(secret.Properties.GenerateSecretString).toBeDefined();
    template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 2);
  });

  it('injects them as ECS secrets, never as plain environment', () => {
    const [adminToken] = resources('AWS::SecretsManager::Secret', { Properties: { Description: Match.stringLikeRegexp('ADMIN_TOKEN') } })[0];
    for (const name of ['sync-api', 'async-worker', 'migrate']) {
      const secrets = Object.fromEntries(container(name).Secrets.map((s) => [s.Name, s.ValueFrom]));
      expect(secrets.ADMIN_TOKEN).toEqual({ Ref: adminToken });
      for (const variable of CREDENTIAL_VARIABLES) {
        expect(JSON.stringify(secrets[variable])).toMatch(/:(username|password)::"\]\]\}$/);
      }
      const plain = Object.keys(environment(name));
      expect(plain.filter((variable) => /TOKEN|PASSWORD|USER/.test(variable))).toEqual([]);
      expect(JSON.stringify(environment(name))).not.toMatch(/resolve:secretsmanager/);
    }
  });
});

describe('internalPortAccess: vpc', () => {
  const template: Template = synthesize({ internalPortAccess: 'vpc' });

  it("admits the VPC's CIDR, and nothing else, to sync-api's internal port, bound to 0.0.0.0", () => {
    const vpc = Object.keys(template.findResources('AWS::EC2::VPC'))[0];
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
      (group) => (group.Properties.SecurityGroupIngress ?? []) as { CidrIp?: unknown; FromPort: number; ToPort: number }[],
    );
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: APP_PORTS.internal } }))).toEqual([]);
    expect(rules.filter((rule) => rule.FromPort === APP_PORTS.internal).map((rule) => [rule.CidrIp, rule.ToPort])).toEqual([
      [{ 'Fn::GetAtt': [vpc, 'CidrBlock'] }, APP_PORTS.internal],
    ]);
    const syncApi = Object.values(template.findResources('AWS::ECS::TaskDefinition'))
      .flatMap((task) => task.Properties.ContainerDefinitions as { Name: string; Environment: { Name: string; Value: string }[] }[])
      .find((container) => container.Name === 'sync-api');
    expect(syncApi?.Environment).toContainEqual({ Name: 'INTERNAL_HOST', Value: '0.0.0.0' });
  });
});

const REPO_ROOT = join(__dirname, '..', '..');

describe('the CDK app as cdk.json configures it (what `cdk synth` runs)', () => {
  it('synthesizes a cloud assembly whose image is built from docker/Dockerfile with the repository as context', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'oms-cdk-'));
    try {
      const { context } = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, string> };
      // Asset staging off: the build context is not copied, the Dockerfile is still required to exist.
      const app = new App({ outdir, context: { ...context, 'aws:cdk:disable-asset-staging': true } });
      defineOmsStack(app, REPO_ROOT);
      const assembly = app.synth();
      const stack = assembly.getStackByName('Oms');
      expect(Object.keys(stack.template.Resources as object).length).toBeGreaterThan(50);
      const manifest = assembly.artifacts.find((artifact) => artifact instanceof cxapi.AssetManifestArtifact);
      const images = Object.values(manifest?.contents.dockerImages ?? {}).map((image) => image.source);
      expect(images).toEqual([expect.objectContaining({ directory: REPO_ROOT, dockerFile: 'docker/Dockerfile', platform: 'linux/amd64' })]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
