import type { CameraSimulatorFarm } from '../camera-gateway/simulator/CameraSimulatorFarm.js';

/** The benches' registration of the farm's camera `i` (0-based): the same names and credentials in every bench. */
export function benchCamera(farm: CameraSimulatorFarm, i: number) {
  return { name: `Quầy ${i + 1}`, unitName: 'Bench', counter: `Quầy ${i + 1}`, ...farm.registration(i + 1) };
}
