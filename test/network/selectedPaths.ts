import type { Page } from '@playwright/test';

/** One end of the candidate pair a connection is using, as `getStats()` reports it. */
export interface PathEnd {
  candidateType: string;
  protocol: string;
  address: string;
  /** For a relayed local candidate: how the browser reaches the TURN server (udp, tcp, tls). */
  relayProtocol?: string;
}

export interface SelectedPath {
  local: PathEnd;
  remote: PathEnd;
}

/**
 * The candidate pair each open peer connection of the page ended up on (window.__pcs, see test/browser.ts).
 * (No named functions inside the page function: tsx, which runs the benchmarks, would wrap them in a helper
 * the page does not have.)
 */
export function selectedPaths(page: Page): Promise<SelectedPath[]> {
  return page.evaluate(async () => {
    type Stat = Record<string, unknown> & { type: string; id: string };
    const paths: SelectedPath[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = new Map<string, Stat>();
      (await pc.getStats()).forEach((s: Stat) => stats.set(s.id, s));
      for (const transport of stats.values()) {
        if (transport.type !== 'transport' || typeof transport.selectedCandidatePairId !== 'string') continue;
        const pair = stats.get(transport.selectedCandidatePairId);
        const [local, remote] = [pair?.localCandidateId, pair?.remoteCandidateId].map((id) => stats.get(String(id)));
        paths.push({
          local: {
            candidateType: local?.candidateType,
            protocol: local?.protocol,
            address: local?.address,
            relayProtocol: local?.relayProtocol,
          },
          remote: { candidateType: remote?.candidateType, protocol: remote?.protocol, address: remote?.address },
        } as SelectedPath);
      }
    }
    return paths;
  });
}
