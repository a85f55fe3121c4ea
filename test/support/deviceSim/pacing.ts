/**
 * A UART's timing over a pty (which ignores baud): 8N1 is 10 bits per byte, so a byte takes
 * 10/baud seconds. Received chunks are handed on when their last byte would have arrived, sent
 * chunks are written when they would have left the wire. Virtual clocks are absolute, so timer
 * lateness never accumulates.
 */
export interface PacedLine {
  /** Received bytes, delivered to `deliver` in order at UART speed. */
  receive(chunk: Buffer): void;
  /**
   * Bytes to send, written with `write` in order at UART speed, starting no earlier than
   * `notBefore` (a performance.now() time: when the unit has finished the work they answer).
   */
  send(chunk: Buffer, notBefore?: number): void;
  /** Holds everything received from now for `ms` (a stalled unit). */
  stall(ms: number): void;
  stop(): void;
}

export function createPacedLine(options: {
  baud: number;
  deliver: (chunk: Buffer) => void;
  write: (chunk: Buffer) => void;
}): PacedLine {
  const byteMs = 10_000 / options.baud;
  const queue = (run: (b: Buffer) => void) => {
    let clock = 0;
    let items: Array<{ at: number; bytes: Buffer }> = [];
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const pump = () => {
      timer = null;
      const now = performance.now();
      while (items.length && items[0]!.at <= now + 0.5) run(items.shift()!.bytes);
      if (items.length && !stopped) timer = setTimeout(pump, Math.max(0, items[0]!.at - performance.now()));
    };
    return {
      push(bytes: Buffer, pieceBytes: number, notBefore = 0) {
        clock = Math.max(clock, notBefore);
        for (let i = 0; i < bytes.length; i += pieceBytes) {
          const piece = bytes.subarray(i, i + pieceBytes);
          clock = Math.max(clock, performance.now()) + piece.length * byteMs;
          items.push({ at: clock, bytes: piece });
        }
        if (!timer && !stopped) timer = setTimeout(pump, Math.max(0, items[0]!.at - performance.now()));
      },
      hold(ms: number) {
        clock = Math.max(clock, performance.now()) + ms;
      },
      stop() {
        stopped = true;
        items = [];
        if (timer) clearTimeout(timer);
      },
    };
  };
  const rx = queue(options.deliver);
  const tx = queue(options.write);
  return {
    // Delivered in pieces of ~20 ms of wire time: a long frame is a steady stream, never "silence".
    receive: (chunk) => rx.push(chunk, Math.max(16, Math.floor(options.baud / 10 / 50))),
    send: (chunk, notBefore) => tx.push(chunk, 256, notBefore),
    stall: (ms) => rx.hold(ms),
    stop() {
      rx.stop();
      tx.stop();
    },
  };
}
