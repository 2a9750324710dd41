import { HubError } from '../errors/index.js';
import { said } from '../shared/messages/index.js';

/** Why a camera failed a request, in the hub's own words. */
export type CameraTrouble = 'unreachable' | 'refusedCredentials' | 'noPtz' | 'noRtsp';

/**
 * The camera did not answer, refused the credentials, or lacks what was asked of it. The message is
 * the hub's own words; what the device said (`deviceDetail`) is kept for the log, never for callers.
 */
export class CameraUnreachableError extends HubError {
  readonly trouble: CameraTrouble;
  constructor(address: string, trouble: CameraTrouble, deviceDetail?: string) {
    super('DEVICE', said(`camera.${trouble}`, { address }), { logDetail: { deviceDetail } });
    this.trouble = trouble;
  }
}

export class CameraNotFoundError extends HubError {
  constructor(cameraId: number) {
    super('NOT_FOUND', said('camera.notFound', { id: cameraId }));
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
  | 'USERNAME_NOT_TAKEN'
  | 'HTTP_ERROR'
  | 'NOT_AN_IMAGE'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'UNREACHABLE';

/** A device-supplied URI the gateway will not use (see CameraUriPolicy). */
export class CameraUriRefusedError extends HubError {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super('DEVICE', said('camera.uriRefused', { reason: said(`cameraRefusal.${code}`) }));
    this.code = code;
  }
}

/** A snapshot that could not be taken; `code` is all the API caller learns. */
export class CameraSnapshotError extends HubError {
  readonly code: CameraRefusalCode;
  constructor(code: CameraRefusalCode) {
    super('DEVICE', said('camera.snapshotFailed', { reason: said(`cameraRefusal.${code}`) }));
    this.code = code;
  }
}

/** Nothing was recorded in the range asked for. */
export class NoRecordingError extends HubError {
  constructor(cameraId: number) {
    super('NOT_FOUND', said('camera.noRecording', { id: cameraId }));
  }
}

export class EvidenceLockNotFoundError extends HubError {
  constructor(lockId: number) {
    super('NOT_FOUND', said('evidence.notFound', { id: lockId }));
  }
}

/** Only the supervisor who locked the evidence, or an admin, may release it. */
export class EvidenceLockNotYoursError extends HubError {
  constructor(lockedBy: string) {
    super('FORBIDDEN', said('evidence.notYours', { by: lockedBy }));
  }
}

/** A camera whose recordings hold locked evidence cannot be removed (its recordings would go with it). */
export class CameraHasEvidenceError extends HubError {
  constructor(cameraId: number) {
    super('CONFLICT', said('camera.hasEvidence', { id: cameraId }));
  }
}

export class BookmarkNotFoundError extends HubError {
  constructor(bookmarkId: number) {
    super('NOT_FOUND', said('bookmark.notFound', { id: bookmarkId }));
  }
}

/** Only whoever made a bookmark, or an admin, may remove it. */
export class BookmarkNotYoursError extends HubError {
  constructor(createdBy: string) {
    super('FORBIDDEN', said('bookmark.notYours', { by: createdBy }));
  }
}
