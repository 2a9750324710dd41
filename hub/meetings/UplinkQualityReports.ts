import type { FastifyBaseLogger } from 'fastify';
import type { MediaServer } from '../../media-server/index.js';
import type { LiveMeetingRegistry } from './LiveMeetingsTypes.js';
import { channels, type HubServer } from '../realtime/index.js';

/**
 * Every `intervalMs`, the chair of each live meeting is sent the uplink quality of the sites whose media
 * this node receives (with several nodes, each sends its own sites': the chair's page merges them).
 */
export class UplinkQualityReports {
  readonly #timer: NodeJS.Timeout;

  constructor(deps: { io: HubServer; media: MediaServer; log: FastifyBaseLogger; meetings: LiveMeetingRegistry }, intervalMs: number) {
    this.#timer = setInterval(() => {
      this.#send(deps).catch((err: unknown) => deps.log.error({ err }, 'sending uplink quality failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #send({ io, media, meetings }: { io: HubServer; media: MediaServer; meetings: LiveMeetingRegistry }): Promise<void> {
    for (const live of await meetings.loaded()) {
      if (live.status !== 'LIVE') continue;
      const room = await media.existingRoom(live.id);
      if (!room) continue;
      const sites = await Promise.all(
        [...room.peers].map(async (peer) => ({
          code: peer.identity.bridgePointCode,
          ...(await room.uplinkQuality(peer.id).catch(() => ({ lossPercent: 0, bitrateKbps: 0 }))),
        })),
      );
      io.to(channels.chair(live.id)).emit('meeting:quality', { sites });
    }
  }
}
