/**
 * What the Government's MCU called over SIP costs the hub, and how soon its picture is there. N instances
 * of Debian's baresip play MCUs (each answers by itself and sends a 640×360 25 fps H.264 picture and an Opus
 * tone over SRTP), called as `sip` feeds of one live meeting by a hub in this process (one worker).
 * Per call: the time from the hub's dial (the feed added) to the first video packet the SFU receives from it
 * (baresip's first frame is a key frame). Then the worker's and the hub's Node CPU over 30 s with every call
 * up, against 30 s with none. baresip's own CPU (the far end's encoder) is not the hub's and is left out.
 *   npm run bench:sip -- --calls 5
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { feedCode, type IngestCreatedDto } from '../shared/meetings.js';
import { Baresip } from '../test/support/baresip.js';
import { freeUdpAndTcpPort } from '../test/support/freePort.js';
import { startFeedBenchHub } from './feedHub.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '5' }, seconds: { type: 'string', default: '30' } } });
const calls = Number(values.calls);
const windowS = Number(values.seconds);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

const ticksOf = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

/** The worker's and this process's CPU over the window, in percent of one core. */
async function cpuOver(workerPid: number): Promise<{ worker: number; node: number }> {
  const workerBefore = ticksOf(workerPid);
  const nodeBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
  const node = process.cpuUsage(nodeBefore);
  return {
    worker: ((ticksOf(workerPid) - workerBefore) / ticksPerSecond / windowS) * 100,
    node: ((node.user + node.system) / 1e6 / windowS) * 100,
  };
}

const sipPort = await freeUdpAndTcpPort();
const hub = await startFeedBenchHub('sip', {
  sip: { port: sipPort, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', allowed: ['127.0.0.0/8'] },
});
const mcus: Baresip[] = [];
try {
  const meeting = await hub.liveMeeting();
  const workerPid = hub.media.workerPool.workers[0]!.worker.pid;
  const idle = await cpuOver(workerPid);

  const firstPacketMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    const mcu = await Baresip.start({
      address: `127.0.0.${10 + i}`,
      sipPort: await freeUdpAndTcpPort(),
      user: 'mcu',
      colour: '0x2080d0',
      toneHz: 440 + 20 * i,
      controlPort: await freeUdpAndTcpPort(),
    });
    mcus.push(mcu);
    const dialledAt = performance.now();
    const feed = await hub.call<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
      name: `MCU ${i + 1}`,
      kind: 'sip',
      source: mcu.uri,
    });
    // the feed's video producer, polled every 10 ms until it has received a packet
    for (;;) {
      // the room is made when its first peer joins: the first feed's
      const room = await hub.media.existingRoom(meeting.id);
      const peer = [...(room?.peers ?? [])].find((p) => p.identity.bridgePointCode === feedCode(feed.id));
      const video = peer && [...peer.producers.values()].find((p) => p.kind === 'video');
      const stats = video ? await video.getStats() : [];
      if (stats.some((s) => s.packetCount > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    firstPacketMs.push(performance.now() - dialledAt);
  }
  const busy = await cpuOver(workerPid);
  const sorted = [...firstPacketMs].sort((a, b) => a - b);
  console.log(`${calls} SIP calls (baresip as the MCU, 640×360 H.264 + Opus over SRTP, forwarded as sent):`);
  console.log(
    `  dial → first video packet at the SFU: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} (${firstPacketMs.map((ms) => ms.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  worker CPU: ${idle.worker.toFixed(2)}% of a core with no call, ${busy.worker.toFixed(2)}% with ${calls}: ${((busy.worker - idle.worker) / calls).toFixed(2)}% per call`,
  );
  console.log(
    `  hub Node CPU: ${idle.node.toFixed(2)}% with no call, ${busy.node.toFixed(2)}% with ${calls}: ${((busy.node - idle.node) / calls).toFixed(2)}% per call`,
  );
} finally {
  for (const mcu of mcus) await mcu.stop();
  await hub.close();
}
process.exit(0);
