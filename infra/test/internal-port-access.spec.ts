import { Template } from 'aws-cdk-lib/assertions';
import { APP_PORTS } from '../lib/container-environment';
import { synthesize } from './oms-stack.fixture';

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
