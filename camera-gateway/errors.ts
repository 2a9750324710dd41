import { HubError } from '../errors/index.js';

/**
 * The camera did not answer, refused the credentials, or lacks what was asked of it. The message is
 * the hub's own words; what the device said (`deviceDetail`) is kept for the log, never for callers.
 */
export class CameraUnreachableError extends HubError {
  constructor(address: string, reason: string, deviceDetail?: string) {
    super('DEVICE', `${address}: ${reason}`, { logDetail: { deviceDetail } });
  }
}

export class CameraNotFoundError extends HubError {
  constructor(cameraId: number) {
    super('NOT_FOUND', `no camera ${cameraId}`);
  }
}

/** Why the gateway refused a device-supplied URI or a snapshot: a short code, never the device's own text. */
export type CameraRefusalCode =
  | 'MALFORMED_URI'
  | 'PROTOCOL_NOT_ALLOWED'
  | 'HOST_NOT_ALLOWED'
  | 'NO_SNAPSHOT'
  | 'REDIRECTED'
  | 'AUTH_FAILED'
  | 'HTTP_ERROR'
  | 'NOT_AN_IMAGE'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'UNREACHABLE';

/** A device-supplied URI the gateway will not use (see CameraUriPolicy). */
export class CameraUriRefusedError extends HubError {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super('DEVICE', `the camera's URI was refused: ${code}`);
    this.code = code;
  }
}

/** A snapshot that could not be taken; `code` is all the API caller learns. */
export class CameraSnapshotError extends HubError {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super('DEVICE', `snapshot failed: ${code}`);
    this.code = code;
  }
}

/** Nothing was recorded in the range asked for. */
export class NoRecordingError extends HubError {
  constructor(cameraId: number) {
    super('NOT_FOUND', `camera ${cameraId} has no recording in this range`);
  }
}

export class EvidenceLockNotFoundError extends HubError {
  constructor(lockId: number) {
    super('NOT_FOUND', `no evidence lock ${lockId} on this camera`);
  }
}

/** Only the supervisor who locked the evidence, or an admin, may release it. */
export class EvidenceLockNotYoursError extends HubError {
  constructor(lockedBy: string) {
    super('FORBIDDEN', `Chỉ người đã khoá (${lockedBy}) hoặc quản trị viên mới được mở khoá bằng chứng này.`);
  }
}

/** A camera whose recordings hold locked evidence cannot be removed (its recordings would go with it). */
export class CameraHasEvidenceError extends HubError {
  constructor(cameraId: number) {
    super('CONFLICT', `camera ${cameraId} has locked evidence: release the locks before removing it`);
  }
}
