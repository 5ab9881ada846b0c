import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { READINESS_CHECK } from './shutdown-timing';

export interface LoadBalancerProps {
  vpc: ec2.IVpc;
  certificate: acm.ICertificate;
  /** sync-api's public PORT in the task. */
  targetPort: number;
  /** The apps' SHUTDOWN_DRAIN_MS in seconds: a deregistered task keeps its requests this long. */
  drainSeconds: number;
  /** How long the ALB keeps an idle connection (to a client or a task) open: below the apps' keep-alive timeout. */
  idleTimeoutSeconds: number;
}

/**
 * The architecture's Elastic Load Balancer: an internet-facing ALB in the public subnets, HTTPS on 443 (80
 * redirects), forwarding to sync-api's target group, which admits a task while `/health/ready` is
 * 200 (the primary answers, not draining) and gives a deregistered task the apps' drain time.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly syncApiTargets: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      idleTimeout: Duration.seconds(props.idleTimeoutSeconds),
    });
    this.syncApiTargets = new elbv2.ApplicationTargetGroup(this, 'SyncApiTargets', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.targetPort,
      deregistrationDelay: Duration.seconds(props.drainSeconds),
      healthCheck: {
        path: READINESS_CHECK.path,
        healthyHttpCodes: '200',
        interval: Duration.seconds(READINESS_CHECK.intervalSeconds),
        timeout: Duration.seconds(READINESS_CHECK.timeoutSeconds),
        healthyThresholdCount: READINESS_CHECK.healthyThreshold,
        unhealthyThresholdCount: READINESS_CHECK.unhealthyThreshold,
      },
    });
    this.alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [this.syncApiTargets],
    });
    this.alb.addRedirect({ sourcePort: 80, targetPort: 443 });
  }
}
