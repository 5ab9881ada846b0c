import { baseEnv, Program, runProgram } from '../support/app-process';

describe('configuration is validated at start', () => {
  it.each<[Program, string, string]>([
    ['sync-api', 'PORT', 'eighty'],
    ['sync-api', 'DATABASE_URL', 'mysql://127.0.0.1/oms'],
    ['async-worker', 'REDIS_URL', 'not-a-url'],
    ['async-worker', 'WORKER_HEALTH_PORT', '99999'],
    ['async-worker', 'BROKERING_TZ', 'Mars/Olympus'],
    ['migrate', 'WAREHOUSE_URL', 'http://127.0.0.1/warehouse'],
  ])('%s with %s=%s exits non-zero with one line naming it', async (program, variable, value) => {
    const { code, stdout, stderr } = await runProgram(program, baseEnv({ [variable]: value }));
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('requires ADMIN_TOKEN in production', async () => {
    const env = baseEnv({ NODE_ENV: 'production' });
    delete env.ADMIN_TOKEN;
    const { code, stderr } = await runProgram('sync-api', env);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Invalid configuration: ADMIN_TOKEN is required when NODE_ENV=production (got missing)');
  });
});
