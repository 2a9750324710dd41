import type { MessageKey } from '../../../shared/messages/index.js';
import { PageError } from '../api/PageError.js';

/** The camera, microphone and speaker a site chose; undefined: the browser's default. */
export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
  speakerId?: string;
}

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** What the site has once its devices are opened: the stream, and why a part of it is missing. */
export interface OpenedMedia {
  stream: MediaStream;
  /** Set when the camera could not be opened but the microphone could (the site joins with its voice). */
  cameraTrouble?: MessageKey;
}

const storageKey = 'hub.devices';

/** The choice this browser made last time: a bridge point's PC keeps its conference camera and speakerphone. */
export function rememberedChoice(): DeviceChoice {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    if (typeof stored !== 'object' || stored === null) return {};
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const { cameraId, microphoneId, speakerId } = stored as Record<string, unknown>;
    return { cameraId: text(cameraId), microphoneId: text(microphoneId), speakerId: text(speakerId) };
  } catch {
    return {};
  }
}

export function rememberChoice(choice: DeviceChoice): void {
  localStorage.setItem(storageKey, JSON.stringify(choice));
}

/** The devices the browser lists (their names once the site has allowed the camera and microphone). */
export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    microphones: all.filter((d) => d.kind === 'audioinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput'),
  };
}

const cameraConstraints = (deviceId?: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 25 },
});
const microphoneConstraints = (deviceId?: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  echoCancellation: true,
  noiseSuppression: true,
});

/**
 * Opens the chosen camera and microphone. A chosen device that is gone (unplugged since) falls back to the
 * default; a camera that cannot be opened at all leaves the microphone (the site still speaks and hears), its
 * reason kept; a microphone that cannot be opened is a DeviceError, said in words.
 */
export async function openLocalMedia(choice: DeviceChoice = {}): Promise<OpenedMedia> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DeviceError('device.insecure');
  try {
    return { stream: await getUserMedia(choice) };
  } catch (error) {
    const trouble = deviceTrouble(error);
    // the camera alone may be the trouble (none, busy, refused): try the microphone by itself
    if (trouble === 'device.denied') throw new DeviceError(trouble, error);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(choice.microphoneId), video: false });
      return { stream, cameraTrouble: trouble === 'device.notFound' ? 'device.noCamera' : trouble };
    } catch (microphoneError) {
      throw new DeviceError(deviceTrouble(microphoneError), microphoneError);
    }
  }
}

async function getUserMedia(choice: DeviceChoice): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: microphoneConstraints(choice.microphoneId),
      video: cameraConstraints(choice.cameraId),
    });
  } catch (error) {
    // a remembered device unplugged since: the default ones instead
    if (!(error instanceof DOMException && error.name === 'OverconstrainedError') || (!choice.cameraId && !choice.microphoneId))
      throw error;
    return navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(), video: cameraConstraints() });
  }
}

/** One device opened anew (switching during the meeting): its track. */
export async function openDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<MediaStreamTrack> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(
      kind === 'camera' ? { video: cameraConstraints(deviceId), audio: false } : { audio: microphoneConstraints(deviceId), video: false },
    );
    return (kind === 'camera' ? stream.getVideoTracks() : stream.getAudioTracks())[0]!;
  } catch (error) {
    throw new DeviceError(deviceTrouble(error), error);
  }
}

/** Why a camera or microphone could not be opened, as the browser says it (its DOMException's name). */
export function deviceTrouble(error: unknown): MessageKey {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'device.denied';
    case 'NotFoundError':
      return 'device.notFound';
    case 'NotReadableError':
    case 'AbortError':
      return 'device.inUse';
    case 'OverconstrainedError':
      return 'device.unsuitable';
    default:
      return 'device.failed';
  }
}

/** A camera or microphone that could not be used, said from the hub's table (what happened, what to do). */
export class DeviceError extends PageError {
  readonly trouble: MessageKey;
  readonly browserError?: unknown;
  constructor(trouble: MessageKey, browserError?: unknown) {
    super(trouble);
    this.name = 'DeviceError';
    this.trouble = trouble;
    this.browserError = browserError;
  }
}
