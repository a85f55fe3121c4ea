import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.includes('no-restricted-imports'))
    .map((m) => m.message);
}

// ESLint's first lint loads the typed project: seconds on a loaded machine, so no 5 s default.
describe('layering is enforced by lint', { timeout: 60_000 }, () => {
  it('core imports neither electron nor react', async () => {
    expect(
      await problems('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await problems('electron/core/x.ts', "import React from 'react';\nexport const a = React;\n"),
    ).toHaveLength(1);
    expect(
      await problems('electron/core/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(0);
  });

  it('shared imports nothing at runtime but zod', async () => {
    expect(
      await problems('electron/shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n"),
    ).toHaveLength(0);
    expect(
      await problems('electron/shared/x.ts', "import { z } from 'zod/mini';\nexport const a = z;\n"),
    ).toHaveLength(1);
    expect(
      await problems('electron/shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(1);
    expect(
      await problems('electron/shared/x.ts', "import type { z } from 'zod';\nexport type A = z.ZodType;\n"),
    ).toHaveLength(0);
    expect(
      await problems(
        'electron/shared/x.ts',
        "import { Failure } from '../core/failure';\nexport const a = Failure;\n",
      ),
    ).toHaveLength(1);
  });

  it('the renderer reaches the station only through electron/shared', async () => {
    const file = 'renderer/src/features/x/X.ts';
    expect(await problems(file, "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await problems(file, "import fs from 'fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(
      await problems(file, "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"),
    ).toHaveLength(1);
    expect(
      await problems(file, "import { SerialPort } from 'serialport';\nexport const a = SerialPort;\n"),
    ).toHaveLength(1);
    expect(
      await problems(file, "import Database from 'better-sqlite3';\nexport const a = Database;\n"),
    ).toHaveLength(1);
    expect(
      await problems(
        file,
        "import { Failure } from '../../../../electron/core/failure';\nexport const a = Failure;\n",
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        file,
        "import { channels } from '../../../../electron/shared/contract';\nexport const a = channels;\n",
      ),
    ).toHaveLength(0);
  });
});
