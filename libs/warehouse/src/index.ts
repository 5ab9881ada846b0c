export * from './warehouse-data-source.options';
