import { describe, expect, it } from 'vitest';
import type { MeetingRoom } from '../../media-server/index.js';
import { RtpReorderBuffer } from '../../program/RtpReorderBuffer.js';
import { parseRtp, type RtpPacket } from '../../program/rtp.js';
import { VideoDepacketizer } from '../../program/VideoDepacketizer.js';
import { shownSource, speakerViewSource, type ProgramChoice } from '../../hub/program/shownSource.js';

const packet = (sequenceNumber: number, payload: number[], marker = false, timestamp = 1000): RtpPacket => ({
  payloadType: 96,
  sequenceNumber,
  timestamp,
  ssrc: 1,
  marker,
  payload: Buffer.from(payload),
});

describe('the program’s RTP', () => {
  it('parses RTP past its CSRCs, header extension and padding, and leaves RTCP out', () => {
    const rtp = Buffer.from([0xb1, 0xe0, 0, 7, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 1, 2, 3, 4, 0xaa, 0xbb, 0, 2]);
    expect(parseRtp(rtp)).toMatchObject({
      payloadType: 96,
      marker: true,
      sequenceNumber: 7,
      timestamp: 9,
      ssrc: 5,
      payload: Buffer.from([0xaa, 0xbb]),
    });
    expect(parseRtp(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0]))).toBeUndefined();
  });

  it('puts packets back in order, waits a moment for a late one, then goes on after the gap', () => {
    const order = new RtpReorderBuffer({ maxHoldMs: 100 });
    const seqs = (out: ReturnType<RtpReorderBuffer['push']>) => out.map((o) => `${o.packet.sequenceNumber}${o.afterGap ? '!' : ''}`);
    expect(seqs(order.push(packet(65535, []), 0))).toEqual(['65535']);
    expect(seqs(order.push(packet(1, []), 10))).toEqual([]);
    expect(seqs(order.push(packet(0, []), 20))).toEqual(['0', '1']);
    expect(seqs(order.push(packet(0, []), 30))).toEqual([]); // a duplicate
    expect(seqs(order.push(packet(3, []), 40))).toEqual([]); // 2 is late…
    expect(seqs(order.push(packet(4, []), 200))).toEqual(['3!', '4']); // …and given up
    expect(seqs(order.push(packet(2, []), 210))).toEqual([]); // too late
  });

  it('reassembles H.264 (STAP-A, FU-A) as Annex B, knows a key frame, and reports a frame with a piece missing', () => {
    const h264 = new VideoDepacketizer('h264');
    const sps = [0x67, 1, 2];
    const pps = [0x68, 3];
    const stapA = [0x78, 0, sps.length, ...sps, 0, pps.length, ...pps];
    expect(h264.push({ packet: packet(1, stapA), afterGap: false })).toBeUndefined();
    expect(h264.push({ packet: packet(2, [0x7c, 0x85, 0xa1]), afterGap: false })).toBeUndefined();
    const frame = h264.push({ packet: packet(3, [0x7c, 0x45, 0xa2], true), afterGap: false });
    expect(frame).toEqual({ keyFrame: true, data: Buffer.from([0, 0, 0, 1, ...sps, 0, 0, 0, 1, ...pps, 0, 0, 0, 1, 0x65, 0xa1, 0xa2]) });
    // the next frame's middle fragment is lost
    expect(h264.push({ packet: packet(4, [0x7c, 0x81, 1], false, 2000), afterGap: false })).toBeUndefined();
    expect(h264.push({ packet: packet(6, [0x7c, 0x41, 3], true, 2000), afterGap: true })).toBe('lost');
    expect(h264.push({ packet: packet(7, [0x41, 9], true, 3000), afterGap: false })).toEqual({
      keyFrame: false,
      data: Buffer.from([0, 0, 0, 1, 0x41, 9]),
    });
  });

  it('reassembles VP8 past its payload descriptor, and knows a key frame', () => {
    const vp8 = new VideoDepacketizer('vp8');
    // X, S, PID 0; I with a 15-bit picture id; L; T
    expect(vp8.push({ packet: packet(1, [0x90, 0xe0, 0x80, 0x01, 0x05, 0x20, 0x10, 0x02], false), afterGap: false })).toBeUndefined();
    expect(vp8.push({ packet: packet(2, [0x80, 0xe0, 0x80, 0x01, 0x05, 0x20, 0x03], true), afterGap: false })).toEqual({
      keyFrame: true,
      data: Buffer.from([0x10, 0x02, 0x03]),
    });
    expect(vp8.push({ packet: packet(3, [0x10, 0x11], true, 4000), afterGap: false })).toEqual({
      keyFrame: false,
      data: Buffer.from([0x11]),
    });
    // a frame whose first packet is missing
    expect(vp8.push({ packet: packet(5, [0x00, 0x12], true, 5000), afterGap: false })).toBe('lost');
  });
});

