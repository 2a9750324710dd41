import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BaresipOptions {
  /** A loopback address of its own (127.0.0.2 …): the hub's SIP stack treats a target on its own address as itself. */
  address: string;
  sipPort: number;
  /** The user part it answers to (`sip:<user>@address:port`). */
  user: string;
  /** Its camera: a solid picture of this colour (`0x2080d0`), 640×360 at 25 fps, encoded as H.264 by baresip. */
  colour: string;
  /** Its microphone: a sine tone. */
  toneHz: number;
}

/**
 * Debian's baresip (1.0.0, with baresip-ffmpeg) as a room system or an MCU: answers every call by itself, sends
 * its picture and tone over SDES-SRTP (mandatory), and decodes what it receives. Its configuration lives in a
 * temp dir of its own, removed by stop().
 */
export class Baresip {
  readonly uri: string;
  readonly #child: ChildProcess;
  readonly #dir: string;
  readonly #output: string[] = [];
  readonly #exited: Promise<void>;

  private constructor(options: BaresipOptions, dir: string) {
    this.uri = `sip:${options.user}@${options.address}:${options.sipPort}`;
    this.#dir = dir;
    this.#child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.#child.stdout!, this.#child.stderr!])
      stream.on('data', (chunk: Buffer) => this.#output.push(...chunk.toString('utf8').split('\n')));
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  static async start(options: BaresipOptions): Promise<Baresip> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-baresip-'));
    const clip = path.join(dir, 'camera.mp4');
    // baresip 1.0.0's avformat source aborts on a file with audio: the clip is video only, the tone comes from ausine
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=c=${options.colour}:s=640x360:r=25`,
      '-t',
      '600',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '25',
      '-pix_fmt',
      'yuv420p',
      clip,
    ]);
    const modules = ['g711', 'opus', 'avcodec', 'avformat', 'ausine', 'aufile', 'srtp'];
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        `sip_listen ${options.address}:${options.sipPort}`,
        'module_path /usr/lib/baresip/modules',
        ...modules.map((name) => `module ${name}.so`),
        'module_app account.so',
        'module_app menu.so',
        `audio_source ausine,${options.toneHz}`,
        `audio_player aufile,${path.join(dir, 'heard.wav')}`,
        `video_source avformat,${clip}`,
        'video_size 640x360',
        'video_bitrate 600000',
        'video_fps 25',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'accounts'), `<sip:${options.user}@${options.address}>;regint=0;mediaenc=srtp-mand;answermode=auto\n`);
    const baresip = new Baresip(options, dir);
    await baresip.waitFor(/baresip is ready/);
    return baresip;
  }

  /** Everything baresip printed (for a failure's message). */
  get output(): string {
    return this.#output.join('\n');
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await this.#exited;
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Waits until baresip prints a line matching `pattern`; throws if it exits first. */
  async waitFor(pattern: RegExp): Promise<void> {
    for (;;) {
      if (this.#output.some((line) => pattern.test(line))) return;
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) throw new Error(`baresip exited:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
