/**
 * The camera did not answer, refused the credentials, or lacks what was asked of it. The message is
 * the hub's own words; what the device said is kept in `deviceDetail` for the log, never for callers.
 */
export class CameraUnreachableError extends Error {
  readonly deviceDetail?: string;
  constructor(address: string, reason: string, deviceDetail?: string) {
    super(`${address}: ${reason}`);
    this.name = 'CameraUnreachableError';
    this.deviceDetail = deviceDetail;
  }
}

export class CameraNotFoundError extends Error {
  constructor(cameraId: number) {
    super(`no camera ${cameraId}`);
    this.name = 'CameraNotFoundError';
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
export class CameraUriRefusedError extends Error {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super(`the camera's URI was refused: ${code}`);
    this.name = 'CameraUriRefusedError';
    this.code = code;
  }
}

/** A snapshot that could not be taken; `code` is all the API caller learns. */
export class CameraSnapshotError extends Error {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super(`snapshot failed: ${code}`);
    this.name = 'CameraSnapshotError';
    this.code = code;
  }
}

/** Nothing was recorded in the range asked for. */
export class NoRecordingError extends Error {
  constructor(cameraId: number) {
    super(`camera ${cameraId} has no recording in this range`);
    this.name = 'NoRecordingError';
  }
}

export class EvidenceLockNotFoundError extends Error {
  constructor(lockId: number) {
    super(`no evidence lock ${lockId} on this camera`);
    this.name = 'EvidenceLockNotFoundError';
  }
}

/** Only the supervisor who locked the evidence, or an admin, may release it. */
export class EvidenceLockNotYoursError extends Error {
  constructor(lockedBy: string) {
    super(`Chỉ người đã khoá (${lockedBy}) hoặc quản trị viên mới được mở khoá bằng chứng này.`);
    this.name = 'EvidenceLockNotYoursError';
  }
}

/** A camera whose recordings hold locked evidence cannot be removed (its recordings would go with it). */
export class CameraHasEvidenceError extends Error {
  constructor(cameraId: number) {
    super(`camera ${cameraId} has locked evidence: release the locks before removing it`);
    this.name = 'CameraHasEvidenceError';
  }
}
