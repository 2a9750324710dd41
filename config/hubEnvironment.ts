import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defaultSamplePassword, projectRoot } from '../prisma/index.js';

/**
 * Every environment variable the hub reads: one zod schema each, the place that lists them all.
 * The README's "Configuration" table names exactly these (a test holds the two together).
 * An empty value counts as unset, as shells and compose files produce them.
 */
const unset = (value: unknown) => (value === '' ? undefined : value);
const env = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema);

const port = z.coerce
  .number<string>({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be 1–65535')
  .max(65535, 'must be 1–65535');
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const hubEnvironment = z
  .object({
    PORT: env(port.default(3000)),
    HOST: env(z.string().default('0.0.0.0')),
    DATABASE_URL: env(z.string().optional()),
    SEED_SAMPLE_DATA: env(flag.default(true)),
    SAMPLE_CAMERAS: env(flag.default(true)),
    CAMERA_CREDENTIALS_KEY: env(
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (a 256-bit key)')
        .transform((hex) => Buffer.from(hex, 'hex'))
        .optional(),
    ),
    SAMPLE_PASSWORD: env(z.string().default(defaultSamplePassword)),
    MEDIA_WORKERS: env(
      z.coerce
        .number<string>({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .default(os.availableParallelism()),
    ),
    MEDIA_LISTEN_IP: env(ipAddress.default('127.0.0.1')),
    MEDIA_ANNOUNCED_ADDRESS: env(z.string().optional()),
    MEDIA_RTC_MIN_PORT: env(port.default(40000)),
    MEDIA_RTC_MAX_PORT: env(port.default(49999)),
    MEDIA_WEBRTC_SERVER_PORT: env(port.optional()),
    MEDIA_PEERS_PER_ROUTER: env(
      z.coerce.number<string>({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(200),
    ),
    MEDIASOUP_WORKER_BIN: env(
      z
        .string()
        .refine((file) => isExecutable(file), 'must name an executable mediasoup-worker file')
        .optional(),
    ),
    CLIENT_DIR: env(z.string().default(path.join(projectRoot, 'dist', 'client'))),
    LOG_LEVEL: env(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info')),
  })
  .superRefine((e, context) => {
    if (e.MEDIA_RTC_MIN_PORT > e.MEDIA_RTC_MAX_PORT)
      context.addIssue({
        code: 'custom',
        path: ['MEDIA_RTC_MAX_PORT'],
        message: `must not be below MEDIA_RTC_MIN_PORT (${e.MEDIA_RTC_MIN_PORT})`,
      });
  });

export type HubEnvironment = z.output<typeof hubEnvironment>;

/** The variable names, in the schema's order. */
export const hubEnvironmentVariables = Object.keys(hubEnvironment.shape) as Array<keyof HubEnvironment>;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