describe('what the program shows', () => {
  const producer = (id: string, source: 'camera' | 'screen', paused = false) => ({ id, closed: false, paused, appData: { source } });
  const peer = (id: string, code: string, producers: Array<ReturnType<typeof producer>>) => ({
    id,
    identity: { bridgePointCode: code },
    producers: new Map(producers.map((p) => [p.id, p])),
  });
  const room = (activeSpeakerPeerId: string | null) =>
    ({
      activeSpeakerPeerId,
      peers: [
        peer('p1', 'UBND-TINH', [producer('cam-host', 'camera')]),
        peer('p2', 'SO-NV', [producer('cam-nv', 'camera'), producer('screen-nv', 'screen')]),
        peer('p3', 'XA-01', [producer('cam-xa', 'camera')]),
        peer('p4', 'FEED-1A2B3C4D', [producer('cam-feed', 'camera')]),
        peer('p5', 'XA-02', [producer('cam-off', 'camera', true)]),
      ],
    }) as unknown as MeetingRoom;
  const choice = (over: Partial<ProgramChoice>): ProgramChoice => ({
    source: 'speaker',
    presenterCode: null,
    floorCode: null,
    spotlightCode: null,
    hostCode: 'UBND-TINH',
    ...over,
  });

  it('follows the chair’s choice, and the active speaker when the choice has nobody', () => {
    expect(shownSource(room('p3'), choice({}), undefined)).toEqual({ producerId: 'cam-xa', code: 'XA-01', peerId: 'p3' });
    expect(shownSource(room('p3'), choice({ source: 'presentation', presenterCode: 'SO-NV' }), undefined)?.producerId).toBe('screen-nv');
    // a feed presents its own picture
    expect(shownSource(room('p3'), choice({ source: 'presentation', presenterCode: 'FEED-1A2B3C4D' }), undefined)?.producerId).toBe(
      'cam-feed',
    );
    expect(shownSource(room('p3'), choice({ source: 'floor', floorCode: 'SO-NV' }), undefined)?.producerId).toBe('cam-nv');
    expect(shownSource(room('p3'), choice({ source: 'spotlight', spotlightCode: 'FEED-1A2B3C4D' }), undefined)?.producerId).toBe(
      'cam-feed',
    );
    expect(shownSource(room('p3'), choice({ source: 'presentation' }), undefined)?.producerId).toBe('cam-xa');
    // a camera switched off is not shown: the host site's instead
    expect(shownSource(room(null), choice({ source: 'floor', floorCode: 'XA-02' }), undefined)?.producerId).toBe('cam-host');
  });

  it('keeps the last speaker’s camera in a silence', () => {
    expect(shownSource(room(null), choice({}), 'cam-xa')?.producerId).toBe('cam-xa');
    expect(shownSource(room(null), choice({}), 'screen-nv')?.producerId).toBe('cam-host');
  });

  it('shows the SIP call that speaks the previous speaker, never itself: else the host, else another camera', () => {
    const previous = { producerId: 'cam-xa', code: 'XA-01', peerId: 'p3' };
    expect(speakerViewSource(room('p4'), 'p4', previous, 'UBND-TINH')?.producerId).toBe('cam-xa');
    // the previous one shown was a presentation: still its screen, as the program showed it
    expect(speakerViewSource(room('p4'), 'p4', { producerId: 'screen-nv', code: 'SO-NV', peerId: 'p2' }, 'UBND-TINH')?.producerId).toBe(
      'screen-nv',
    );
    // nobody before it, or the previous one left: the host's camera
    expect(speakerViewSource(room('p4'), 'p4', null, 'UBND-TINH')?.producerId).toBe('cam-host');
    expect(speakerViewSource(room('p4'), 'p4', { producerId: 'cam-gone', code: 'XA-09', peerId: 'p9' }, 'UBND-TINH')?.producerId).toBe(
      'cam-host',
    );
    // the call is the host: another site's camera, never its own
    expect(speakerViewSource(room('p1'), 'p1', null, 'UBND-TINH')?.producerId).toBe('cam-nv');
  });
});
