import { createHash } from 'node:crypto';
import type { DeviceFile, TransferOptions, VerifyResult } from './types';

/**
 * The read-back loop both transports share: for each file, ask the unit for its digest (`readBack`
 * returns null when the file is missing), compare it with the content's, and report progress.
 */
export async function verifyEach(
  files: readonly DeviceFile[],
  opts: TransferOptions,
  algorithm: VerifyResult['algorithm'],
  readBack: (file: DeviceFile) => Promise<string | null>,
): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
  let bytesDone = 0;
  for (const [fileIndex, file] of files.entries()) {
    const expected = createHash(algorithm).update(file.content).digest('hex');
    const actual = await readBack(file);
    results.push({ path: file.path, algorithm, expected, actual, ok: actual === expected });
    bytesDone += file.content.length;
    opts.onProgress?.({
      phase: 'verify',
      path: file.path,
      fileIndex,
      fileCount: files.length,
      bytesDone,
      bytesTotal,
    });
  }
  return results;
}
