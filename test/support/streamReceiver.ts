import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A destination the program is pushed to, as a streaming server or a broadcaster's SRT listener would
 * take it: ffmpeg listening on `url` (rtmp://127.0.0.1:port/app/key, or srt://127.0.0.1:port[?passphrase=…]) and
 * writing what arrives (stream copy) to `file` until `seconds` of it are in.
 */
export function receiveStream(url: string, file: string, seconds: number): { process: ChildProcess; ended: Promise<number | null> } {
  const input = url.startsWith('rtmp:') ? ['-listen', '1', '-i', url] : ['-i', `${url}${url.includes('?') ? '&' : '?'}mode=listener`];
  const process = spawn(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', ...input, '-map', '0', '-c', 'copy', '-t', String(seconds), '-f', 'mpegts', file],
    {
      stdio: 'ignore',
    },
  );
  const ended = once(process, 'exit').then(([code]) => code as number | null);
  return { process, ended };
}

export interface ProbedMedia {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; profile?: string }>;
  duration: number;
}

export async function probe(file: string): Promise<ProbedMedia> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,codec_name,width,height,profile:format=duration',
    '-of',
    'json',
    file,
  ]);
  const parsed = JSON.parse(stdout) as { streams: ProbedMedia['streams']; format: { duration: string } };
  return { streams: parsed.streams, duration: Number(parsed.format.duration) };
}

/** A file's chapters as ffprobe reads them (an MP4's chapter track): title, start and end in seconds. */
export async function chaptersOf(file: string): Promise<Array<{ start_time: string; end_time: string; tags: { title: string } }>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', file]);
  return (JSON.parse(stdout) as { chapters: Array<{ start_time: string; end_time: string; tags: { title: string } }> }).chapters;
}

/** Each picture's mean blue-difference chroma (0–255; black is 128), in order, with its time in seconds. */
export async function chromaOfEachPicture(file: string): Promise<Array<{ seconds: number; chromaU: number }>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `movie=${file},signalstats`,
    '-show_entries',
    'frame=pts_time:frame_tags=lavfi.signalstats.UAVG',
    '-of',
    'csv=p=0',
  ]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .map(([seconds, chromaU]) => ({ seconds: Number(seconds), chromaU: Number(chromaU) }));
}

/** The sound's level (RMS, dBFS) in each whole second of the file, in order: -Infinity for digital silence. */
export async function soundLevelEachSecond(file: string): Promise<number[]> {
  const { stderr } = await run('ffmpeg', [
    ...['-nostdin', '-v', 'info', '-i', file, '-vn', '-ac', '1', '-ar', '48000'],
    ...['-af', 'asetnsamples=n=48000:p=0,astats=metadata=1:reset=1,ametadata=mode=print:key=lavfi.astats.Overall.RMS_level'],
    ...['-f', 'null', '-'],
  ]);
  return [...stderr.matchAll(/RMS_level=(-?[\d.]+|-inf)/g)].map((m) => (m[1] === '-inf' ? -Infinity : Number(m[1])));
}

/**
 * The sound's level (RMS, dBFS) over the whole file: all of it, or only around `hz` (a narrow band-pass, twice: a
 * tone there stands out, speech does not).
 */
export async function soundLevel(file: string, hz?: number): Promise<number> {
  const band = hz ? `bandpass=f=${hz}:width_type=h:w=30,bandpass=f=${hz}:width_type=h:w=30,` : '';
  const { stderr } = await run('ffmpeg', [
    ...['-nostdin', '-v', 'info', '-i', file],
    ...['-af', `${band}astats=measure_overall=RMS_level:measure_perchannel=none`, '-f', 'null', '-'],
  ]);
  const level = /RMS level dB: (-?[\d.]+|-inf)/.exec(stderr)?.[1];
  if (level === undefined) throw new Error(`no level read from ${file}: ${stderr}`);
  return level === '-inf' ? -Infinity : Number(level);
}

/** The sound's mean level in dB (volumedetect), and the picture's mean luma and blue-difference chroma (0–255; black is 16 and 128). */
export async function levels(file: string, fromSecond = 0): Promise<{ meanVolumeDb: number; meanLuma: number; meanChromaU: number }> {
  // signalstats prints some forty lines a picture: half a minute of program is megabytes of them
  const { stderr } = await run(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'info',
      '-ss',
      String(fromSecond),
      '-i',
      file,
      '-af',
      'volumedetect',
      '-vf',
      'signalstats,metadata=print',
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const meanVolumeDb = Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1] ?? -Infinity);
  const mean = (key: string) => {
    const values = [...stderr.matchAll(new RegExp(`${key}=([\\d.]+)`, 'g'))].map((m) => Number(m[1]));
    return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  };
  return { meanVolumeDb, meanLuma: mean('YAVG'), meanChromaU: mean('UAVG') };
}
