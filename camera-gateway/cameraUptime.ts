import type { CameraStatus, CameraUptimeRow } from '../shared/cameras.js';

interface CameraRowForUptime {
  id: number;
  name: string;
  unitName: string;
}

interface StatusEvent {
  cameraId: number;
  status: CameraStatus;
  at: Date;
}

/** Share of [from, to) each camera was online, from its status changes (oldest first). */
export function uptimeOf(
  cameras: CameraRowForUptime[],
  events: StatusEvent[],
  from: Date,
  to: Date,
): Array<Omit<CameraUptimeRow, 'tamperEvents'>> {
  return cameras.map((row) => {
    const own = events.filter((e) => e.cameraId === row.id);
    let status: CameraStatus | null = null;
    let cursor = from.getTime();
    let online = 0;
    let observed = 0;
    let offlineEvents = 0;
    for (const event of own) {
      const at = Math.max(event.at.getTime(), from.getTime());
      if (status !== null && at > cursor) {
        observed += at - cursor;
        if (status === 'ONLINE') online += at - cursor;
      }
      if (event.at >= from && (event.status === 'OFFLINE' || event.status === 'STALLED')) offlineEvents++;
      status = event.status;
      cursor = Math.max(cursor, at);
    }
    const end = Math.min(to.getTime(), Date.now());
    if (status !== null && end > cursor) {
      observed += end - cursor;
      if (status === 'ONLINE') online += end - cursor;
    }
    return { id: row.id, name: row.name, unitName: row.unitName, uptime: observed > 0 ? online / observed : null, offlineEvents };
  });
}
