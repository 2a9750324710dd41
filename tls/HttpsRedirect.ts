import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Plain HTTP on a second port answers every request with a permanent redirect to the HTTPS address. */
export class HttpsRedirect {
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async listen(options: { port: number; host: string; httpsPort: number }): Promise<HttpsRedirect> {
    const server = http.createServer((request, response) => {
      // the host the browser asked for, without its port: the same machine, on the HTTPS port
      const host = /^(\[[^\]]+\]|[^:]+)/.exec(request.headers.host ?? '')?.[1];
      if (!host) {
        response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Host header required');
        return;
      }
      response.writeHead(308, { location: `https://${host}:${options.httpsPort}${request.url ?? '/'}` }).end();
    });
    // a request that is not HTTP at all just closes its connection
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new HttpsRedirect(server);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
