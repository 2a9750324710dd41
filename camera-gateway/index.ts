/** camera-gateway/: ONVIF cameras (node-onvif) and their RTSP streams remuxed into the SFU (ffmpeg). */
export { CameraGateway } from './CameraGateway.js';
export type { CameraGatewayEvents } from './CameraGateway.js';
export { CredentialCipher } from './CredentialCipher.js';
export { OnvifClient } from './OnvifClient.js';
export { CameraUriPolicy } from './CameraUriPolicy.js';
export { CameraNotFoundError, CameraSnapshotError, CameraUnreachableError, CameraUriRefusedError } from './errors.js';
export type { CameraRefusalCode } from './errors.js';
export type { SnapshotLimits } from './SnapshotFetcher.js';
export type { FeedOptions, GatewayLog } from './CameraGatewayTypes.js';
