/** Ogg pages' packets, less Opus's two header packets (OpusHead, OpusTags). */
export function readOggOpus(file: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  for (let offset = 0; offset + 27 <= file.length;) {
    if (file.toString('latin1', offset, offset + 4) !== 'OggS') throw new Error('not an Ogg stream');
    const segments = file[offset + 26]!;
    const table = file.subarray(offset + 27, offset + 27 + segments);
    let data = offset + 27 + segments;
    for (const size of table) {
      pending.push(file.subarray(data, data + size));
      data += size;
      // a segment shorter than 255 bytes ends its packet
      if (size < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    offset = data;
  }
  return packets.slice(2);
}
