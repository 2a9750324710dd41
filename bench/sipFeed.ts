/**
 * What the Government's MCU called over SIP costs the hub, and how soon pictures flow both ways. N instances
 * of Debian's baresip play MCUs (each answers by itself and sends a 640×360 25 fps H.264 picture and an Opus
 * tone over SRTP), called as `sip` feeds of one live meeting by a hub in this process (one worker).
 * Per call: the time from the hub's dial (the feed added) to the first video packet the SFU receives from it
 * (baresip's first frame is a key frame), and to the first packet of the program's picture the SFU sends it.
 * Then, over 30 s with every call up against 30 s with none: the worker's and the hub's Node CPU, and the hub's
 * child processes by what they do: the program's decode and MPEG-TS encode (ffmpeg), its one H.264 encode for
 * the calls (GStreamer x264) and each call's mix-minus (GStreamer Opus). The program's picture is composed
 * once whatever the number of calls: the shared cost; what grows with the calls is the per-call cost.
 * baresip's own CPU (the far end's encoder) is not the hub's and is left out.
 * With two calls or more, a window is measured once the first is up too: what each further call adds, the program's
 * own work (its clock, decode and picture for the calls, which start with the first call) left out, is the per-call cost.
 * With `--dial-in`, the baresips call the meeting instead (its conference ID with the PIN in the address): each call
 * then has a router of its own on the calls' worker, whose CPU is counted with the meeting's worker, and the times
 * run from the dial.
 *   npm run bench:sip -- --calls 5
 *   npm run bench:sip -- --calls 5 --dial-in
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { MeetingPeer } from '../media-server/index.js';
import { feedCode, type IngestCreatedDto } from '../shared/meetings.js';
import { Baresip } from '../test/support/baresip.js';
import { freeUdpAndTcpPort } from '../test/support/freePort.js';
import { startFeedBenchHub } from './feedHub.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '30' },
    'dial-in': { type: 'boolean', default: false },
  },
});
const dialIn = values['dial-in'];
const calls = Number(values.calls);
const windowS = Number(values.seconds);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

const ticksOf = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

/** This process's children by what they do (their command line), with their CPU ticks so far. */
function childTicks(): Record<'composer' | 'pictureForCalls' | 'mixMinus', number> {
  const sums = { composer: 0, pictureForCalls: 0, mixMinus: 0 };
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1]!.split(' ')[1]) !== process.pid) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const kind = command.includes('x264enc')
        ? 'pictureForCalls'
        : command.includes('opusenc')
          ? 'mixMinus'
          : command.includes('ffmpeg')
            ? 'composer'
            : undefined;
      if (kind) sums[kind] += ticksOf(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return sums;
}

/** The workers' (the meeting's, and the calls' when there is one), this process's and its children's CPU over the window, in percent of one core. */
async function cpuOver(workerPids: () => Promise<number[]>) {
  const workersTicks = async () => {
    let sum = 0;
    for (const pid of await workerPids()) sum += ticksOf(pid);
    return sum;
  };
  const workerBefore = await workersTicks();
  const nodeBefore = process.cpuUsage();
  const childrenBefore = childTicks();
  await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
  const node = process.cpuUsage(nodeBefore);
  const childrenAfter = childTicks();
  const percent = (ticks: number) => (ticks / ticksPerSecond / windowS) * 100;
  return {
    worker: percent((await workersTicks()) - workerBefore),
    node: ((node.user + node.system) / 1e6 / windowS) * 100,
    composer: percent(childrenAfter.composer - childrenBefore.composer),
    pictureForCalls: percent(childrenAfter.pictureForCalls - childrenBefore.pictureForCalls),
    mixMinus: percent(childrenAfter.mixMinus - childrenBefore.mixMinus),
  };
}

