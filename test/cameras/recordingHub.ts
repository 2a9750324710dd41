/**
 * A recording hub in a process of its own, so a test can kill it with SIGKILL mid-segment (see
 * recordingRestart.test.ts): SQLite at argv[2], recordings in argv[3], the camera key in
 * CAMERA_KEY_HEX. Prints "READY <url>" once it serves, then runs until killed.
 */
import { startTestHub } from '../integration/helpers.js';

const hub = await startTestHub({
  reuse: { config: { provider: 'sqlite', url: process.argv[2]! } },
  cameraKey: Buffer.from(process.env.CAMERA_KEY_HEX!, 'hex'),
  cameraFeed: { backoffMs: { initial: 500, max: 2000 } },
  recording: { directory: process.argv[3]!, segmentSeconds: 4, sweepIntervalMs: 1000 },
});
console.log(`READY ${hub.url}`);
