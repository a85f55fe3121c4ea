import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLabelsHandlers } from '../../../electron/core/handlers/labels';
import { createLabels } from '../../../electron/core/labels';
import { createTestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const resourcesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources');
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('the labels handler', () => {
  it('serves the labels module it is given: its templates, settings and print audit', async () => {
    const station = createTestStation();
    cleanups.push(() => station.cleanup());
    const elsewhere = makeTempDir();
    cleanups.push(elsewhere.cleanup);
    const out = makeTempDir();
    cleanups.push(out.cleanup);
    // A module over another data folder than the station's: the handler must answer from it.
    const labels = createLabels({ store: station.store, dataDir: elsewhere.dir, resourcesDir });
    fs.mkdirSync(labels.stationDir, { recursive: true });
    const builtIn = fs.readFileSync(path.join(labels.builtInDir, 'claim-50x30.json5'), 'utf8');
    fs.writeFileSync(path.join(labels.stationDir, 'only-here.json5'), builtIn);
    const { service } = createLabelsHandlers({ labels, store: station.store, jobs: station.jobs });

    const listed = await service.listLabelTemplates(undefined);
    expect(listed.stationDir).toBe(path.join(elsewhere.dir, 'labels'));
    expect(listed.templates.map((t) => t.name)).toContain('only-here');

    await service.updateLabelSettings({ printer: { kind: 'file', dir: out.dir, format: 'zpl' } });
    expect(labels.settings().printer).toEqual({ kind: 'file', dir: out.dir, format: 'zpl' });
    await service.printTestLabel(undefined);
    expect(labels.audit.list({})).toHaveLength(1);
  });
});
