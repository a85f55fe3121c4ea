import { createHash } from 'node:crypto';
import { Failure } from '../../failure';
import { createSerialLink, type SerialLink } from '../../serial/link';
import { verifyEach } from '../verify';
import type {
  DeviceFile,
  DeviceSession,
  OpenSessionOptions,
  TransferOptions,
  VerifyResult,
  WriteReport,
} from '../types';
import {
  PRINTF_CHUNK,
  assertTypeable,
  dirnameOf,
  joinDevicePath,
  parseDigest,
  parseDigests,
  printfAppend,
  setListingDigest,
  setupFunctions,
  shq,
  streamSet,
} from './commands';
import { createConsoleReader, type ConsoleReader } from './consoleReader';
import { CSR_TIMEOUT_MS, csrCommand, extractCsr } from './csr';
import { DEVICE_JSON5_PATH, parseHeldIdentity } from '../heldIdentity';

/**
 * The "shell" transport: a Linux unit's serial console. Every command is wrapped in begin/end
 * markers whose echoed form differs from their printed form (`__LS_B""7` echoes as typed but prints
 * as `__LS_B7`), so the output is found whether or not the console echoes, and whatever the prompt.
 */
const PROMPT = /[#$>%] ?$/;
const LOGIN = /login: ?$/i;
const PASSWORD = /password: ?$/i;
const REFUSED = /login incorrect|access denied|authentication fail/i;

interface Tools {
  base64: boolean;
  gzip: boolean;
  /** head and tail: the file-set helper cuts files out of one stream with them. */
  cut: boolean;
  sha256: boolean;
  md5: boolean;
  dd: boolean;
}

/** Bytes per read command: the reply is searched for its end marker, so keep each one small. */
const READ_CHUNK = 48 * 1024;

/** What the shell transport adds to a DeviceSession: the offline manager's reads and commands. */
export interface ShellSession extends DeviceSession {
  /** Runs one command; its output (without the markers) and exit status. */
  exec(
    command: string,
    what: string,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<ShellResult>;
  /**
   * A file relative to the device directory (or absolute), sent base64 (or hex with od) over the
   * console and checked against the device's own SHA-256 (or MD5) of it.
   */
  readFile(path: string, options?: TransferOptions): Promise<Buffer>;
}

export interface ShellResult {
  output: string;
  status: number;
}

const refused = (detail: string) =>
  new Failure('device-refused', 'The unit refused the login. Check the user and password in the profile.', {
    detail: detail.slice(-200),
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Gets from whatever the console shows to a shell prompt. A prompt is only answered once the
 * console has been quiet for a moment, so an answer never races a prompt still on its way (which
 * would type the password into the user name). The console is nudged with Enter only when it has
 * said nothing and no credentials are being checked.
 */
async function reachShell(
  link: SerialLink,
  reader: ConsoleReader,
  options: OpenSessionOptions,
  timeoutMs: number,
): Promise<void> {
  const { login } = options.settings;
  let sentUser = false;
  let sentPassword = false;
  let credentialsPending = false;
  const deadline = Date.now() + timeoutMs;
  await sleep(300); // a unit that is talking (booting, a banner) shows its prompt by itself
  if (reader.text === '') await link.write('\r');
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Failure(
        'device-timeout',
        'No shell prompt from the unit. Check the cable and that the unit has booted.',
        {
          detail: `${options.path}: last output ${JSON.stringify(reader.text.slice(-200))}`,
        },
      );
    let m: RegExpExecArray;
    try {
      m = await reader.waitFor(
        /(login: ?|password: ?|[#$>%] ?)$/i,
        Math.min(left, 1000),
        'waiting for a prompt',
        options.signal,
      );
    } catch (error) {
      if (sentPassword && REFUSED.test(reader.text)) throw refused(reader.text);
      if (error instanceof Failure && error.code === 'device-timeout') {
        if (!credentialsPending) await link.write('\r');
        continue;
      }
      throw error;
    }
    const before = reader.text.length;
    await sleep(150);
    if (reader.text.length !== before) continue; // more arrived: look at the newest prompt
    const seen = reader.text;
    reader.consume(m.index + m[0].length);
    if (sentPassword && REFUSED.test(seen)) throw refused(seen);
    credentialsPending = false;
    if (PASSWORD.test(m[0])) {
      if (!login)
        throw new Failure('device-refused', 'The unit asks for a password but the profile has none.');
      // A password prompt we did not ask for (a nudge was taken as a user name): answer it empty.
      if (sentUser) assertTypeable(login.password, 'the login password');
      await link.write(sentUser ? `${login.password}\r` : '\r');
      sentPassword = sentUser;
      sentUser = false;
      credentialsPending = true;
    } else if (LOGIN.test(m[0])) {
      if (!login)
        throw new Failure('device-refused', 'The unit asks to log in but the profile has no credentials.');
      assertTypeable(login.user, 'the login user name');
      await link.write(`${login.user}\r`);
      sentUser = true;
      credentialsPending = true;
    } else if (PROMPT.test(m[0])) {
      return;
    }
  }
}

export async function openShellSession(options: OpenSessionOptions): Promise<ShellSession> {
  const { settings, signal } = options;
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const link = await createSerialLink({ path: options.path, baudRate: settings.baudRate });
  const reader = createConsoleReader(link, options.onConsole);
  let seq = 0;

  async function exec(
    command: string,
    what: string,
    opts: { signal?: AbortSignal; timeoutMs?: number; n?: number; body?: string } = {},
  ): Promise<ShellResult> {
    const n = opts.n ?? ++seq;
    assertTypeable(command, what);
    // A body (here-documents) follows the command line in the same write: no round trip.
    await link.write(`echo __LS_B""${n}; ${command}; echo __LS_E""${n}_$?\r${opts.body ?? ''}`);
    const m = await reader.waitFor(
      new RegExp(`__LS_B${n}\\r?\\n([\\s\\S]*?)__LS_E${n}_(\\d+)`),
      opts.timeoutMs ?? timeoutMs,
      what,
      opts.signal ?? signal,
    );
    reader.consume(m.index + m[0].length);
    return { output: m[1]!.replace(/\r/g, ''), status: Number(m[2]) };
  }

  async function run(command: string, what: string, s?: AbortSignal, ms?: number): Promise<string> {
    const r = await exec(command, what, { signal: s, ...(ms ? { timeoutMs: ms } : {}) });
    if (r.status !== 0)
      throw new Failure(
        'io',
        `The unit could not finish ${what}. Check free space and the profile's device directory.`,
        {
          detail: `$ ${command.slice(0, 200)}\nexit ${r.status}\n${r.output.slice(-500)}`,
        },
      );
    return r.output;
  }

  let tools: Tools;
  let description: string;
  try {
    await reachShell(link, reader, options, timeoutMs);
    reader.consume(reader.text.length);
    // Switch off echo (halves the traffic) and continuation prompts; markers work either way.
    await exec("stty -echo 2>/dev/null; PS2=''", 'setting up the console');
    const probe = await exec(
      'for t in base64 sha256sum md5sum dd gzip head tail; do command -v $t >/dev/null 2>&1 && echo has-$t; done; uname -a 2>/dev/null',
      'checking the unit',
    );
    tools = {
      base64: probe.output.includes('has-base64'),
      sha256: probe.output.includes('has-sha256sum'),
      md5: probe.output.includes('has-md5sum'),
      dd: probe.output.includes('has-dd'),
      gzip: probe.output.includes('has-gzip'),
      cut: probe.output.includes('has-head') && probe.output.includes('has-tail'),
    };
    description = probe.output.replace(/has-\S+\n?/g, '').trim();
    // Once per session: the helpers a file set's one command line calls (see streamSet).
    if (tools.base64 && tools.cut) {
      const sum = tools.sha256 ? 'sha256' : tools.md5 ? 'md5' : null;
      await exec(setupFunctions(sum), 'setting up the console');
    }
  } catch (error) {
    reader.dispose();
    await link.close();
    throw error;
  }
  const algorithm: 'sha256' | 'md5' = tools.sha256 || !tools.md5 ? 'sha256' : 'md5';
  const setKey = (files: readonly DeviceFile[]) =>
    files.map((f) => `${f.path}:${createHash('sha256').update(f.content).digest('hex')}`).join('|');
  /**
   * The read-back the last file-set command did itself: valid for those very files while no other
   * command has run since. Equal listings digests verify every file; anything else asks per file.
   */
  let early: { key: string; listing: string | null; expected: string; seq: number } | null = null;

  const session: ShellSession = {
    identity: { transport: 'shell', description },
    async writeFiles(files: readonly DeviceFile[], opts: TransferOptions = {}): Promise<WriteReport> {
      const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
      if (files.length === 0) return { bytes: 0, retransmissions: 0 };
      if (tools.base64 && tools.cut) {
        // One pass: one short command, every file's bytes (gzipped) behind it in one
        // here-document, and the read-back of what is stored in the same command.
        const rel = files.map((f) => ({ ...f, path: joinDevicePath('.', f.path).slice(2) }));
        const n = ++seq;
        const checksum = tools.sha256 || tools.md5 ? algorithm : null;
        const { command, body } = streamSet(settings.deviceDir, rel, `_${n}`, { gzip: tools.gzip });
        // The command line itself must stay under the tty's 4095-byte line limit: halve the set.
        if (files.length > 1 && command.length > 3000) {
          const half = Math.ceil(files.length / 2);
          await session.writeFiles(files.slice(0, half), opts);
          await session.writeFiles(files.slice(half), opts);
          return { bytes: bytesTotal, retransmissions: 0 };
        }
        // The line's time for everything we send (10 bits a character), and some slack.
        const wireMs = Math.ceil(((command.length + body.length + 64) * 10 * 1000) / settings.baudRate);
        const what = `writing ${files.map((f) => f.path).join(', ')}`;
        const r = await exec(command, what, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          timeoutMs: timeoutMs + wireMs * 2,
          n,
          body,
        });
        if (r.status !== 0)
          throw new Failure(
            'io',
            `The unit could not finish ${what}. Check free space and the profile's device directory.`,
            { detail: `exit ${r.status}\n${r.output.slice(-500)}` },
          );
        if (checksum) {
          const digests = r.output.match(checksum === 'sha256' ? /\b[0-9a-f]{64}\b/g : /\b[0-9a-f]{32}\b/g);
          early = {
            key: setKey(files),
            listing: digests?.at(-1) ?? null,
            expected: setListingDigest(rel, checksum),
            seq,
          };
        }
        opts.onProgress?.({
          phase: 'write',
          path: files.at(-1)!.path,
          fileIndex: files.length - 1,
          fileCount: files.length,
          bytesDone: bytesTotal,
          bytesTotal,
        });
        return { bytes: bytesTotal, retransmissions: 0 };
      }
      // No base64 (or no head/tail) on the unit: printf octal escapes, one command per chunk.
      let bytesDone = 0;
      for (const [fileIndex, file] of files.entries()) {
        const target = joinDevicePath(settings.deviceDir, file.path);
        const part = `${target}.lineside-part`;
        const progress = () =>
          opts.onProgress?.({
            phase: 'write',
            path: file.path,
            fileIndex,
            fileCount: files.length,
            bytesDone,
            bytesTotal,
          });
        await run(
          `mkdir -p ${shq(dirnameOf(target))} && : > ${shq(part)} && chmod 600 ${shq(part)}`,
          `creating ${file.path}`,
          opts.signal,
        );
        progress();
        for (let at = 0; at < file.content.length; at += PRINTF_CHUNK) {
          const chunk = file.content.subarray(at, at + PRINTF_CHUNK);
          await run(printfAppend(chunk, part), `writing ${file.path}`, opts.signal);
          bytesDone += chunk.length;
          progress();
        }
        const mode = (file.mode & 0o777).toString(8);
        await run(
          `chmod ${mode} ${shq(part)} && mv -f ${shq(part)} ${shq(target)}`,
          `finishing ${file.path}`,
          opts.signal,
        );
      }
      return { bytes: bytesDone, retransmissions: 0 };
    },
    async verifyFiles(files: readonly DeviceFile[], opts: TransferOptions = {}): Promise<VerifyResult[]> {
      if (!tools.sha256 && !tools.md5)
        throw new Failure(
          'device-refused',
          'The unit has neither sha256sum nor md5sum, so its files cannot be checked.',
        );
      if (files.length === 0) return [];
      const sent = early;
      early = null;
      if (sent && sent.seq === seq && sent.key === setKey(files) && sent.listing === sent.expected) {
        const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
        opts.onProgress?.({
          phase: 'verify',
          path: files.at(-1)!.path,
          fileIndex: files.length - 1,
          fileCount: files.length,
          bytesDone: bytesTotal,
          bytesTotal,
        });
        return files.map((f) => {
          const hex = createHash(algorithm).update(f.content).digest('hex');
          return { path: f.path, algorithm, expected: hex, actual: hex, ok: true };
        });
      }
      // One read-back for every file: relative paths from the device directory keep the output short.
      const rel = files.map((f) => joinDevicePath('.', f.path).slice(2));
      const r = await exec(
        `(cd ${shq(settings.deviceDir)} && ${algorithm}sum ${rel.map(shq).join(' ')}) 2>&1`,
        'reading back the files',
        { ...(opts.signal ? { signal: opts.signal } : {}) },
      );
      const digests = parseDigests(r.output, rel, algorithm);
      return verifyEach(files, opts, algorithm, (file) =>
        Promise.resolve(digests[files.indexOf(file)] ?? null),
      );
    },
    async readIdentity(opts: TransferOptions = {}) {
      const target = joinDevicePath(settings.deviceDir, DEVICE_JSON5_PATH);
      // Exit 3 = no file: the unit holds nothing yet (device.json5 is a few hundred bytes of text).
      const r = await exec(
        `if [ -f ${shq(target)} ]; then cat ${shq(target)}; else (exit 3); fi`,
        'reading what the unit holds (config/device.json5)',
        { signal: opts.signal },
      );
      if (r.status === 3) return parseHeldIdentity(null);
      if (r.status !== 0)
        return { claimId: null, unreadable: `cat ${target}: exit ${r.status} ${r.output.slice(-200)}` };
      return parseHeldIdentity(r.output);
    },
    async requestCsr(request, opts: TransferOptions = {}) {
      const has = await exec(
        'command -v openssl >/dev/null 2>&1 && echo has-openssl',
        'looking for openssl',
        {
          signal: opts.signal,
        },
      );
      if (!has.output.includes('has-openssl'))
        throw new Failure(
          'device-refused',
          "The unit has no openssl, so it cannot make its own key. Set the profile's certificate keySource to host, or add openssl to the unit's image.",
          { detail: `${options.path}: command -v openssl found nothing` },
        );
      const keyFile = joinDevicePath(settings.deviceDir, 'certs/ioto.key');
      // A slow unit may take many seconds to generate an RSA key.
      const r = await exec(csrCommand(request, keyFile), 'making a key and certificate request on the unit', {
        signal: opts.signal,
        timeoutMs: Math.max(CSR_TIMEOUT_MS, timeoutMs),
      });
      const pem = r.status === 0 ? extractCsr(r.output) : null;
      if (!pem)
        throw new Failure(
          'device-refused',
          'The unit could not make a key and certificate request with openssl. Check free space and the openssl on the unit.',
          { detail: `exit ${r.status}\n${r.output.slice(-500)}` },
        );
      return pem;
    },
    async commit(opts: TransferOptions = {}) {
      await run('sync', 'saving the files (sync)', opts.signal);
      for (const command of settings.postCommands ?? [])
        await run(command, `running "${command}"`, opts.signal);
    },
    exec,
    async readFile(file, opts = {}) {
      const target = file.startsWith('/') ? file : joinDevicePath(settings.deviceDir, file);
      const size = await exec(`wc -c < ${shq(target)}`, `reading the size of ${file}`, {
        signal: opts.signal,
      });
      if (size.status !== 0)
        throw new Failure('not-found', `The unit has no ${target}: check the device directory.`, {
          detail: size.output.slice(-300),
        });
      const bytes = Number(size.output.trim());
      if (!Number.isInteger(bytes))
        throw new Failure('protocol', `The unit did not say how large ${file} is.`, {
          detail: size.output.slice(-300),
        });
      // Base64 is 4/3 of the bytes, hex 3x; ten bits per character on the line, and some slack.
      const encode = tools.base64 ? 'base64' : 'od -An -v -tx1';
      const decode = (text: string) => Buffer.from(text.replace(/\s+/g, ''), tools.base64 ? 'base64' : 'hex');
      const timeoutFor = (n: number) => timeoutMs + Math.ceil(((n * 3 * 10) / settings.baudRate) * 1500);
      const parts: Buffer[] = [];
      let done = 0;
      // In pieces with dd when the unit has it (each reply stays small), else in one go.
      const step = tools.dd ? READ_CHUNK : Math.max(bytes, 1);
      for (let index = 0; done < bytes || index === 0; index++) {
        const command = tools.dd
          ? `dd if=${shq(target)} bs=${READ_CHUNK} skip=${index} count=1 2>/dev/null | ${encode}`
          : `${encode} < ${shq(target)}`;
        const part = decode(await run(command, `reading ${file}`, opts.signal, timeoutFor(step)));
        parts.push(part);
        done += part.length;
        opts.onProgress?.({
          phase: 'verify',
          path: file,
          fileIndex: 0,
          fileCount: 1,
          bytesDone: done,
          bytesTotal: bytes,
        });
        if (part.length === 0) break;
      }
      const content = Buffer.concat(parts);
      if (tools.sha256 || tools.md5) {
        const r = await exec(`${algorithm}sum ${shq(target)} 2>&1`, `checking ${file}`, {
          signal: opts.signal,
        });
        const actual = r.status === 0 ? parseDigest(r.output, algorithm) : null;
        const expected = createHash(algorithm).update(content).digest('hex');
        if (actual !== expected)
          throw new Failure(
            'verify-mismatch',
            `${file} arrived damaged over the console (its checksum differs from the unit's). Try again; check the cable and baud rate.`,
            {
              detail: `${target}: unit ${actual ?? 'none'}, received ${expected} (${content.length} of ${bytes} bytes)`,
            },
          );
      } else if (content.length !== bytes)
        throw new Failure('verify-mismatch', `${file} arrived incomplete over the console. Try again.`, {
          detail: `${target}: ${content.length} of ${bytes} bytes`,
        });
      return content;
    },
    async close() {
      reader.dispose();
      await link.close();
    },
  };
  return session;
}
