/** Runs a script in a child `node`, for the specs that need a process of its own. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project's root directory: the child's working directory. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a child process ended, and everything it printed. */
export interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in ROOT, killed after `timeout` ms; resolves once it has exited. */
export function runNode(args: readonly string[], timeout = 15_000): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
