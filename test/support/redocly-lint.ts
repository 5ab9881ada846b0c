import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDOCLY = join(__dirname, '..', '..', 'node_modules', '.bin', 'redocly');

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

export interface LintResult {
  exitCode: number | null;
  errors: number;
  problems: LintProblem[];
}

function run(args: string[], cwd: string): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  // No telemetry and no update check: the tests reach nothing but 127.0.0.1.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  return new Promise((resolve) => {
    execFile(REDOCLY, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** `redocly lint --extends recommended` of an OpenAPI document, run in an empty directory (no config file). */
export async function redoclyLint(document: unknown): Promise<LintResult> {
  const dir = await mkdtemp(join(tmpdir(), 'oms-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const { exitCode, stdout, stderr } = await run(['lint', '--extends', 'recommended', '--format', 'json', file], dir);
    if (!stdout.trimStart().startsWith('{')) throw new Error(`redocly lint exited with ${exitCode} and no report:\n${stderr}`);
    const report = JSON.parse(stdout) as { totals: { errors: number }; problems: LintProblem[] };
    return { exitCode, errors: report.totals.errors, problems: report.problems };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const describeProblem = (problem: LintProblem) =>
  `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`;
