import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AudioMixer } from '../../program/AudioMixer.js';
import type { RtpPacket } from '../../program/rtp.js';
import { projectRoot } from '../../prisma/index.js';
import { readOggOpus } from '../support/oggOpus.js';

const speech = path.join(projectRoot, 'test', 'fixtures', 'speech-like.wav');
const frameMs = 20;

/** The fixture as libopus encodes it (20 ms frames), with ffmpeg's options: as a browser sends it (voip, in-band FEC), mono or stereo. */
function encode(channels: 1 | 2, extra: string[] = []): Buffer[] {
  const ogg = execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-i', speech, '-ar', '48000', '-ac', String(channels)],
      ...['-c:a', 'libopus', '-application', 'voip', '-b:a', '32k', '-frame_duration', String(frameMs), ...extra, '-f', 'ogg', 'pipe:1'],
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return readOggOpus(ogg);
}

/** The fixture's level every `windowMs`, in dBFS (RMS), as ffmpeg decodes it: where it speaks and where it pauses. */
function inputLevels(windowMs: number): number[] {
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', speech, '-ar', '48000', '-ac', '1', '-f', 's16le', 'pipe:1'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return levels(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2), 1, windowMs);
}

function levels(samples: Int16Array, channels: number, windowMs: number): number[] {
  const perWindow = (48_000 * windowMs) / 1000;
  const out: number[] = [];
  for (let start = 0; start + perWindow <= samples.length / channels; start += perWindow) {
    let sum = 0;
    for (let i = start * channels; i < (start + perWindow) * channels; i++) sum += (samples[i]! / 32768) ** 2;
    out.push(10 * Math.log10(sum / (perWindow * channels) + 1e-12));
  }
  return out;
}

const rtp = (ssrc: number, sequenceNumber: number, payload: Buffer, payloadType = 100): RtpPacket => ({
  payloadType,
  sequenceNumber: sequenceNumber & 0xffff,
  timestamp: (sequenceNumber * 960) >>> 0,
  ssrc,
  marker: false,
  payload,
});

/**
 * Plays the voices into a mixer on the test's own clock (a packet of each every 20 ms, the mix taken 20 ms at a
 * time, as the program's clock takes it) and returns the mix as 16-bit stereo. Each voice's decoder starts first.
 */
async function mix(mixer: AudioMixer, voices: Array<{ ssrc: number; packets: Array<Buffer | null> }>): Promise<Int16Array> {
  return (await mixWithMinus(mixer, voices, new Map())).mix;
}

/** As `mix`, with a mix-minus for each listener of `ownVoices` (its own voice by SSRC). */
async function mixWithMinus(
  mixer: AudioMixer,
  voices: Array<{ ssrc: number; packets: Array<Buffer | null> }>,
  ownVoices: Map<string, number>,
): Promise<{ mix: Int16Array; minus: Map<string, Int16Array> }> {
  let now = 1_000_000;
  const ticks = Math.max(...voices.map((v) => v.packets.length));
  for (const voice of voices) mixer.push(rtp(voice.ssrc, 0, voice.packets[0]!), now);
  await vi.waitFor(() => expect(mixer.startingVoices).toBe(0), { timeout: 30_000 });
  const out: Buffer[] = [];
  const minus = new Map([...ownVoices.keys()].map((listener) => [listener, [] as Buffer[]]));
  for (let tick = 1; tick < ticks + 10; tick++) {
    now += frameMs;
    for (const voice of voices) {
      const payload = voice.packets[tick];
      // null: lost on the way (its sequence number never arrives)
      if (payload) mixer.push(rtp(voice.ssrc, tick, payload), now);
    }
    const taken = mixer.takeWithMinus(frameMs, ownVoices, now);
    out.push(taken.mix);
    for (const [listener, pcm] of taken.minus) minus.get(listener)!.push(pcm);
  }
  const samples = (chunks: Buffer[]) => {
    const all = Buffer.concat(chunks);
    return new Int16Array(all.buffer, all.byteOffset, all.length / 2);
  };
  return { mix: samples(out), minus: new Map([...minus].map(([listener, chunks]) => [listener, samples(chunks)])) };
}

