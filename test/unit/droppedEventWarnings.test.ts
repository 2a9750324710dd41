import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { DroppedEventWarnings } from '../../hub/realtime/DroppedEventWarnings.js';

describe('the warning about events sent without an acknowledgement', () => {
  it('is logged at most once per interval, with how many were dropped since', () => {
    vi.useFakeTimers();
    try {
      const warned: Array<Record<string, unknown>> = [];
      const log = { warn: (details: Record<string, unknown>) => warned.push(details) } as unknown as FastifyBaseLogger;
      const warnings = new DroppedEventWarnings(log, 10_000);
      for (let i = 0; i < 1000; i++) warnings.dropped('meeting:join', 'socket-1', 'xa-01');
      expect(warned).toHaveLength(1);
      vi.advanceTimersByTime(10_000);
      warnings.dropped('hand:raise', 'socket-2', 'xa-02');
      expect(warned).toHaveLength(2);
      expect(warned[1]).toMatchObject({ event: 'hand:raise', username: 'xa-02', alsoDroppedSinceLastWarning: 999 });
    } finally {
      vi.useRealTimers();
    }
  });
});
