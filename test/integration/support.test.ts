/** The shared fixtures work on this machine: a real broker and real ptys. */
import fs from 'node:fs';
import mqtt from 'mqtt';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { createPtyPair, createShellPty } from '../support/ptyPair';
import { makeTempDir } from '../support/tempDir';

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200 }, (err) => (err ? reject(err) : resolve(port)));
  });
}

function readUntil(port: SerialPort, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`timeout waiting for ${pattern}: ${JSON.stringify(text)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        port.off('data', onData);
        resolve(text);
      }
    };
    port.on('data', onData);
  });
}

describe('test fixtures', () => {
  it('a loopback Mosquitto carries a message', async () => {
    const broker = await startMosquitto();
    try {
      const client = await mqtt.connectAsync(broker.url);
      const got = new Promise<string>((r) => client.on('message', (_t, m) => r(m.toString())));
      await client.subscribeAsync('lineside/test');
      await client.publishAsync('lineside/test', 'hello');
      expect(await got).toBe('hello');
      await client.endAsync();
    } finally {
      await broker.stop();
    }
  });

  it('a socat pty pair carries bytes both ways', async () => {
    const pair = await createPtyPair();
    try {
      const [a, b] = await Promise.all([open(pair.a), open(pair.b!)]);
      const got = readUntil(b, /ping/);
      a.write('ping');
      expect(await got).toContain('ping');
      await Promise.all([new Promise((r) => a.close(r)), new Promise((r) => b.close(r))]);
    } finally {
      await pair.stop();
    }
  });

  it('a pty with a real shell on the far side runs commands in its directory', async () => {
    const dir = makeTempDir();
    try {
      const shell = await createShellPty({ cwd: dir.dir });
      const port = await open(shell.a);
      port.write('echo made > here.txt; echo DONE-$((40+2))\n');
      await readUntil(port, /DONE-42/);
      expect(fs.readFileSync(`${dir.dir}/here.txt`, 'utf8')).toBe('made\n');
      await new Promise((r) => port.close(r));
      await shell.stop();
    } finally {
      dir.cleanup();
    }
  });
});
