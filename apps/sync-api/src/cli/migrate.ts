import { primaryDataSourceOptions } from '@app/data';
import { loadConfigOrExit, migrateDatabase } from '@app/platform';
import { warehouseDataSourceOptions } from '@app/warehouse';

/** `npm run db:migrate`: creates the OMS and warehouse databases when missing and migrates both. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  for (const options of [
    primaryDataSourceOptions(config.database.primaryUrl, 'oms-migrate'),
    warehouseDataSourceOptions(config.database.warehouseUrl),
  ]) {
    const report = await migrateDatabase(options);
    const applied = report.applied.length > 0 ? report.applied.join(', ') : 'nothing to apply';
    process.stdout.write(`${report.database}: ${report.created ? 'created, ' : ''}${applied}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
