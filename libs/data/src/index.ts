export * from './data.module';
export * from './database/data-source.options';
export * from './database/run-migrations';
export * from './health/primary-database.health';
export * from './health/replica.health';
export * from './replica/replica.client';
