import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * helmet's headers with a Content-Security-Policy the built client passes: its own scripts only (and WebAssembly),
 * inline styles (React and the chart set style attributes), camera snapshots as blob: images,
 * REST and socket.io (wss:) to the same origin. HSTS and upgrading requests only over HTTPS, so a
 * hub on plain HTTP (TLS=off, loopback tests) stays reachable.
 */
export async function registerSecurityHeaders(http: FastifyInstance, options: { https: boolean }): Promise<void> {
  await http.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // WebAssembly only (no eval): PDF.js decodes scanned pages' JBIG2 and JPEG 2000 images with it
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}