const sipPort = await freeUdpAndTcpPort();
const hub = await startFeedBenchHub('sip', {
  // BFCP on any free port: the calls are told which
  sip: { port: sipPort, bfcpPort: 0, listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', allowed: ['127.0.0.0/8'] },
});
const mcus: Baresip[] = [];
try {
  const meeting = await hub.liveMeeting();
  // the calls' worker once the first call has made it (counted from the start of the window it ran in)
  let callsWorkerPid: number | undefined;
  const workerPids = async () => [hub.media.workerPool.workers[0]!.worker.pid, ...(callsWorkerPid ? [callsWorkerPid] : [])];
  const idle = await cpuOver(workerPids);
  const details = dialIn ? await hub.call<{ conferenceId: string; pin: string }>('GET', `/api/meetings/${meeting.id}/dial-in`) : undefined;

  let one: Awaited<ReturnType<typeof cpuOver>> | undefined;
  const firstPacketMs: number[] = [];
  const firstProgramMs: number[] = [];
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
    let callPeer: (peer: MeetingPeer) => boolean;
    if (details) {
      const known = new Set([...((await hub.media.existingRoom(meeting.id))?.peers ?? [])].map((peer) => peer.id));
      await mcu.command('dial', `sip:${details.conferenceId}*${details.pin}@127.0.0.1:${sipPort}`);
      // the call's site: the one feed-like peer that was not there before the dial
      let found: string | undefined;
      callPeer = (peer) => {
        if (found) return peer.id === found;
        if (known.has(peer.id) || !peer.identity.bridgePointCode.startsWith('FEED-')) return false;
        found = peer.id;
        return true;
      };
    } else {
      const feed = await hub.call<IngestCreatedDto>('POST', `/api/meetings/${meeting.id}/ingests`, {
        name: `MCU ${i + 1}`,
        kind: 'sip',
        source: mcu.uri,
      });
      callPeer = (peer) => peer.identity.bridgePointCode === feedCode(feed.id);
    }
    // the call's video producer, polled every 10 ms until it has received a packet
    for (;;) {
      // the room is made when its first peer joins: the first feed's
      const room = await hub.media.existingRoom(meeting.id);
      const peer = [...(room?.peers ?? [])].find(callPeer);
      const video = peer && [...peer.producers.values()].find((p) => p.kind === 'video');
      const stats = video ? await video.getStats() : [];
      if (stats.some((s) => s.packetCount > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    firstPacketMs.push(performance.now() - dialledAt);
    // the program's picture sent to the call: its consumer of the program on the feed's peer
    for (;;) {
      const room = await hub.media.existingRoom(meeting.id);
      const peer = [...(room?.peers ?? [])].find(callPeer);
      const picture = peer && [...peer.consumers.values()].find((c) => c.kind === 'video' && c.appData.producerPeerId === 'program');
      const stats = picture ? await picture.getStats() : [];
      if (stats.some((s) => s.type === 'outbound-rtp' && s.packetCount > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    firstProgramMs.push(performance.now() - dialledAt);
    if (dialIn) callsWorkerPid ??= (await hub.media.workerPool.callWorker()).pid;
    // with one call the program's own work has started (its clock, decode, the picture for calls): what each further
    // call adds is then its own
    if (i === 0 && calls > 1) one = await cpuOver(workerPids);
  }
  const busy = await cpuOver(workerPids);
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} (${values.map((ms) => ms.toFixed(0)).join(', ')})`;
  };
  const far = dialIn ? 'the room system' : 'the MCU';
  console.log(
    dialIn
      ? `${calls} SIP calls in (baresip as a room system dialling the meeting with its PIN, 640×360 H.264 + Opus over SRTP, forwarded as sent; the program sent back):`
      : `${calls} SIP calls (baresip as the MCU, 640×360 H.264 + Opus over SRTP, forwarded as sent; the program sent back):`,
  );
  console.log(`  dial → first video packet from ${far} at the SFU: ${summary(firstPacketMs)}`);
  console.log(`  dial → first packet of the program's picture sent to ${far}: ${summary(firstProgramMs)}`);
  console.log(
    `  shared, once for all calls: the program's decode (ffmpeg; its MPEG-TS encode runs only when pushed or recorded) ${busy.composer.toFixed(1)}% of a core, its H.264 for the calls (GStreamer) ${busy.pictureForCalls.toFixed(1)}%`,
  );
  console.log(
    `  mix-minus encoders (GStreamer Opus): ${busy.mixMinus.toFixed(2)}% in all, ${(busy.mixMinus / calls).toFixed(2)}% per call`,
  );
  console.log(
    `  worker CPU: ${idle.worker.toFixed(2)}% of a core with no call, ${busy.worker.toFixed(2)}% with ${calls}: ${((busy.worker - idle.worker) / calls).toFixed(2)}% per call`,
  );
  console.log(
    `  hub Node CPU (the program's clock and mix included): ${idle.node.toFixed(2)}% with no call, ${busy.node.toFixed(2)}% with ${calls}: ${((busy.node - idle.node) / calls).toFixed(2)}% per call`,
  );
  console.log(
    `  per call beyond the shared picture: ${((busy.worker - idle.worker + busy.node - idle.node + busy.mixMinus) / calls).toFixed(2)}% of a core (worker, Node and its mix-minus encoder)`,
  );
  if (one) {
    const further = calls - 1;
    const each = (key: 'worker' | 'node' | 'mixMinus') => (busy[key] - one[key]) / further;
    console.log(
      `  each call after the first (the program already running): worker ${each('worker').toFixed(2)}%, Node ${each('node').toFixed(2)}%, its mix-minus encoder ${each('mixMinus').toFixed(2)}%; in all ${(each('worker') + each('node') + each('mixMinus')).toFixed(2)}% of a core`,
    );
  }
} finally {
  for (const mcu of mcus) await mcu.stop();
  await hub.close();
}
process.exit(0);
