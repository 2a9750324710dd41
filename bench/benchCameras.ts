import type { CameraSimulatorFarm } from '../camera-gateway/simulator/CameraSimulatorFarm.js';

/** The benches' registration of the farm's camera `i` (0-based): the same names and credentials in every bench. */
export function benchCamera(farm: CameraSimulatorFarm, i: number) {
  const camera = farm.cameras[i]!;
  return {
    name: `Quầy ${i + 1}`,
    unitName: 'Bench',
    counter: `Quầy ${i + 1}`,
    onvifAddress: farm.xaddr(i + 1),
    username: camera.username,
    password: camera.password,
  };
}
