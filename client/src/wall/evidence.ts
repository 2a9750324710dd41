import { api } from '../api/http';

/** A range of a camera's recording, ISO times. */
export interface RecordedRange {
  from: string;
  to: string;
}

/** Keeps the range as evidence (retention skips it until released), saying why. */
export function lockEvidence(cameraId: number, range: RecordedRange, reason: string): Promise<unknown> {
  return api.post(`/api/cameras/${cameraId}/locks`, { ...range, reason });
}

/** Downloads the range as an MP4; resolves with its SHA-256, as the audit trail keeps it. */
export async function exportClip(cameraId: number, range: RecordedRange): Promise<string | null> {
  const headers = await api.download(`/api/cameras/${cameraId}/clip?from=${range.from}&to=${range.to}`);
  return headers.get('x-clip-sha256');
}
