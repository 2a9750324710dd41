/** camera-gateway/simulator/: simulated counters' cameras (RTSP + ONVIF) for demos, tests and benches. */
export { CameraSimulatorFarm, ensureClips, sampleCounterNames } from './CameraSimulatorFarm.js';
export type { FarmOptions } from './CameraSimulatorFarm.js';
export { SampleCameraProcess } from './SampleCameraProcess.js';
export type { SampleCameraProcessEvents } from './SampleCameraProcess.js';
export type { SampleCamera, SampleFarmRequest } from './sampleCameraMessages.js';
export { cameraScenes, ensureScenes, staffZone, waitingZone } from './CameraScenes.js';
export type { CameraScene } from './CameraScenes.js';
