import dgram from 'node:dgram';
import net from 'node:net';

/** A TCP port free on loopback now (the OS picks it), for a hub process a test or benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A port free on loopback for both TCP and UDP: a listener the hub is to push to or pull from, or a TURN port
 * (one number for UDP and TCP). Drawn from 20000–29999: below the OS's ephemeral range, which overlaps the
 * hub's own media ports (41000–49999 by default) that the hub refuses as a destination.
 */
export async function freeUdpAndTcpPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if ((await bindable(port, 'tcp')) && (await bindable(port, 'udp'))) return port;
  }
}

function bindable(port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'tcp') {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    } else {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    }
  });
}
