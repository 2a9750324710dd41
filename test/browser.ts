import path from 'node:path';

/** How tests and benchmarks drive Debian's Chromium: its path, flags, and a WebRTC stats hook. */
export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/** A continuous voice-like tone for the fake microphone (Chromium's own is a short beep once a second). */
export const fakeMicrophoneArg = `--use-file-for-fake-audio-capture=${path.resolve('test/fixtures/speech-like.wav')}`;

/** Init script: records every RTCPeerConnection the page creates (window.__pcs) so stats can be read. */
export const capturePeerConnections = () => {
  const pcs: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      pcs.push(this);
    }
  };
};
