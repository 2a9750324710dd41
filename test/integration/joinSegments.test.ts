import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinSegments } from '../../program/joinSegments.js';
import { testTempDir } from '../support/tempDirs.js';

const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_chapters', '-of', 'json', file], { encoding: 'utf8' })) as {
    format: { duration: string };
    chapters: Array<{ start_time: string; end_time: string; tags: { title: string } }>;
  };

describe('a meeting recording joined with its chapters', () => {
  it('never lasts longer than its picture and sound: chapters timed by a wall clock the media fell behind are spread over the media', async () => {
    const dir = testTempDir('hub-join-');
    const segments = [0, 1].map((n) => {
      const file = path.join(dir, `${n}.ts`);
      execFileSync('ffmpeg', [
        ...[
          '-v',
          'error',
          '-f',
          'lavfi',
          '-i',
          `testsrc2=size=320x180:rate=25:duration=2`,
          '-f',
          'lavfi',
          '-i',
          'sine=frequency=440:duration=2',
        ],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-output_ts_offset', String(n * 2), '-f', 'mpegts', file],
      ]);
      return file;
    });
    const output = path.join(dir, 'meeting.mp4');
    // the wall clock said 8 s from start to stop; the media holds 4 (the program ran at half speed)
    await joinSegments(segments, output, {
      wallMs: 8000,
      list: [
        { title: '1. Khai mạc', startMs: 0, endMs: 2000 },
        { title: '2. Thảo luận', startMs: 2000, endMs: 7000 },
        { title: '3. Kết luận', startMs: 7000, endMs: 8000 },
      ],
    });
    const joined = probe(output);
    const duration = Number(joined.format.duration);
    expect(duration).toBeLessThan(4.3);
    // each where its share of the wall clock falls in the media; the last, begun just before the stop, kept
    expect(joined.chapters.map((c) => [c.tags.title, Number(c.start_time), Number(c.end_time)])).toEqual([
      ['1. Khai mạc', 0, expect.closeTo(1, 1) as number],
      ['2. Thảo luận', expect.closeTo(1, 1) as number, expect.closeTo(3.5, 1) as number],
      ['3. Kết luận', expect.closeTo(3.5, 1) as number, expect.closeTo(duration, 1) as number],
    ]);
  });
});
