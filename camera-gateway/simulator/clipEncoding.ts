import os from 'node:os';
import path from 'node:path';

/** Where the simulator's clips are made once and kept (`name`: the set and its version). */
export const clipCache = (name: string) => path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'province-hub', name);

/**
 * How the simulated cameras' clips are encoded: one setting per stream, so that every clip of a stream
 * (the test card, each scene) has the same parameter sets and a camera can change scene at a key frame
 * without its clients being told anything new. A key frame every second, as a counter's camera is set.
 */
const gop = ['-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-bf', '0', '-pix_fmt', 'yuv420p'];

export const clipEncoding = {
  main: {
    size: '1280x720',
    args: ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-level', '3.1', '-b:v', '800k', ...gop],
  },
  sub: { size: '640x360', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-level', '3.0', '-b:v', '250k', ...gop] },
} as const;

/** Every clip lasts this long and loops. */
export const clipSeconds = 10;
