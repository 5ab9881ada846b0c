import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

export interface DatabasesProps {
  vpc: ec2.IVpc;
  zone1: string;
  zone2: string;
  databaseSecret: rds.DatabaseSecret;
  warehouseSecret: rds.DatabaseSecret;
  databaseInstanceClass: string;
  warehouseInstanceClass: string;
  databaseStorageGiB: number;
  warehouseStorageGiB: number;
}

export const POSTGRES_PORT = 5432;
export const OMS_DATABASE = 'oms';
export const WAREHOUSE_DATABASE = 'warehouse';

const ENGINE = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 });

/**
 * The architecture's RDS primary in zone 1, its read replica in zone 2 (the hot standby and the warehouse
 * ETL's source), and the warehouse on an instance of its own. All in isolated subnets, storage encrypted,
 * not publicly accessible, behind one security group that admits no one until `connections` allow it.
 */
export class Databases extends Construct {
  readonly primary: rds.DatabaseInstance;
  readonly replica: rds.DatabaseInstanceReadReplica;
  readonly warehouse: rds.DatabaseInstance;
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: DatabasesProps) {
    super(scope, id);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'PostgreSQL: reached only by the app tasks',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });
    const placement = {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
    };

    this.primary = new rds.DatabaseInstance(this, 'Primary', {
      ...placement,
      engine: ENGINE,
      storageEncrypted: true,
      instanceType: new ec2.InstanceType(props.databaseInstanceClass),
      availabilityZone: props.zone1,
      multiAz: false,
      databaseName: OMS_DATABASE,
      credentials: rds.Credentials.fromSecret(props.databaseSecret),
      allocatedStorage: props.databaseStorageGiB,
      maxAllocatedStorage: props.databaseStorageGiB * 4,
      // A read replica needs automated backups on its source.
      backupRetention: Duration.days(7),
      cloudwatchLogsExports: ['postgresql'],
    });

    this.replica = new rds.DatabaseInstanceReadReplica(this, 'Replica', {
      ...placement,
      // Encrypted because its source is (RDS refuses StorageEncrypted on a replica).
      sourceDatabaseInstance: this.primary,
      instanceType: new ec2.InstanceType(props.databaseInstanceClass),
      availabilityZone: props.zone2,
    });

    this.warehouse = new rds.DatabaseInstance(this, 'Warehouse', {
      ...placement,
      engine: ENGINE,
      storageEncrypted: true,
      instanceType: new ec2.InstanceType(props.warehouseInstanceClass),
      databaseName: WAREHOUSE_DATABASE,
      credentials: rds.Credentials.fromSecret(props.warehouseSecret),
      allocatedStorage: props.warehouseStorageGiB,
      maxAllocatedStorage: props.warehouseStorageGiB * 4,
      backupRetention: Duration.days(7),
    });
  }
}
