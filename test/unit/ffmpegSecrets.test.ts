import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { presetDescriptor, secretInput, secretOutput } from '../../processes/index.js';

const run = promisify(execFile);

describe('secrets handed to ffmpeg off its command line', () => {
  it('splits an RTMP URL where ffmpeg does: the host on the command line, app and stream key in the preset', () => {
    expect(secretOutput('rtmp://10.0.0.9:1935/live/khoa-bi-mat')).toEqual({
      args: ['-fpre', '/dev/fd/3', 'rtmp://10.0.0.9:1935'],
      preset: 'rtmp_app=live\nrtmp_playpath=khoa-bi-mat\n',
    });
    // an application instance: the app is the first two segments
    expect(secretOutput('rtmps://live.example.vn/app/inst/khoa?x=1').preset).toBe('rtmp_app=app/inst\nrtmp_playpath=khoa?x=1\n');
    // a colon in the second segment: it is the stream name
    expect(secretOutput('rtmp://h/app/mp4:clip/extra').preset).toBe('rtmp_app=app\nrtmp_playpath=mp4:clip/extra\n');
    // one segment: the app, which may be the key itself
    expect(secretOutput('rtmp://h/khoa').preset).toBe('rtmp_app=khoa\n');
  });

  it('gives an SRT destination its query as libsrt options, raw, as ffmpeg read them from the URL', () => {
    expect(secretOutput('srt://[::1]:9000?passphrase=mat%41khau&pbkeylen=16&latency=200000')).toEqual({
      args: ['-fpre', '/dev/fd/3', 'srt://[::1]:9000'],
      preset: 'passphrase=mat%41khau\npbkeylen=16\nlatency=200000\n',
    });
  });

  it('names an input in an ffconcat script that ffmpeg reads on stdin, quotes and all', async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/hub-secret-input-`);
    try {
      // a file, to see ffmpeg open exactly the name the script gives, a quote in it
      const file = `${dir}/it's.wav`;
      await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=0.2', file]);
      const input = secretInput(`file:${file}`, ['file'], { analyzeduration: '0' });
      expect(input.script).toBe(
        `ffconcat version 1.0\nfile 'file:${dir}/it'\\''s.wav'\noption protocol_whitelist 'file'\noption analyzeduration '0'\n`,
      );
      const probe = run('ffprobe', ['-v', 'error', ...input.options, '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', input.input]);
      probe.child.stdin!.end(input.script);
      expect((await probe).stdout.trim()).toBe('pcm_s16le');
      // a line break would start a directive of its own (a device's stream URI is the device's to write)
      expect(() => secretInput('rtsp://camera/x\noption protocol_whitelist file,http', ['rtsp'])).toThrow(/control character/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the preset as a descriptor of a file on no path', () => {
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('hub-ffmpeg-'));
    const descriptor = presetDescriptor('passphrase=bi-mat\n');
    try {
      expect(fs.readFileSync(`/proc/self/fd/${descriptor}`, 'utf8')).toBe('passphrase=bi-mat\n');
      expect(fs.readlinkSync(`/proc/self/fd/${descriptor}`)).toMatch(/\(deleted\)$/);
      expect(fs.fstatSync(descriptor).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('hub-ffmpeg-'))).toEqual(before);
    } finally {
      fs.closeSync(descriptor);
    }
  });
});
