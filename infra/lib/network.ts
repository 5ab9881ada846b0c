import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface NetworkProps {
  natGateways: number;
}

/**
 * The VPC over two availability zones: public subnets for the load balancer and NAT, private
 * subnets (egress through NAT) for the app tasks, isolated subnets (no route out) for RDS and
 * ElastiCache. Zone 1 holds the primary database, zone 2 its replica.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
  }

  get zone1(): string {
    return this.vpc.availabilityZones[0];
  }

  get zone2(): string {
    return this.vpc.availabilityZones[1];
  }
}
