import net from 'node:net';

/** Whether the camera accepts a TCP connection on its RTSP port: a cheap check, no RTSP session. */
export function acceptsConnections(rtspUri: string, timeoutMs: number): Promise<boolean> {
  const url = new URL(rtspUri);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 554), timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
