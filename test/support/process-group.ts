import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface ProcessInfo {
  pid: number;
  command: string;
}

/** pid, state and process group of one process, or undefined once it is gone (reaped). */
function readStat(pid: number): { command: string; state: string; pgid: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may itself contain spaces or ')'.
  const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { command, state, pgid: Number(pgid) };
}

/** Every live process in the process group (from /proc). */
export function processGroupMembers(pgid: number): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .flatMap((pid) => {
      const stat = readStat(pid);
      return stat && stat.pgid === pgid && stat.state !== 'Z' ? [{ pid, command: stat.command }] : [];
    });
}

/** A zombie counts as gone: it has exited and only waits for its parent to reap it. */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Signals a whole process group, ignoring a group that no longer exists. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function acceptsConnections(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}
