import { describe, expect, it } from 'vitest';
import { commandWords, runCli } from '../../../electron/cli/main';
import { makeTempDir } from '../../support/tempDir';

describe('global options before the command', () => {
  it('skips the value of --data-dir wherever it stands', () => {
    expect(commandWords(['--data-dir', '/x', 'info'])).toEqual(['info']);
    expect(commandWords(['--json', '--data-dir', '/x', 'orders', 'list'])).toEqual(['orders', 'list']);
    expect(commandWords(['--data-dir=/x', 'info'])).toEqual(['info']);
    expect(commandWords(['store', 'dump', '--model', 'Store'])).toEqual(['store', 'dump', 'Store']);
  });

  it('lineside --data-dir X info runs info on that data directory', async () => {
    const temp = makeTempDir();
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
      const code = await runCli(['--data-dir', temp.dir, '--json', 'info'], io, process.cwd());
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(JSON.parse(out.join('\n'))).toMatchObject({ ok: true, value: { dataDir: temp.dir } });
    } finally {
      temp.cleanup();
    }
  });
});
