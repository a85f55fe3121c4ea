import { execFile } from 'node:child_process';
import { Failure } from '../../failure';

export interface LpJob {
  file: string;
  queue: string;
  /** `host:port` of a CUPS server other than the default one. */
  server?: string | null;
  copies: number;
  widthMm: number;
  heightMm: number;
  title: string;
}

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

function lpFailure(error: unknown, what: string): Failure {
  const e = error as NodeJS.ErrnoException & { stderr?: string };
  if (e.code === 'ENOENT')
    return new Failure(
      'unavailable',
      `CUPS is not installed here, so ${what} is not possible: install cups-client.`,
      {
        detail: String(error),
      },
    );
  return new Failure(
    'unavailable',
    `The system printer refused ${what}: ${(e.stderr ?? '').trim() || e.message}`,
    {
      detail: `${e.message}\n${e.stderr ?? ''}`.trim(),
    },
  );
}

/** The `lp` arguments for one job: the label's page size as a custom media, copies and a title. */
export function lpArgs(job: LpJob): string[] {
  return [
    ...(job.server ? ['-h', job.server] : []),
    '-d',
    job.queue,
    '-n',
    String(job.copies),
    '-o',
    `media=Custom.${job.widthMm}x${job.heightMm}mm`,
    '-o',
    'fit-to-page',
    '-t',
    job.title,
    job.file,
  ];
}

/** Prints a file through CUPS `lp`; resolves to the CUPS job id. */
export async function lpPrint(job: LpJob): Promise<string> {
  try {
    const { stdout } = await run('lp', lpArgs(job));
    return /request id is (\S+)/.exec(stdout)?.[1] ?? stdout.trim();
  } catch (error) {
    throw lpFailure(error, `the print on ${job.queue}`);
  }
}

/** The CUPS queues this computer can print to. */
export async function lpQueues(server?: string | null): Promise<string[]> {
  try {
    const { stdout } = await run('lpstat', [...(server ? ['-h', server] : []), '-e']);
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    // lpstat exits non-zero when no queue exists; that is an empty list, not a failure.
    if (e.code !== 'ENOENT' && /No destinations|not running/i.test(e.stderr ?? '')) return [];
    throw lpFailure(error, 'listing printers');
  }
}
