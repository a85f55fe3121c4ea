import fs from 'node:fs';
import path from 'node:path';
import type { InputOf, OperationName, ResponseOf, Result, TransportName } from '../shared/contract';
import { defaultDataDir } from '../core/paths';
import { createServices, type ServiceDeps, type ServicesHandle } from '../core/services';
import { exitCodeFor, EXIT } from './exitCodes';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CommandContext {
  io: Io;
  json: boolean;
  dataDir: string;
  root: string;
  /** Opens the station's services on first use. */
  services(transport?: TransportName, options?: Pick<ServiceDeps, 'cloud' | 'line'>): ServicesHandle;
  /** Calls an operation through the same dispatcher as IPC and the bridge (which parses the request). */
  call<K extends OperationName>(operation: K, request: InputOf<K>): Promise<Result<ResponseOf<K>>>;
  /** Prints a result (JSON or human) and returns the exit code. */
  report<T>(result: Result<T>, human: (value: T) => string): number;
  close(): void;
}

export function readAppVersion(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function createContext(options: {
  io: Io;
  json: boolean;
  dataDir?: string;
  root: string;
}): CommandContext {
  let handle: ServicesHandle | null = null;
  const dataDir = defaultDataDir(options.dataDir);
  const ctx: CommandContext = {
    io: options.io,
    json: options.json,
    dataDir,
    root: options.root,
    services(transport = 'cli', extra = {}) {
      handle ??= createServices({
        ...extra,
        dataDir,
        factoryProfilesDir: path.join(options.root, 'factory-profiles'),
        resourcesDir: path.join(options.root, 'resources'),
        runtime: {
          transport,
          appVersion: readAppVersion(options.root),
          electronVersion: null,
          chromeVersion: null,
        },
      });
      return handle;
    },
    async call(operation, request) {
      return (await ctx.services().dispatch(operation, request)) as Result<ResponseOf<typeof operation>>;
    },
    report(result, human) {
      if (options.json) {
        options.io.stdout(JSON.stringify(result, null, 2));
        return result.ok ? EXIT.ok : exitCodeFor(result.error.code);
      }
      if (result.ok) {
        options.io.stdout(human(result.value));
        return EXIT.ok;
      }
      options.io.stderr(`Error: ${result.error.message}`);
      if (result.error.detail) options.io.stderr(`  ${result.error.detail.split('\n').join('\n  ')}`);
      return exitCodeFor(result.error.code);
    },
    close() {
      handle?.close();
      handle = null;
    },
  };
  return ctx;
}
