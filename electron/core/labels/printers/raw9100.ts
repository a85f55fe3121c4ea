import net from 'node:net';
import { Failure } from '../../failure';

export interface RawTarget {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  writeTimeoutMs?: number;
}

function where(t: RawTarget): string {
  return `${t.host}:${t.port}`;
}

/**
 * Sends one job to a network label printer's raw port (JetDirect, TCP 9100) and resolves once the
 * printer has taken all of it and closed cleanly. One connection per label, so a failure is known
 * label by label.
 */
export function sendRaw(target: RawTarget, data: string | Buffer): Promise<void> {
  const connectTimeoutMs = target.connectTimeoutMs ?? 5000;
  const writeTimeoutMs = target.writeTimeoutMs ?? 15000;
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: target.host, port: target.port });
    let connected = false;
    let settled = false;
    const fail = (error: Failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    let timer = setTimeout(
      () =>
        fail(
          new Failure(
            'timeout',
            `Printer ${where(target)} did not answer within ${connectTimeoutMs / 1000} s: check it is switched on and on the network, then press Retry.`,
          ),
        ),
      connectTimeoutMs,
    );
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          fail(
            new Failure(
              'timeout',
              `Printer ${where(target)} stopped taking data for ${writeTimeoutMs / 1000} s (out of labels, jammed or paused?): fix it, then press Retry.`,
            ),
          ),
        writeTimeoutMs,
      );
      socket.end(data);
    });
    socket.on('data', () => {
      /* Some printers answer status bytes; they are not needed here. */
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'ECONNREFUSED'
          ? 'refused the connection'
          : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
            ? 'cannot be reached on the network'
            : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
              ? 'has a name this computer cannot look up'
              : connected
                ? 'dropped the connection while printing'
                : 'cannot be reached';
      fail(
        new Failure(
          'unavailable',
          `Printer ${where(target)} ${reason}: check it is switched on and connected, then press Retry.`,
          { detail: `${error.code ?? ''} ${error.message}`.trim(), cause: error },
        ),
      );
    });
    socket.once('close', (hadError) => {
      if (settled) return;
      if (hadError || !connected || socket.writableLength > 0 || !socket.writableFinished) {
        fail(
          new Failure(
            'unavailable',
            `Printer ${where(target)} closed the connection before taking the whole label: check it, then press Retry.`,
          ),
        );
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve();
    });
  });
}
