import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BrokeringService, DataModule } from '@app/data';
import { AppConfig, ConfigModule, parseConfig } from '@app/platform';

@Module({})
class BrokeringOnlyModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: BrokeringOnlyModule, imports: [ConfigModule.forRoot(config), DataModule] };
  }
}

/**
 * The real BrokeringService, run in the test process on the databases, Redis and key prefix of an
 * app's environment: a test brokers the orders it names, when it names them, where a worker would
 * broker every new order as soon as it is committed. Started on first use.
 */
export class InProcessBrokering {
  private context: Promise<INestApplicationContext> | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Brokers these orders in one transaction; fails when one of them was left as it was. */
  async brokerOrders(orderIds: string[]): Promise<void> {
    this.context ??= NestFactory.createApplicationContext(BrokeringOnlyModule.forRoot(parseConfig(this.env)), { logger: ['error'] });
    const { skipped } = await (await this.context).get(BrokeringService).brokerOrders(orderIds);
    if (skipped.length > 0) throw new Error(`brokering left orders ${skipped.join(', ')} as they were`);
  }

  async close(): Promise<void> {
    await (await this.context)?.close();
  }
}
