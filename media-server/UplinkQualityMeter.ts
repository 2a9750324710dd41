import type { types } from 'mediasoup';
import type { UplinkQuality } from './MeetingRoomTypes.js';

interface StreamTotals {
  at: number;
  lost: number;
  expected: number;
}

/**
 * A site's uplink as the SFU receives it: the share of the packets its streams should have delivered over
 * the last `windowMs` that never arrived (lost / expected, before NACK repair: what the line loses, not what
 * is left after retransmission), and the summed bitrate now. The window smooths what the worker's counters
 * allow: it counts losses once per RTCP report, packets as they come.
 */
export class UplinkQualityMeter {
  readonly #windowMs: number;
  /** `${producerId}/${ssrc}` → the stream's totals at each reading within the window, oldest first. */
  readonly #history = new Map<string, StreamTotals[]>();

  constructor(windowMs = 10_000) {
    this.#windowMs = windowMs;
  }

  async measure(producers: Iterable<types.Producer>, now = Date.now()): Promise<UplinkQuality> {
    let bitrate = 0;
    let lost = 0;
    let expected = 0;
    for (const producer of producers) {
      if (producer.paused) continue;
      for (const stat of await producer.getStats()) {
        bitrate += stat.bitrate;
        // packetCount includes repaired retransmissions; packetsLost counts what the first transmission missed
        const totals = { at: now, lost: stat.packetsLost, expected: stat.packetCount - stat.packetsRepaired + stat.packetsLost };
        const key = `${producer.id}/${stat.ssrc}`;
        const history = (this.#history.get(key) ?? []).filter((h) => h.at >= now - this.#windowMs);
        const oldest = history[0];
        history.push(totals);
        this.#history.set(key, history);
        if (!oldest) continue;
        lost += Math.max(0, totals.lost - oldest.lost);
        expected += Math.max(0, totals.expected - oldest.expected);
      }
    }
    return {
      lossPercent: expected > 0 ? Math.round((1000 * lost) / expected) / 10 : 0,
      bitrateKbps: Math.round(bitrate / 1000),
    };
  }

  forget(producerId: string): void {
    for (const key of this.#history.keys()) if (key.startsWith(`${producerId}/`)) this.#history.delete(key);
  }
}
