/**
 * Run inside a lab host's namespace (see cameraDiscovery.spec.ts): simulated counter cameras that answer
 * WS-Discovery there, until the process is stopped. Prints one JSON line: their ONVIF addresses.
 */
import { OnvifSimulator, type SimulatedCamera } from '../../camera-gateway/simulator/OnvifSimulator.js';

const cameras: SimulatedCamera[] = [1, 2].map((n) => ({
  id: `vinhte${n}`,
  name: `Quay ${n}`,
  location: 'UBND xã Vĩnh Tế',
  username: 'onvif',
  password: `bí-mật-${n}`,
  streams: { main: `rtsp://127.0.0.1:9/vinhte${n}/main`, sub: `rtsp://127.0.0.1:9/vinhte${n}/sub` },
  encoding: 'H264',
  ptz: false,
  presets: [],
}));
const simulator = new OnvifSimulator(cameras, { snapshot: Buffer.alloc(0) });
await simulator.start(0, { discovery: true });
console.log(JSON.stringify({ xaddrs: cameras.map((c) => simulator.xaddr(c.id)) }));
const stop = () => {
  simulator.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
