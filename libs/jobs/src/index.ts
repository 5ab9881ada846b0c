export * from './job-context';
export * from './job-contracts';
export * from './job-queues.module';
export * from './outbox-jobs';
export * from './outbox-origin';
export * from './queue-overview.service';
