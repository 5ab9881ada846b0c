import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SERVICES = join(__dirname, '..', '..', 'scripts', 'services.sh');

/** Drives the project's own PostgreSQL pair (scripts/services.sh), e.g. to stop the replica. */
export async function services(
  command: 'primary-stop' | 'primary-start' | 'replica-stop' | 'replica-start' | 'replica-pause' | 'replica-resume',
): Promise<void> {
  await promisify(execFile)('bash', [SERVICES, command], { timeout: 120_000 });
}
