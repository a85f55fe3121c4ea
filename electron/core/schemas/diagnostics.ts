import { z } from 'zod';
import type { DiagnosticsOps } from '../../shared/contract';
import { consoleTextArg } from './common';
import type { SchemaMap } from './types';

const pathArg = z.string().min(1).max(4096);
const textArg = z.string().max(256 * 1024);

export const diagnosticsSchemas = {
  inspectIdentity: z
    .object({
      dir: pathArg.optional(),
      deviceJson5: textArg.optional(),
      provisionJson5: textArg.optional(),
      certificatePem: textArg.optional(),
      deviceTime: z.string().max(64).optional(),
    })
    .strict(),
  readUnitIdentity: z
    .object({
      path: pathArg,
      transport: z.enum(['shell', 'framed', 'esp32']),
      reset: z.enum(['classic', 'usb-jtag', 'none']).optional(),
      deviceDir: consoleTextArg(1000).optional(),
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      login: z
        .object({ user: consoleTextArg(200).min(1), password: consoleTextArg(200) })
        .strict()
        .optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
    })
    .strict(),
  checkConnectivity: z
    .object({
      url: z
        .string()
        .regex(/^(mqtts?|wss?):\/\/\S+$/, 'A broker URL starts with mqtt://, mqtts://, ws:// or wss://'),
      certPath: pathArg.optional(),
      keyPath: pathArg.optional(),
      caPath: pathArg.optional(),
      certPem: textArg.optional(),
      keyPem: textArg.optional(),
      caPem: textArg.optional(),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
    })
    .strict(),
} satisfies SchemaMap<DiagnosticsOps>;
