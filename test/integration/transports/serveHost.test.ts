/** `lineside serve --host` widens the bind address for a thin client, and says so loudly. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

function serve(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const data = makeTempDir();
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'lineside.js'), 'serve', '--port', '0', '--data-dir', data.dir, ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  child.on('exit', () => data.cleanup());
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (/browser mode: http/.test(stdout)) {
        clearTimeout(timer);
        resolve({ stdout, stderr });
      }
    });
  });
}

describe('lineside serve', () => {
  it('binds loopback by default, with no warning', async () => {
    const { stdout, stderr } = await serve([]);
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}/);
    expect(stderr).not.toContain('WARNING');
  });

  it('widens the bind address with --host and prints a clear warning', async () => {
    const { stdout, stderr } = await serve(['--host', '0.0.0.0']);
    expect(stderr).toContain('WARNING: the bridge listens on 0.0.0.0, not only this computer.');
    expect(stderr).toContain('Use it only on a trusted line network.');
    const url = /(http:\/\/\S+)/.exec(stdout)![1]!;
    // Still guarded by the token.
    const res = await fetch(url.replace(/\/\?token=.*/, '/api/getAppInfo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });
});
