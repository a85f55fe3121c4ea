import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  joinDevicePath,
  parseDigest,
  printfAppend,
  shq,
} from '../../../../electron/core/transport/shell/commands';

describe('shell transport commands', () => {
  it('quotes anything for /bin/sh', () => {
    const nasty = `it's $HOME \`x\` "q" \\n`;
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shq(nasty)}`]).toString()).toBe(nasty);
  });

  it('printf octal escapes reproduce every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const cmd = printfAppend(all, '/dev/stdout').replace(/ >> .*$/, '');
    expect(execFileSync('/bin/sh', ['-c', cmd]).equals(all)).toBe(true);
  });

  it('joins device paths and refuses to climb out', () => {
    expect(joinDevicePath('/opt/ioto/state/', 'config/device.json5')).toBe(
      '/opt/ioto/state/config/device.json5',
    );
    expect(() => joinDevicePath('/opt', '../etc/passwd')).toThrow();
  });

  it('parses digests and reads "No such file" as absent', () => {
    const sha = 'a'.repeat(64);
    expect(parseDigest(`${sha}  /x\n`, 'sha256')).toBe(sha);
    expect(parseDigest('sha256sum: /x: No such file or directory\n', 'sha256')).toBeNull();
    expect(parseDigest(`${'B'.repeat(32)}  /x`, 'md5')).toBe('b'.repeat(32));
  });
});
