import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface DomainProps {
  domainName: string;
  hostedZoneId: string;
  hostedZoneName: string;
}

/**
 * Route 53: the existing hosted zone (imported by id and name, no lookup, so synth needs no AWS
 * account), the TLS certificate of the API's name (validated through that zone) and its alias record.
 */
export class Domain extends Construct {
  readonly certificate: acm.Certificate;
  private readonly zone: route53.IHostedZone;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DomainProps,
  ) {
    super(scope, id);
    this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.hostedZoneName });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(this.zone),
    });
  }

  pointTo(loadBalancer: elbv2.IApplicationLoadBalancer): route53.ARecord {
    return new route53.ARecord(this, 'Alias', {
      zone: this.zone,
      recordName: this.props.domainName,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
    });
  }
}
