import type { Command } from '../command';
import * as specs from './specs';

export const infoCommand: Command = {
  ...specs.info,
  async run(ctx) {
    const result = await ctx.call('getAppInfo', undefined);
    return ctx.report(result, (i) =>
      [
        `Lineside ${i.version} (${i.transport})`,
        `Data directory: ${i.dataDir}`,
        `Database: ${i.databaseFile} (schema ${i.schemaVersion})`,
        `Node ${i.versions.node}, SQLite ${i.versions.sqlite}, ${i.platform}`,
      ].join('\n'),
    );
  },
};
