import type { LiveMeeting, LiveMeetingRegistry } from '../meetings/index.js';

export interface DeadNodeSitesDeps {
  reconnectGraceMs: number;
  meetings: Pick<LiveMeetingRegistry, 'changed'>;
  absent(live: LiveMeeting, code: string, at: Date): Promise<void>;
  log: { error(details: object, message: string): void };
}

/**
 * The home's sites that were on a node that died: "reconnecting" for the attendance grace (they join
 * again through the balancer, their attendance continuing), then "left" and absent from when their node
 * was last heard of, as a site whose connection dropped on this node would be.
 */
export class DeadNodeSites {
  readonly #deps: DeadNodeSitesDeps;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(deps: DeadNodeSitesDeps) {
    this.#deps = deps;
  }

  gone(live: LiveMeeting, codes: string[], lastSeenAt: Date): void {
    for (const code of codes) {
      if (live.presence(code) !== 'connected') continue;
      live.setPresence(code, 'reconnecting');
      const key = `${live.id}|${code}`;
      clearTimeout(this.#timers.get(key));
      const timer = setTimeout(
        () => {
          this.#timers.delete(key);
          if (live.presence(code) !== 'reconnecting') return;
          live.setPresence(code, 'left');
          this.#deps.meetings.changed(live);
          this.#deps
            .absent(live, code, lastSeenAt)
            .catch((err: unknown) =>
              this.#deps.log.error({ err, meetingId: live.id, code }, 'closing the attendance of a site lost with its node failed'),
            );
        },
        Math.max(0, lastSeenAt.getTime() + this.#deps.reconnectGraceMs - Date.now()),
      );
      timer.unref();
      this.#timers.set(key, timer);
    }
  }

  /** The site is heard of again (it joined on a node alive). */
  back(meetingId: string, code: string): void {
    const key = `${meetingId}|${code}`;
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
