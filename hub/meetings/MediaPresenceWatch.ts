import type { FastifyBaseLogger } from 'fastify';
import type { LiveMeeting } from './LiveMeeting.js';
import type { Session } from '../realtime/index.js';

type AdmittedSession = Session & { media: NonNullable<Session['media']> };

export interface MediaPresenceWatchOptions {
  /** The sites in a meeting's media room now. */
  sessions: () => Iterable<AdmittedSession>;
  broadcast(live: LiveMeeting): void;
  log: FastifyBaseLogger;
  intervalMs?: number;
  /** No byte on any of a site's transports for this long: it shows "reconnecting". */
  silentAfterMs?: number;
}

/**
 * Media tells that a site is gone before signalling does: a browser's transports receive something every
 * second or two even with camera and microphone off (RTCP reports, ICE consent checks). Each admitted site's
 * received bytes are read every `intervalMs`: bytes that grew since the previous read say the site was there
 * when that read came back (its presence ends there if it never comes back: never later than its last
 * packet); silent for `silentAfterMs`, it shows "reconnecting" to everyone, and "connected" again when bytes flow.
 */
export class MediaPresenceWatch {
  readonly #options: Required<MediaPresenceWatchOptions>;
  /** peerId → its transports' received bytes, when they last grew, and when they were last read. */
  readonly #received = new Map<string, { bytes: number; grewAt: number; readAt: number }>();
  readonly #timer: NodeJS.Timeout;
  #checking = false;

  constructor(options: MediaPresenceWatchOptions) {
    this.#options = { intervalMs: 1000, silentAfterMs: 3000, ...options };
    this.#timer = setInterval(() => this.#tick(), this.#options.intervalMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    // a slow worker must not pile up checks
    if (this.#checking) return;
    this.#checking = true;
    this.#check()
      .catch((err: unknown) => this.#options.log.error({ err }, 'checking the sites’ media failed'))
      .finally(() => {
        this.#checking = false;
      });
  }

  async #check(): Promise<void> {
    const sessions = [...this.#options.sessions()];
    const present = new Set(sessions.map((s) => s.media.peerId));
    for (const peerId of this.#received.keys()) if (!present.has(peerId)) this.#received.delete(peerId);
    await Promise.all(
      sessions.map(async (session) => {
        const { peerId } = session.media;
        // the peer left meanwhile (its room closed, its worker died): nothing to say of it
        const bytes = await session.media.room.receivedBytes(peerId).catch(() => undefined);
        const readAt = Date.now();
        if (bytes === undefined || session.media?.peerId !== peerId) return;
        const last = this.#received.get(peerId);
        if (!last || bytes > last.bytes) {
          this.#received.set(peerId, { bytes, grewAt: readAt, readAt });
          // something arrived after the previous read came back: the site was there then, at least
          if (last) session.lastSeenAt = Math.max(session.lastSeenAt, last.readAt);
          this.#setPresence(session, 'connected');
          return;
        }
        last.readAt = readAt;
        // silence counts once media flowed: transports still connecting (ICE over TCP takes a while) are not a loss
        if (last.bytes > 0 && readAt - last.grewAt >= this.#options.silentAfterMs) this.#setPresence(session, 'reconnecting');
      }),
    );
  }

  #setPresence(session: AdmittedSession, presence: 'connected' | 'reconnecting'): void {
    const { live, siteCode } = session;
    const current = live.presence(siteCode);
    if (current === presence || (current !== 'connected' && current !== 'reconnecting')) return;
    live.setPresence(siteCode, presence);
    this.#options.broadcast(live);
    this.#options.log.info(
      { meetingId: live.id, siteCode },
      presence === 'reconnecting' ? 'site’s media went silent' : 'site’s media is back',
    );
  }
}