describe("the program's mix of the forwarded voices", () => {
  const windowMs = 500;
  let spoken: boolean[];

  beforeAll(() => {
    // a window is spoken when the fixture is loud in it; the mix must be heard there
    spoken = inputLevels(windowMs).map((db) => db > -35);
    expect(spoken.filter(Boolean).length).toBeGreaterThan(2);
  });

  /** The mix is heard (well above the -91 dB of silence) in every window where a voice spoke, counted from its start. */
  const heardWhereSpoken = (out: Int16Array, offsetMs = 0) => {
    const mixed = levels(out, 2, windowMs);
    const shift = Math.round(offsetMs / windowMs);
    const silentWhereSpoken = spoken.map((loud, i) => (loud && (mixed[i + shift] ?? -Infinity) < -45 ? i : -1)).filter((i) => i >= 0);
    expect(silentWhereSpoken, `mix levels ${mixed.map((db) => db.toFixed(0)).join(' ')}`).toEqual([]);
  };

  it('decodes four voices at once, each with its own decoder, and hears them all', async () => {
    const errors: string[] = [];
    const mixer = new AudioMixer({ onDecodeError: (_ssrc, reason) => errors.push(reason) });
    const packets = encode(1);
    // four sites speaking the same words at once, one of them in stereo
    const stereo = encode(2);
    const out = await mix(mixer, [
      { ssrc: 1, packets },
      { ssrc: 2, packets },
      { ssrc: 3, packets: stereo },
      { ssrc: 4, packets },
    ]);
    expect(errors).toEqual([]);
    heardWhereSpoken(out);
    // four voices add up: louder than one alone
    const alone = await mix(new AudioMixer(), [{ ssrc: 5, packets }]);
    const sum = (samples: Int16Array) => samples.reduce((total, s) => total + Math.abs(s), 0);
    expect(sum(out)).toBeGreaterThan(2 * sum(alone));
    mixer.close();
  });

  it('gives each room system the mix without its own voice (mix-minus), while the program hears everyone', async () => {
    const mixer = new AudioMixer();
    const speech = encode(1);
    // the other voice: the same length of near silence (a quiet room)
    const quiet = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', String((speech.length * frameMs) / 1000)].concat([
        '-c:a',
        'libopus',
        '-application',
        'voip',
        '-b:a',
        '32k',
        '-frame_duration',
        String(frameMs),
        '-f',
        'ogg',
        'pipe:1',
      ]),
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const { mix: all, minus } = await mixWithMinus(
      mixer,
      [
        { ssrc: 1, packets: speech },
        { ssrc: 2, packets: readOggOpus(quiet) },
      ],
      new Map([
        ['speaker', 1],
        ['listener', 2],
      ]),
    );
    heardWhereSpoken(all);
    // the quiet room hears the speaker; the speaker hears nothing of itself
    heardWhereSpoken(minus.get('listener')!);
    expect(Math.max(...levels(minus.get('speaker')!, 2, windowMs))).toBeLessThan(-80);
    mixer.close();
  });

  it.each([
    ['G.711 µ-law (PCMU)', ['-ar', '8000', '-f', 'mulaw'], 0],
    ['G.711 A-law (PCMA)', ['-ar', '8000', '-f', 'alaw'], 8],
    ['G.722', ['-ar', '16000', '-c:a', 'g722', '-f', 'g722'], 9],
  ] as const)("hears a room system's %s as the words it carries, at 48 kHz", async (_name, format, payloadType) => {
    const mixer = new AudioMixer();
    // the fixture as a room system sends it: 160 bytes (20 ms) a packet, in its router's static payload type
    const encoded = execFileSync('ffmpeg', ['-v', 'error', '-i', speech, '-ac', '1', ...format, 'pipe:1'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const packets = Array.from({ length: Math.floor(encoded.length / 160) }, (_, i) => encoded.subarray(i * 160, (i + 1) * 160));
    let now = 1_000_000;
    const out: Buffer[] = [];
    for (let tick = 0; tick < packets.length + 10; tick++) {
      now += frameMs;
      if (packets[tick]) mixer.push(rtp(9, tick, packets[tick]!, payloadType), now);
      out.push(mixer.take(frameMs, now));
    }
    const all = Buffer.concat(out);
    heardWhereSpoken(new Int16Array(all.buffer, all.byteOffset, all.length / 2));
    mixer.close();
  });

  it('goes on through loss, reordering, FEC, DTX frames and a change from stereo to mono', async () => {
    const errors: string[] = [];
    const mixer = new AudioMixer({ onDecodeError: (_ssrc, reason) => errors.push(reason) });
    const fec = ['-fec', '1', '-packet_loss', '10'];
    const [stereo, mono] = [encode(2, fec), encode(1, fec)];
    const half = Math.floor(stereo.length / 2);
    // the first half sent in stereo, the rest in mono (a browser's encoder reconfigured mid-stream)
    const stream: Array<Buffer | null> = [...stereo.slice(0, half), ...mono.slice(half)];
    // one packet in ten lost
    for (let i = 7; i < stream.length; i += 10) stream[i] = null;
    // pairs swapped on the way
    for (let i = 12; i + 1 < stream.length; i += 25) [stream[i], stream[i + 1]] = [stream[i + 1]!, stream[i]!];
    // DTX while the site is silent at first: frames of a TOC byte alone (half a second of them), then it speaks
    const dtx = Buffer.from([stream[0]![0]! & 0xfc]);
    const withPause: Array<Buffer | null> = [...Array.from({ length: 25 }, () => dtx), ...stream];
    const out = await mix(mixer, [{ ssrc: 7, packets: withPause }]);
    expect(errors).toEqual([]);
    // the words half a second later than in the fixture
    heardWhereSpoken(out, 500);
    mixer.close();
  });

  it('drops what libopus refuses, counts and reports it, and the other voices go on unharmed', async () => {
    const errors: Array<{ ssrc: number; reason: string }> = [];
    const mixer = new AudioMixer({ onDecodeError: (ssrc, reason) => errors.push({ ssrc, reason }) });
    const packets = encode(1);
    // a broken sender: packets whose TOC says two frames of different sizes but whose lengths do not add up
    const garbage = packets.map((_, i) =>
      Buffer.from([0x03, 0x82, 0xff, ...Array.from({ length: 40 }, (_unused, j) => (i * 31 + j * 7) & 0xff)]),
    );
    const out = await mix(mixer, [
      { ssrc: 1, packets },
      { ssrc: 66, packets: garbage },
    ]);
    heardWhereSpoken(out);
    expect(mixer.decodeErrors).toBeGreaterThan(0);
    expect(errors.length).toBe(mixer.decodeErrors);
    expect(new Set(errors.map((e) => e.ssrc))).toEqual(new Set([66]));
    mixer.close();
  });
});
