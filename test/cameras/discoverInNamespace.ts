/**
 * Run inside a fresh network namespace (see cameras.test.ts): simulated ONVIF devices answer
 * WS-Discovery on the namespace's loopback, and a hub's admin asks to discover them.
 * Prints one JSON line: what the discovery route answered.
 */
import fs from 'node:fs';
import { OnvifSimulator, type SimulatedCamera } from '../../camera-gateway/simulator/OnvifSimulator.js';
import { startTestHub } from '../integration/helpers.js';
import { removeTestTempDirs } from '../support/tempDirs.js';

const cameras: SimulatedCamera[] = [1, 2, 3].map((n) => ({
  id: `cam${n}`,
  name: `Quay ${n}`,
  location: 'Trung tâm Phục vụ hành chính công',
  username: 'onvif',
  password: `secret-${n}`,
  streams: { main: `rtsp://127.0.0.1:9/cam${n}/main`, sub: `rtsp://127.0.0.1:9/cam${n}/sub` },
  encoding: 'H264',
  ptz: false,
  presets: [],
}));
const simulator = new OnvifSimulator(cameras, { snapshot: fs.readFileSync(process.argv[2]!) });
// a process of its own (no vitest set-up file here): it removes its temp dirs itself, also on failure
try {
  await simulator.start(0, { discovery: true });
  await discover();
} finally {
  await simulator.stop();
  removeTestTempDirs();
}
process.exit(0);

async function discover(): Promise<void> {
  const hub = await startTestHub();
  try {
    const admin = await hub.login('admin');
    const registered = await hub.api('POST', '/api/cameras', {
      token: admin,
      body: {
        name: 'Quầy 1',
        unitName: 'TTPVHCC',
        counter: 'Quầy 1',
        onvifAddress: simulator.xaddr('cam1'),
        username: 'onvif',
        password: 'secret-1',
      },
    });
    const found = await hub.api('POST', '/api/cameras/discover', { token: admin });
    console.log(JSON.stringify({ registered: registered.status, found: found.body, xaddrs: cameras.map((c) => simulator.xaddr(c.id)) }));
  } finally {
    await hub.close();
  }
}
