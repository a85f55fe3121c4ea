import net from 'node:net';

/**
 * A network label printer on loopback: takes raw jobs on TCP like a Zebra's port 9100, one job per
 * connection, and keeps what it received. `stopAfter(n)` unplugs it right after the n-th job, so a
 * batch fails mid-way exactly as with a printer switched off between two labels.
 */
export interface RawPrinter {
  port: number;
  jobs: string[];
  stopAfter(n: number): void;
  /** Resolves once `n` jobs have arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRawPrinter(port = 0): Promise<RawPrinter> {
  const jobs: string[] = [];
  const sockets = new Set<net.Socket>();
  let limit = Infinity;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      jobs.push(Buffer.concat(chunks).toString('utf8'));
      if (jobs.length >= limit) server.close();
      for (const w of waiters.filter((w) => jobs.length >= w.n)) w.resolve();
      socket.end();
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as net.AddressInfo).port;
  return {
    port: actualPort,
    jobs,
    stopAfter(n) {
      limit = n;
    },
    waitFor: (n) =>
      jobs.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}

/** A printer that accepts the connection but never takes the data nor answers (a paused printer). */
export async function startStuckPrinter(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.pause();
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
