import { describe, expect, it } from 'vitest';
import { commands } from '../../../electron/cli/commands';
import { findCommand, helpText } from '../../../electron/cli/main';

describe('the CLI command table', () => {
  it('names each command once and lists them all in --help', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const help = helpText();
    for (const c of commands) expect(help).toContain(`  ${c.name.padEnd(1)}`);
    expect(findCommand(['line', 'lease', 'void', 'X'])?.command.name).toBe('line lease void');
  });

  it('loads, for every row, the implementation with exactly the spec the table parsed by', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect({ summary: command.summary, usage: command.usage, options: command.options }).toEqual({
        summary: entry.summary,
        usage: entry.usage,
        options: entry.options,
      });
      expect(typeof command.run).toBe('function');
    }
  });
});
