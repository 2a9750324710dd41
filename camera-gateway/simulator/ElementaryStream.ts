import fs from 'node:fs';

export type VideoCodec = 'H264' | 'H265';

/** One picture of a clip: its NAL units (without start codes), and whether it starts a GOP. */
export interface AccessUnit {
  nalUnits: Buffer[];
  keyFrame: boolean;
}

/** A pre-encoded clip as a camera's encoder would emit it, picture by picture. */
export interface ElementaryStream {
  codec: VideoCodec;
  frames: AccessUnit[];
  /** Parameter sets for the SDP (H.264: SPS, PPS; H.265: VPS, SPS, PPS). */
  parameterSets: { vps?: Buffer; sps: Buffer; pps: Buffer };
}

function splitNalUnits(data: Buffer): Buffer[] {
  const starts: Array<{ at: number; length: number }> = [];
  for (let i = 0; i + 3 <= data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0) {
      if (data[i + 2] === 1) starts.push({ at: i, length: 3 });
      else if (data[i + 2] === 0 && data[i + 3] === 1) starts.push({ at: i, length: 4 });
      else continue;
      i += starts.at(-1)!.length - 1;
    }
  }
  return starts
    .map((s, k) => data.subarray(s.at + s.length, k + 1 < starts.length ? starts[k + 1]!.at : data.length))
    .filter((n) => n.length > 0);
}

interface NalInfo {
  vcl: boolean;
  /** A VCL unit that begins a new picture (first slice). */
  firstSlice: boolean;
  keyFrame: boolean;
  type: number;
}

function h264Info(nal: Buffer): NalInfo {
  const type = nal[0]! & 0x1f;
  const vcl = type >= 1 && type <= 5;
  // first_mb_in_slice is ue(v): 0 is the single bit 1.
  return { type, vcl, firstSlice: vcl && (nal[1]! & 0x80) !== 0, keyFrame: type === 5 };
}

function h265Info(nal: Buffer): NalInfo {
  const type = (nal[0]! >> 1) & 0x3f;
  const vcl = type <= 31;
  return { type, vcl, firstSlice: vcl && (nal[2]! & 0x80) !== 0, keyFrame: type >= 16 && type <= 21 };
}

/** Reads an Annex-B file (ffmpeg `-f h264` / `-f hevc`) into access units. */
export function readElementaryStream(file: string, codec: VideoCodec): ElementaryStream {
  const info = codec === 'H264' ? h264Info : h265Info;
  const frames: AccessUnit[] = [];
  let current: AccessUnit = { nalUnits: [], keyFrame: false };
  let currentHasPicture = false;
  const parameterSets: Partial<ElementaryStream['parameterSets']> = {};
  for (const nal of splitNalUnits(fs.readFileSync(file))) {
    const unit = info(nal);
    // A non-VCL unit after a picture, or the first slice of another picture, opens the next unit.
    if (currentHasPicture && (!unit.vcl || unit.firstSlice)) {
      frames.push(current);
      current = { nalUnits: [], keyFrame: false };
      currentHasPicture = false;
    }
    current.nalUnits.push(nal);
    current.keyFrame ||= unit.keyFrame;
    currentHasPicture ||= unit.vcl;
    if (codec === 'H264') {
      if (unit.type === 7) parameterSets.sps ??= nal;
      if (unit.type === 8) parameterSets.pps ??= nal;
    } else {
      if (unit.type === 32) parameterSets.vps ??= nal;
      if (unit.type === 33) parameterSets.sps ??= nal;
      if (unit.type === 34) parameterSets.pps ??= nal;
    }
  }
  if (currentHasPicture) frames.push(current);
  if (!parameterSets.sps || !parameterSets.pps || !frames[0]?.keyFrame)
    throw new Error(`${file}: not an ${codec} stream that starts with a key frame`);
  return { codec, frames, parameterSets: parameterSets as ElementaryStream['parameterSets'] };
}

/** RTP payloads for one NAL unit: whole when it fits, else fragmentation units (RFC 6184 FU-A, RFC 7798 FU). */
export function packetize(codec: VideoCodec, nal: Buffer, maxPayload: number): Buffer[] {
  if (nal.length <= maxPayload) return [nal];
  const headerLength = codec === 'H264' ? 1 : 2;
  const indicator = codec === 'H264' ? Buffer.from([(nal[0]! & 0xe0) | 28]) : Buffer.from([(nal[0]! & 0x81) | (49 << 1), nal[1]!]);
  const type = codec === 'H264' ? nal[0]! & 0x1f : (nal[0]! >> 1) & 0x3f;
  const body = nal.subarray(headerLength);
  const chunk = maxPayload - headerLength - 1;
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += chunk) {
    const start = offset === 0 ? 0x80 : 0;
    const end = offset + chunk >= body.length ? 0x40 : 0;
    payloads.push(Buffer.concat([indicator, Buffer.from([start | end | type]), body.subarray(offset, offset + chunk)]));
  }
  return payloads;
}

/** The SDP attributes that describe the stream to a client (profile, parameter sets). */
export function sdpFormat(stream: ElementaryStream, payloadType: number): string[] {
  const { vps, sps, pps } = stream.parameterSets;
  if (stream.codec === 'H264') {
    const profileLevelId = sps.subarray(1, 4).toString('hex');
    return [
      `a=rtpmap:${payloadType} H264/90000`,
      `a=fmtp:${payloadType} packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}`,
    ];
  }
  return [
    `a=rtpmap:${payloadType} H265/90000`,
    `a=fmtp:${payloadType} sprop-vps=${vps?.toString('base64') ?? ''};sprop-sps=${sps.toString('base64')};sprop-pps=${pps.toString('base64')}`,
  ];
}
