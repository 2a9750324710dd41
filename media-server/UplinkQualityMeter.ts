import type { types } from 'mediasoup';
import type { UplinkQuality } from './MeetingRoomTypes.js';

/**
 * A site's uplink as the SFU receives it, between two readings: the share of the packets its streams
 * should have delivered that never arrived (lost / expected, before NACK repair: what the link loses,
 * not what is left after retransmission), and the summed bitrate.
 */
export class UplinkQualityMeter {
  /** `${producerId}/${ssrc}` → the stream's totals at the last reading. */
  readonly #last = new Map<string, { lost: number; expected: number }>();

  async measure(producers: Iterable<types.Producer>): Promise<UplinkQuality> {
    let bitrate = 0;
    let lost = 0;
    let expected = 0;
    for (const producer of producers) {
      if (producer.paused) continue;
      for (const stat of await producer.getStats()) {
        bitrate += stat.bitrate;
        // packetCount includes repaired retransmissions; packetsLost counts what the first transmission missed
        const totals = { lost: stat.packetsLost, expected: stat.packetCount - stat.packetsRepaired + stat.packetsLost };
        const key = `${producer.id}/${stat.ssrc}`;
        const previous = this.#last.get(key) ?? { lost: 0, expected: 0 };
        this.#last.set(key, totals);
        lost += Math.max(0, totals.lost - previous.lost);
        expected += Math.max(0, totals.expected - previous.expected);
      }
    }
    return {
      lossPercent: expected > 0 ? Math.round((1000 * lost) / expected) / 10 : 0,
      bitrateKbps: Math.round(bitrate / 1000),
    };
  }

  forget(producerId: string): void {
    for (const key of this.#last.keys()) if (key.startsWith(`${producerId}/`)) this.#last.delete(key);
  }
}
