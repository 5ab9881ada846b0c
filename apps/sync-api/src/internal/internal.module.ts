import { Module } from '@nestjs/common';
import { DATA_METRICS, DataModule } from '@app/data';
import { JobQueuesModule } from '@app/jobs';
import { WarehouseModule } from '@app/warehouse';
import { ApiKeysController } from './api-keys.controller';
import { ApprovalRulesController } from './approval-rules.controller';
import { ChannelsController } from './channels/channels.controller';
import { ChannelImportErrorsController } from './channels/channel-import-errors.controller';
import { EtlRunsController } from './etl-runs.controller';
import { MetricsController } from './metrics.controller';
import { QueueBoard } from './queue-board';
import { QueuesController } from './queues.controller';
import { RoutingConfigController } from './routing/routing-config.controller';
import { RoutingRunsController } from './routing/routing-runs.controller';
import { RoutingSimulationController } from './routing/routing-simulation.controller';
import { WebhooksController } from './webhooks.controller';

/** Admin routes: served only on INTERNAL_PORT and only with the admin token. */
@Module({
  imports: [DataModule, JobQueuesModule.forRoot('producer'), WarehouseModule],
  controllers: [
    MetricsController,
    ApiKeysController,
    QueuesController,
    EtlRunsController,
    RoutingConfigController,
    RoutingSimulationController,
    RoutingRunsController,
    ApprovalRulesController,
    ChannelsController,
    WebhooksController,
    ChannelImportErrorsController,
  ],
  providers: [...DATA_METRICS, QueueBoard],
})
export class InternalModule {}
