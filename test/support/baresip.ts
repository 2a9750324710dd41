import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
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
  /** Where its `ctrl_tcp` module listens (on `address`), for commands such as a snapshot of what it receives. */
  controlPort: number;
  /**
   * Its audio codecs: Opus and G.711 (the default); G.711 alone, as a room system without Opus; or G.722 before G.711,
   * as most room systems speak.
   */
  audio?: 'opus' | 'g711' | 'g722';
  /** A CA it trusts for SIP over TLS (the hub's own), as an admin installs it on a room system. */
  caFile?: string;
  /**
   * A bridge point's room system: it registers with the hub (`host:port`) under its site's SIP account and its calls
   * give those credentials when challenged. Without it, it registers nowhere and calls as a guest.
   */
  account?: { hub: string; username: string; password: string };
  /** How it takes a call: by itself (the default), or ringing until told `accept` (or `hangup`: busy). */
  answer?: 'auto' | 'manual';
  /** Its media: SRTP, mandatory (the default), or plain RTP only (a codec without SRTP). */
  media?: 'srtp' | 'rtp';
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
  readonly #control: { host: string; port: number };

  private constructor(options: BaresipOptions, dir: string) {
    this.uri = `sip:${options.user}@${options.address}:${options.sipPort}`;
    this.#dir = dir;
    this.#control = { host: options.address, port: options.controlPort };
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
    const modules = [
      // the order of its codecs in its offers and answers
      ...(options.audio === 'g722' ? ['g722'] : []),
      'g711',
      ...(options.audio === 'g711' || options.audio === 'g722' ? [] : ['opus']),
      'avcodec',
      'avformat',
      'ausine',
      'aufile',
      'srtp',
      'fakevideo',
      'sndfile',
    ];
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        `sip_listen ${options.address}:${options.sipPort}`,
        'module_path /usr/lib/baresip/modules',
        ...modules.map((name) => `module ${name}.so`),
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        'module_app snapshot.so',
        `ctrl_tcp_listen ${options.address}:${options.controlPort}`,
        ...(options.caFile ? [`sip_cafile ${options.caFile}`] : []),
        `audio_source ausine,${options.toneHz}`,
        // its devices at 48 kHz stereo (all ausine makes), resampled to the call's codec (G.711's 8 kHz mono)
        'ausrc_srate 48000',
        'auplay_srate 48000',
        'ausrc_channels 2',
        'auplay_channels 2',
        // what it hears is written by the sndfile module (dump-<peer>-dec.wav); it plays it nowhere
        `audio_player aufile,${path.join(dir, 'heard.wav')}`,
        `snd_path ${dir}`,
        `video_source avformat,${clip}`,
        // what it receives is decoded and shown nowhere: the snapshot module saves a picture of it on demand
        'video_display fakevideo,nil',
        'video_size 640x360',
        'video_bitrate 600000',
        'video_fps 25',
        '',
      ].join('\n'),
    );
    const { account } = options;
    const mediaAndAnswer = `${options.media === 'rtp' ? '' : 'mediaenc=srtp-mand;'}answermode=${options.answer ?? 'auto'}`;
    fs.writeFileSync(
      path.join(dir, 'accounts'),
      account
        ? `<sip:${account.username}@${account.hub}>;auth_pass=${account.password};regint=600;${mediaAndAnswer}\n`
        : `<sip:${options.user}@${options.address}>;regint=0;${mediaAndAnswer}\n`,
    );
    const baresip = new Baresip(options, dir);
    await baresip.waitFor(/baresip is ready/);
    return baresip;
  }

  /**
   * What it decoded of the sound it received in its last call, as a WAV file (the sndfile module's dump, whole once
   * the call has ended).
   */
  get heardFile(): string {
    const newest = this.#newestDump();
    if (!newest) throw new Error(`baresip wrote no dump of what it heard:\n${this.output}`);
    return newest;
  }

  /** How much it has decoded so far of the sound it receives in its call (the dump's size, growing while it hears). */
  heardBytes(): number {
    const newest = this.#newestDump();
    return newest ? fs.statSync(newest).size : 0;
  }

  #newestDump(): string | undefined {
    const dumps = fs.readdirSync(this.#dir).filter((name) => name.startsWith('dump-') && name.endsWith('-dec.wav'));
    return dumps.map((name) => path.join(this.#dir, name)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  }

  /**
   * A PNG of the next picture it decodes of what it receives (the snapshot module, through ctrl_tcp),
   * written to `file`; resolves once the file is whole.
   */
  async snapshotReceived(file: string): Promise<void> {
    fs.rmSync(file, { force: true });
    await this.command('snapshot_recv', file);
    for (;;) {
      // the module writes the PNG as it decodes the next picture: whole once ffprobe reads a picture from it
      if (fs.existsSync(file) && fs.statSync(file).size > 0) {
        try {
          execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width', '-of', 'csv=p=0', file]);
          return;
        } catch {
          // still being written
        }
      }
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) throw new Error(`baresip exited:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One ctrl_tcp command (a JSON netstring); resolves with baresip's answer. */
  command(command: string, params = ''): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.#control);
      const json = JSON.stringify({ command, params, token: 'test' });
      let answer = '';
      socket.on('connect', () => socket.write(`${Buffer.byteLength(json)}:${json},`));
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
        // a netstring: <length>:<json>, — whole once the comma after the length's worth has come
        const match = /^(\d+):/.exec(answer);
        if (match && answer.length >= match[0].length + Number(match[1]) + 1) {
          socket.end();
          resolve(answer.slice(match[0].length, match[0].length + Number(match[1])));
        }
      });
      socket.on('error', reject);
    });
  }

  /**
   * Presses keys on its keypad one by one, each released before the next (as a hand does): RFC 4733 events in its
   * audio stream.
   */
  async pressKeys(keys: string): Promise<void> {
    for (const key of keys) await this.command('sndcode', key);
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
