import type { MeetingPeer, MeetingRoom } from '../../media-server/index.js';
import type { ProgramSource } from '../../shared/program.js';

/** What of the meeting the program's choice points at now. */
export interface ProgramChoice {
  source: ProgramSource;
  presenterCode: string | null;
  floorCode: string | null;
  spotlightCode: string | null;
  hostCode: string;
}

export interface ShownSource {
  producerId: string;
  /** The site (or feed) it belongs to, and its peer in the room. */
  code: string;
  peerId: string;
}

/**
 * The video the program shows: the presentation (a site's screen; a feed that presents, its own
 * picture), the floor's or the spotlight's camera, as the chair chose; otherwise, and whenever the
 * choice has nobody, the active speaker's camera. In a silence the last one shown stays; with none
 * yet, the host site's, or any camera that sends.
 */
export function shownSource(room: MeetingRoom, choice: ProgramChoice, currentProducerId: string | undefined): ShownSource | null {
  const peers = [...room.peers];
  const byCode = (code: string | null) => (code ? peers.find((p) => p.identity.bridgePointCode === code) : undefined);
  const video = (peer: MeetingPeer | undefined, source: 'camera' | 'screen'): ShownSource | null => {
    if (!peer) return null;
    for (const producer of peer.producers.values())
      if (producer.appData.source === source && !producer.closed && !producer.paused)
        return { producerId: producer.id, code: peer.identity.bridgePointCode, peerId: peer.id };
    return null;
  };
  const chosen =
    choice.source === 'presentation'
      ? (video(byCode(choice.presenterCode), 'screen') ?? video(byCode(choice.presenterCode), 'camera'))
      : choice.source === 'floor'
        ? video(byCode(choice.floorCode), 'camera')
        : choice.source === 'spotlight'
          ? video(byCode(choice.spotlightCode), 'camera')
          : null;
  if (chosen) return chosen;
  const speaker = video(
    peers.find((p) => p.id === room.activeSpeakerPeerId),
    'camera',
  );
  if (speaker) return speaker;
  const current = peers.find((p) => currentProducerId !== undefined && p.producers.has(currentProducerId));
  if (current) {
    const producer = current.producers.get(currentProducerId!)!;
    if (producer.appData.source === 'camera' && !producer.closed && !producer.paused)
      return { producerId: producer.id, code: current.identity.bridgePointCode, peerId: current.id };
  }
  return video(byCode(choice.hostCode), 'camera') ?? peers.map((p) => video(p, 'camera')).find((v) => v !== null) ?? null;
}

/** The presentation now: the presenting site's screen (a feed presenting its own picture has none), else null. */
export function presentationSource(room: MeetingRoom, presenterCode: string | null): ShownSource | null {
  if (presenterCode === null) return null;
  for (const peer of room.peers) {
    if (peer.identity.bridgePointCode !== presenterCode) continue;
    for (const producer of peer.producers.values())
      if (producer.appData.source === 'screen' && !producer.closed)
        return { producerId: producer.id, code: presenterCode, peerId: peer.id };
  }
  return null;
}

/**
 * What the site shown in the program (a SIP call) is sent instead of itself, as an MCU shows the current speaker
 * the previous one: the source shown before it while it still sends, else the host's camera, else any other.
 */
export function speakerViewSource(
  room: MeetingRoom,
  viewerPeerId: string,
  previous: ShownSource | null,
  hostCode: string,
): ShownSource | null {
  const peers = [...room.peers].filter((p) => p.id !== viewerPeerId);
  const sending = (peer: MeetingPeer | undefined, producerId?: string): ShownSource | null => {
    if (!peer) return null;
    for (const producer of peer.producers.values())
      if ((producerId ? producer.id === producerId : producer.appData.source === 'camera') && !producer.closed && !producer.paused)
        return { producerId: producer.id, code: peer.identity.bridgePointCode, peerId: peer.id };
    return null;
  };
  return (
    (previous
      ? sending(
          peers.find((p) => p.id === previous.peerId),
          previous.producerId,
        )
      : null) ??
    sending(peers.find((p) => p.identity.bridgePointCode === hostCode)) ??
    peers.map((p) => sending(p)).find((v) => v !== null) ??
    null
  );
}
