import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A hardware encoder pushing a feed: a test pattern (640×360 unless `size`) with a tone, H.264 (libx264 High, with or
 * without B-frames, a key frame every 2 s) and AAC, in real time for `seconds`. Kill it when done.
 */
export function pushTestPattern(
  url: string,
  options: { format: 'flv' | 'mpegts'; bFrames: number; toneHz: number; seconds: number; size?: string },
): ChildProcess {
  const input = [
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.size ?? '640x360'}:rate=25`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${options.toneHz}:sample_rate=48000`,
  ];
  const video = ['-c:v', 'libx264', '-preset', 'veryfast', '-bf', String(options.bFrames), '-g', '50'];
  return spawn(
    'ffmpeg',
    ['-nostdin', '-loglevel', 'error', ...input, '-t', String(options.seconds), ...video, '-c:a', 'aac', '-f', options.format, url],
    {
      stdio: 'ignore',
    },
  );
}

/**
 * A hardware encoder left pushing: as real ones do, it connects again a second after its push ends
 * (the hub's listener not up yet, or gone with a restarted hub), until stopped.
 */
export function keepPushing(url: string, options: Parameters<typeof pushTestPattern>[1]): { stop(): void } {
  let stopped = false;
  let current: ChildProcess | undefined;
  let retry: NodeJS.Timeout | undefined;
  const start = () => {
    if (stopped) return;
    current = pushTestPattern(url, options);
    current.once('exit', () => {
      retry = setTimeout(start, 1000);
    });
  };
  start();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      current?.kill('SIGKILL');
    },
  };
}
