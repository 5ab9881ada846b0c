import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const APP_LOGGER = join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'platform', 'src', 'logging', 'app-logger.js');

/** Runs a script in a node process of its own that logs through the built app logger; resolves with its stdout and exit code. */
async function logInChildProcess(body: string): Promise<{ lines: { i: number }[]; code: number }> {
  const script = `const logger = require(${JSON.stringify(APP_LOGGER)}).createAppLogger({ logLevel: 'info' }, 'test');\n${body}`;
  const run = promisify(execFile)(process.execPath, ['-e', script]);
  const { stdout, code } = await run.then(
    ({ stdout }) => ({ stdout, code: 0 }),
    (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
  );
  return {
    lines: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number }),
    code,
  };
}

describe('the app logger in a real process: no line lost at exit', () => {
  it('writes every line logged before process.exit(), in order', async () => {
    const { lines, code } = await logInChildProcess(`for (let i = 0; i < 2000; i++) logger.info({ i }, 'line'); process.exit(3);`);
    expect(code).toBe(3);
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('writes every line when the process ends by itself, those of later turns included', async () => {
    const { lines, code } = await logInChildProcess(
      `for (let i = 0; i < 1000; i++) logger.info({ i }, 'line'); setImmediate(() => { for (let i = 1000; i < 2000; i++) logger.info({ i }, 'line'); });`,
    );
    expect(code).toBe(0);
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
