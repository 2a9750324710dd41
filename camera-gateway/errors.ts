/** The camera did not answer, refused the credentials, or lacks what was asked of it. */
export class CameraUnreachableError extends Error {
  constructor(address: string, reason: string) {
    super(`${address}: ${reason}`);
    this.name = 'CameraUnreachableError';
  }
}

export class CameraNotFoundError extends Error {
  constructor(cameraId: number) {
    super(`no camera ${cameraId}`);
    this.name = 'CameraNotFoundError';
  }
}
