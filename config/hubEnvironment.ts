import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defaultSamplePassword, projectRoot } from '../prisma/index.js';

/**
 * Every environment variable the hub reads: one zod schema each, the place that lists them all.
 * The table of docs/configuration.md names exactly these (a test holds the two together).
 * An empty value counts as unset, as shells and compose files produce them.
 */
const unset = (value: unknown) => (value === '' ? undefined : value);
const env = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema);

const port = z.coerce
  .number<string>({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be 1–65535')
  .max(65535, 'must be 1–65535');
const wholeNumber = z.coerce.number<string>({ error: 'must be a whole number' }).int('must be a whole number');
/** Percent of one core (a process waiting for a core counts as demanding it). */
const percentOfCore = wholeNumber.min(1, 'must be 1–100').max(100, 'must be 1–100');
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });
const readableFile = z.string().refine((file) => isReadableFile(file), 'must name a readable file');
/** A comma-separated list (spaces around items and empty items ignored), each item checked by `item`. */
/** Where outputs may go or feeds come from: a subnet, or a host name. */
const destination = z.union(
  [
    z.cidrv4(),
    z.cidrv6(),
    z.string().regex(/^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/),
  ],
  {
    error: 'must list subnets (10.20.0.0/16) or host names (live.angiang.gov.vn), separated by commas',
  },
);

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item))
    .default([]);
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const hubEnvironment = z
  .object({
    PORT: env(port.default(3000)),
    HOST: env(z.string().default('0.0.0.0')),
    HTTP_REDIRECT_PORT: env(z.union([z.literal('off'), port], { error: 'must be a port (1–65535) or off' }).default(3080)),
    TLS: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('on')),
    TLS_CERT: env(readableFile.optional()),
    TLS_KEY: env(readableFile.optional()),
    TLS_CHAIN: env(readableFile.optional()),
    TLS_HOSTNAMES: env(commaList(z.string().regex(/^[a-zA-Z0-9.-]+$/, 'must list host names separated by commas'))),
    DATA_DIR: env(z.string().default('data')),
    DATABASE_URL: env(z.string().optional()),
    REDIS_URL: env(z.url({ protocol: /^rediss?$/, error: 'must be redis://:password@host:port' }).optional()),
    CLUSTER_SECRET: env(z.string().min(32, 'must be at least 32 characters, the same on every node').optional()),
    NODE_ID: env(
      z
        .string()
        .regex(/^[\w.:-]{1,64}$/, 'must be letters, digits, . : _ or -')
        .optional(),
    ),
    NODE_URL: env(z.url({ protocol: /^https?$/, error: 'must be the node’s own http(s):// address' }).optional()),
    NODE_PIPE_SRTP: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('off')),
    SEED_SAMPLE_DATA: env(flag.default(false)),
    SAMPLE_CAMERAS: env(flag.default(true)),
    CAMERA_CREDENTIALS_KEY: env(
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (a 256-bit key)')
        .transform((hex) => Buffer.from(hex, 'hex'))
        .optional(),
    ),
    SAMPLE_PASSWORD: env(z.string().default(defaultSamplePassword)),
    CAMERA_ALLOWED_SUBNETS: env(
      commaList(z.union([z.cidrv4(), z.cidrv6()], { error: 'must list subnets such as 10.20.0.0/16, separated by commas' })),
    ),
    OUTPUT_ALLOWED_SUBNETS: env(commaList(destination)),
    FEED_ALLOWED_SUBNETS: env(commaList(destination)),
    TRUSTED_PROXIES: env(
      commaList(
        z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
          error: 'must list the addresses or subnets of the proxies in front (e.g. 127.0.0.1), separated by commas',
        }),
      ),
    ),
    RECORDINGS_DIR: env(z.string().optional()),
    MEETING_RECORDINGS_DIR: env(z.string().optional()),
    PROVINCE_NAME: env(z.string().trim().min(1, 'must name the province').max(60, 'must be at most 60 characters').default('An Giang')),
    AGENDA_DOCUMENT_MAX_MB: env(wholeNumber.min(1, 'must be 1–500').max(500, 'must be 1–500').default(50)),
    RECORDING_SEGMENT_SECONDS: env(wholeNumber.min(10, 'must be 10–900').max(900, 'must be 10–900').default(120)),
    RECORDING_RETENTION_DAYS: env(wholeNumber.min(1, 'must be at least 1').default(30)),
    RECORDING_QUOTA_GB: env(
      z.coerce.number<string>({ error: 'must be a number of gigabytes' }).positive('must be more than 0').default(500),
    ),
    RECORDING_MIN_FREE_GB: env(z.coerce.number<string>({ error: 'must be a number of gigabytes' }).min(0, 'must be 0 or more').default(1)),
    RECORDING_OFFICE_HOURS: env(
      z
        .string()
        .regex(/^\d{2}:\d{2}-\d{2}:\d{2}(,\d{2}:\d{2}-\d{2}:\d{2})*$/, 'must list periods like 07:00-11:30,13:00-17:00')
        .transform((list) => list.split(',').map((period) => period.split('-') as [string, string]))
        .optional(),
    ),
    COUNTER_UNATTENDED_MINUTES: env(wholeNumber.min(1, 'must be 1–240').max(240, 'must be 1–240').default(10)),
    CAMERA_ANALYSIS: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('on')),
    RECORDING_HOLIDAYS: env(commaList(z.iso.date('must list dates like 2026-09-02, separated by commas'))),
    ADMIN_PASSWORD: env(z.string().min(10, 'must be at least 10 characters').optional()),
    SESSION_IDLE_MINUTES: env(wholeNumber.min(1, 'must be at least 1').default(30)),
    SESSION_MAX_HOURS: env(wholeNumber.min(1, 'must be at least 1').default(12)),
    LOGIN_FAILURES_PER_ACCOUNT: env(wholeNumber.min(1, 'must be at least 1').default(10)),
    LOGIN_FAILURES_PER_ADDRESS: env(wholeNumber.min(1, 'must be at least 1').default(50)),
    LOGIN_BLOCK_MINUTES: env(wholeNumber.min(1, 'must be at least 1').default(15)),
    ALLOWED_ORIGINS: env(
      commaList(
        z.string().regex(/^https?:\/\/[a-zA-Z0-9.:[\]-]+$/, 'must list origins such as https://hop.example.vn, separated by commas'),
      ),
    ),
    MEDIA_WORKERS: env(
      z.coerce
        .number<string>({ error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .default(os.availableParallelism()),
    ),
    MEDIA_LISTEN_IP: env(ipAddress.default('0.0.0.0')),
    FEED_LISTEN_IP: env(ipAddress.default('0.0.0.0')),
    FEED_MIN_PORT: env(port.default(19350)),
    FEED_MAX_PORT: env(port.default(19449)),
    MEDIA_ANNOUNCED_ADDRESS: env(z.string().optional()),
    MEDIA_RTC_MIN_PORT: env(port.default(41000)),
    MEDIA_RTC_MAX_PORT: env(port.default(49999)),
    MEDIA_WEBRTC_SERVER_PORT: env(z.union([z.literal('off'), port], { error: 'must be a port (1–65535) or off' }).default(40000)),
    MEDIA_PEERS_PER_ROUTER: env(
      z.coerce.number<string>({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').optional(),
    ),
    MEDIA_MAX_SHOWN_VIDEOS: env(
      z.coerce.number<string>({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(9),
    ),
    MEDIA_MAX_FORWARDED_MICROPHONES: env(
      z.coerce.number<string>({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(3),
    ),
    LOAD_SHED_HIGH_PERCENT: env(
      z
        .union([z.literal('off'), wholeNumber.min(1, 'must be 1–100 or off').max(100, 'must be 1–100 or off')], {
          error: 'must be 1–100 or off',
        })
        .default(85),
    ),
    LOAD_SHED_LOW_PERCENT: env(percentOfCore.default(60)),
    MEDIA_LOAD_TEST_TRANSPORTS: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('off')),
    SIP: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('off')),
    SIP_PORT: env(port.default(5060)),
    SIP_TLS_PORT: env(port.default(5061)),
    SIP_BFCP_PORT: env(port.default(5070)),
    SIP_LISTEN_IP: env(ipAddress.default('0.0.0.0')),
    SIP_ANNOUNCED_ADDRESS: env(ipAddress.optional()),
    SIP_ALLOWED_SUBNETS: env(commaList(destination)),
    TURN: env(z.enum(['on', 'off'], { error: 'must be on or off' }).default('on')),
    TURN_PORT: env(port.default(3478)),
    TURN_TLS_PORT: env(port.default(5349)),
    TURN_SECRET: env(z.string().min(16, 'must be at least 16 characters').optional()),
    TURN_RELAY_MIN_PORT: env(port.default(50000)),
    TURN_RELAY_MAX_PORT: env(port.default(50999)),
    TURN_CREDENTIALS_SECONDS: env(wholeNumber.min(30, 'must be at least 30').default(600)),
    TURN_HOST: env(
      z
        .string()
        .regex(/^[a-zA-Z0-9.:-]+$/, 'must be a host name or address')
        .optional(),
    ),
    MEDIASOUP_WORKER_BIN: env(
      z
        .string()
        .refine((file) => isExecutable(file), 'must name an executable mediasoup-worker file')
        .optional(),
    ),
    CLIENT_DIR: env(z.string().default(path.join(projectRoot, 'dist', 'client'))),
    METRICS_TOKEN: env(z.string().min(16, 'must be at least 16 characters').optional()),
    LOG_LEVEL: env(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info')),
  })
  .superRefine((e, context) => {
    if (Boolean(e.TLS_CERT) !== Boolean(e.TLS_KEY))
      context.addIssue({ code: 'custom', path: [e.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'], message: 'TLS_CERT and TLS_KEY go together' });
    if (e.TLS_CHAIN && !e.TLS_CERT) context.addIssue({ code: 'custom', path: ['TLS_CHAIN'], message: 'needs TLS_CERT and TLS_KEY' });
    if (e.REDIS_URL && !new URL(e.REDIS_URL).password)
      context.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: 'must carry Redis’s password (redis://:password@host:port): anyone who can publish on Redis could act as a node',
      });
    if (e.REDIS_URL && !e.CLUSTER_SECRET)
      context.addIssue({
        code: 'custom',
        path: ['CLUSTER_SECRET'],
        message: 'is needed with REDIS_URL: the nodes seal their messages with it',
      });
    if (e.FEED_MIN_PORT > e.FEED_MAX_PORT)
      context.addIssue({ code: 'custom', path: ['FEED_MAX_PORT'], message: 'must not be below FEED_MIN_PORT' });
    if (e.LOAD_SHED_HIGH_PERCENT !== 'off' && e.LOAD_SHED_LOW_PERCENT > e.LOAD_SHED_HIGH_PERCENT)
      context.addIssue({
        code: 'custom',
        path: ['LOAD_SHED_LOW_PERCENT'],
        message: `must not be above LOAD_SHED_HIGH_PERCENT (${e.LOAD_SHED_HIGH_PERCENT})`,
      });
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

const isReadableFile = (file: string) => isFile(file, fs.constants.R_OK);
const isExecutable = (file: string) => isFile(file, fs.constants.X_OK);

function isFile(file: string, access: number): boolean {
  try {
    fs.accessSync(file, access);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
