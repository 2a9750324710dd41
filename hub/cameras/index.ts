/** cameras/: the counter cameras over REST (devices, recordings, playback, wall layouts) and the camera wall's socket events. */
export { cameraRoutes } from './cameraRoutes.js';
export { CameraWallSignalling } from './CameraWallSignalling.js';
export type { WallEvent } from './CameraWallSignalling.js';
export { counterRoutes } from './counterRoutes.js';
export { motionRoutes } from './motionRoutes.js';
export { recordingRoutes } from './recordingRoutes.js';
export { wallLayoutRoutes } from './wallLayoutRoutes.js';
