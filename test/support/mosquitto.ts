/**
 * A real Mosquitto broker on loopback for one test file: its own config, port and directory,
 * stopped by PID. `tls` adds a listener that requires client certificates signed by `cafile`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeTempDir } from './tempDir';

export interface BrokerTls {
  cafile: string;
  certfile: string;
  keyfile: string;
  requireCertificate?: boolean;
  crlfile?: string;
}

export interface Broker {
  port: number;
  url: string;
  tlsPort: number | null;
  tlsUrl: string | null;
  pid: number;
  /** The broker's log so far (connects and disconnects by client id). */
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`mosquitto did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startMosquitto(options: { tls?: BrokerTls } = {}): Promise<Broker> {
  const temp = makeTempDir('lineside-mosquitto-');
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : null;
  const lines = [
    'per_listener_settings true',
    // Started as root it would drop to user mosquitto and could not read the temp files.
    'user root',
    'persistence false',
    `log_dest file ${path.join(temp.dir, 'mosquitto.log')}`,
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
  ];
  if (options.tls && tlsPort) {
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      'allow_anonymous true',
      `cafile ${options.tls.cafile}`,
      `certfile ${options.tls.certfile}`,
      `keyfile ${options.tls.keyfile}`,
      `require_certificate ${options.tls.requireCertificate === false ? 'false' : 'true'}`,
      'use_identity_as_username true',
    );
    if (options.tls.crlfile) lines.push(`crlfile ${options.tls.crlfile}`);
  }
  const conf = path.join(temp.dir, 'mosquitto.conf');
  fs.writeFileSync(conf, lines.join('\n') + '\n');
  const child: ChildProcess = spawn('/usr/sbin/mosquitto', ['-c', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      Promise.all([waitForPort(port, 10_000), tlsPort ? waitForPort(tlsPort, 10_000) : Promise.resolve()]),
      exited.then(() => {
        const log = fs.existsSync(path.join(temp.dir, 'mosquitto.log'))
          ? fs.readFileSync(path.join(temp.dir, 'mosquitto.log'), 'utf8')
          : '';
        throw new Error(`mosquitto exited: ${stderr}${log}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    temp.cleanup();
    throw error;
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    tlsPort,
    tlsUrl: tlsPort ? `mqtts://127.0.0.1:${tlsPort}` : null,
    pid: child.pid!,
    log: () => {
      const file = path.join(temp.dir, 'mosquitto.log');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    },
    async stop() {
      if (child.exitCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
      }
      temp.cleanup();
    },
  };
}
