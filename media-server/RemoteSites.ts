import type { types } from 'mediasoup';
import { MeetingPeer } from './MeetingPeer.js';
import type { PeerIdentity, ProducerAppData } from './MeetingRoomTypes.js';

/**
 * A meeting's sites on other hub nodes as this node's room sees them: the producers it imported
 * (NodePipes), each owned by a peer without transports on the home router, so the room consumes them
 * like its own; and, for this node's cameras, the layers the other nodes' viewers need (Dynacast keeps
 * those encoded).
 */
export class RemoteSites {
  readonly #peers = new Map<string, MeetingPeer>();
  /** producer → importing node → the highest layer its viewers need. */
  readonly #neededOnNodes = new Map<string, Map<string, number>>();

  /** The peer owning an imported producer (created on the home router on its first producer). */
  adopt(producer: types.Producer<ProducerAppData>, identity: PeerIdentity, home: { router: types.Router; workerIndex: number }): void {
    let peer = this.#peers.get(identity.peerId);
    if (!peer) {
      peer = new MeetingPeer(identity, home.router, home.workerIndex);
      this.#peers.set(identity.peerId, peer);
    }
    const owner = peer;
    owner.producers.set(producer.id, producer);
    producer.observer.on('close', () => {
      owner.producers.delete(producer.id);
      if (owner.producers.size === 0 && this.#peers.get(owner.id) === owner) this.#peers.delete(owner.id);
    });
  }

  owner(producerId: string): MeetingPeer | undefined {
    for (const peer of this.#peers.values()) if (peer.producers.has(producerId)) return peer;
    return undefined;
  }

  /** The highest layer of one of this node's cameras that another node's viewers need (-1: none). */
  neededElsewhere(producerId: string): number {
    return Math.max(-1, ...(this.#neededOnNodes.get(producerId)?.values() ?? []));
  }

  /** What a node's viewers need of one of this node's cameras now (null: nothing any more). */
  setNeeded(producerId: string, nodeId: string, layer: number | null): void {
    let needs = this.#neededOnNodes.get(producerId);
    if (layer !== null) {
      if (!needs) this.#neededOnNodes.set(producerId, (needs = new Map<string, number>()));
      needs.set(nodeId, layer);
    } else {
      needs?.delete(nodeId);
      if (needs?.size === 0) this.#neededOnNodes.delete(producerId);
    }
  }
}
