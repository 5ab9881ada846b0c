import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Generated in Secrets Manager, never in the template: the two databases' master credentials and the admin token. */
export class Secrets extends Construct {
  /** JSON {username, password, host, port, dbname, ...} once attached to the primary (the replica shares it). */
  readonly database: rds.DatabaseSecret;
  readonly warehouse: rds.DatabaseSecret;
  /** ADMIN_TOKEN of the internal endpoints: a plain string. */
  readonly adminToken: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.database = new rds.DatabaseSecret(this, 'Database', { username: 'oms' });
    this.warehouse = new rds.DatabaseSecret(this, 'Warehouse', { username: 'warehouse' });
    this.adminToken = new secretsmanager.Secret(this, 'AdminToken', {
      description: 'ADMIN_TOKEN of the OMS internal endpoints',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
  }
}
