import type { MeetingPeer } from './MeetingPeer.js';
import type { RoomConsumerCounts, RoomStats } from './MeetingRoomTypes.js';

/** Where a meeting's peers are and what the SFU forwards to each (`GET /api/meetings/:id/media`). */
export function roomStats(peers: Iterable<MeetingPeer>): RoomStats {
  const all = [...peers];
  const byWorker = new Map<number, { routerId: string; workerIndex: number; peers: number }>();
  for (const peer of all) {
    const entry = byWorker.get(peer.workerIndex) ?? { routerId: peer.router.id, workerIndex: peer.workerIndex, peers: 0 };
    entry.peers++;
    byWorker.set(peer.workerIndex, entry);
  }
  const sites = all.map((peer) => ({ code: peer.identity.bridgePointCode, consumers: consumerCounts([peer]) }));
  return { routers: [...byWorker.values()], consumers: consumerCounts(all), sites };
}

/** What the SFU holds for these viewers, and what it sends them now (resumed, and their producer not paused). */
function consumerCounts(peers: Iterable<MeetingPeer>): RoomConsumerCounts {
  const counts: RoomConsumerCounts = { total: 0, video: 0, audio: 0, forwardedVideo: 0, forwardedAudio: 0 };
  for (const peer of peers)
    for (const consumer of peer.consumers.values()) {
      counts.total++;
      counts[consumer.kind]++;
      if (!consumer.paused && !consumer.producerPaused) counts[consumer.kind === 'video' ? 'forwardedVideo' : 'forwardedAudio']++;
    }
  return counts;
}
