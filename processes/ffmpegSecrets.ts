import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { rawQueryPairs } from '../shared/urls.js';

/**
 * Secrets reach ffmpeg by a pipe, never by its command line, which every user of the machine reads in
 * /proc/<pid>/cmdline: an input named with its secret (an RTSP source's password, an SRT listener's
 * passphrase) is written in an ffconcat script on ffmpeg's stdin; an output's (an RTMP stream key, an SRT
 * passphrase) goes as protocol options in a preset ffmpeg reads from descriptor 3, an unlinked file.
 */

/** An input whose URL holds a secret: ffmpeg's options for it, its `-i`, and the script to write on stdin. */
export interface SecretInput {
  /** Before `-i`: what the script's demuxer may open, and that it probes nothing more (the URL's own demuxer did). */
  options: string[];
  input: 'pipe:0';
  /** The ffconcat script naming the URL, with the input's own options. */
  script: string;
}

/**
 * An input read through ffmpeg's concat demuxer: `url`, opened with `options` (its demuxer's and
 * protocol's: `rtsp_transport`, `timeout`, …) and able to use only `protocols`.
 */
export function secretInput(url: string, protocols: readonly string[], options: Record<string, string> = {}): SecretInput {
  const lines = [
    'ffconcat version 1.0',
    `file ${quoted(url)}`,
    `option protocol_whitelist ${quoted(protocols.join(','))}`,
    ...Object.entries(options).map(([name, value]) => `option ${name} ${quoted(value)}`),
  ];
  return {
    options: [
      '-protocol_whitelist',
      ['pipe', ...protocols].join(','),
      '-f',
      'concat',
      '-safe',
      '0',
      '-analyzeduration',
      '0',
      '-probesize',
      '32',
    ],
    input: 'pipe:0',
    script: `${lines.join('\n')}\n`,
  };
}

/** An output whose URL holds a secret: ffmpeg's arguments for it (the URL without the secret, last) and the preset. */
export interface SecretOutput {
  args: string[];
  /** `name=value` lines: the protocol's options that carry the secret, for descriptor 3 (`presetDescriptor`). */
  preset: string;
}

/** The descriptor a spawned ffmpeg reads an output's preset from (`stdio[3]`). */
const secretOutputFd = 3;

/**
 * A descriptor of the preset for `stdio[secretOutputFd]`, to close once spawned: a file of mode 0600,
 * unlinked as soon as written, so the secret is on no path. ffmpeg opens `/dev/fd/3`, which works for a
 * file and not for the socket a Node pipe is.
 */
export function presetDescriptor(preset: string): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-ffmpeg-'));
  const file = path.join(dir, 'preset');
  const descriptor = fs.openSync(file, 'w+', 0o600);
  try {
    fs.writeSync(descriptor, preset);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return descriptor;
}

/**
 * rtmp(s)://host/app/key → `rtmp://host` with `rtmp_app` and `rtmp_playpath`, split where ffmpeg itself
 * splits a URL's path; srt://host:port?passphrase=… → `srt://host:port` with each query parameter as the
 * libsrt option of the same name, raw (ffmpeg does not decode them either).
 */
export function secretOutput(url: string): SecretOutput {
  const parsed = new URL(url);
  const options: Array<[string, string]> = [];
  // the query as the schema let it through (`outputUrlSchema`): libsrt's options, each with its value
  if (parsed.protocol === 'srt:') for (const { name, value } of rawQueryPairs(parsed)) options.push([name, value ?? '']);
  else {
    const { app, playpath } = rtmpAppAndPlaypath(`${parsed.pathname}${parsed.search}`);
    if (app) options.push(['rtmp_app', app]);
    if (playpath) options.push(['rtmp_playpath', playpath]);
  }
  return {
    args: ['-fpre', `/dev/fd/${secretOutputFd}`, `${parsed.protocol}//${parsed.host}`],
    preset: options.map(([name, value]) => `${name}=${value}\n`).join(''),
  };
}

/** Hands a secret to the process on one of its pipes, and closes it: ffmpeg reads to the end. */
export function handOver(pipe: Writable, secret: string): void {
  pipe.on('error', () => undefined); // a process that died at once says why by its exit
  pipe.end(secret);
}

/** ffmpeg's own rule (rtmpproto.c): the first segment is the app, unless the second has no ':' and a third follows. */
function rtmpAppAndPlaypath(path: string): { app: string; playpath: string } {
  const next = path.slice(1);
  const slash = next.indexOf('/');
  if (slash < 0) return { app: next, playpath: '' };
  const rest = next.slice(slash + 1);
  const colon = rest.indexOf(':');
  const nextSlash = rest.indexOf('/');
  if (nextSlash < 0 || (colon >= 0 && colon < nextSlash)) return { app: next.slice(0, slash), playpath: rest };
  return { app: next.slice(0, slash + 1 + nextSlash), playpath: rest.slice(nextSlash + 1) };
}

/**
 * A token for ffconcat (av_get_token): single-quoted, a quote inside closed, escaped, reopened. A control
 * character is refused: a line break (from a device's stream URI, say) would start a directive of its own.
 */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new Error('a control character in what ffmpeg is to open');
  return `'${text.replaceAll("'", "'\\''")}'`;
}
