import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubMetrics } from './HubMetrics.js';

export interface ObservabilityRoutesOptions {
  metrics: HubMetrics;
  /** Bearer token Prometheus scrapes with; without one, only the hub machine itself (loopback) may scrape. */
  metricsToken?: string;
  /** Why the hub should take no new sites now (stopping, no live worker, no database); empty when ready. */
  notReadyReasons: () => Promise<string[]>;
  /** The media workers alive now (`/api/health`). */
  workerCount: () => number;
}

/**
 * `/metrics` (Prometheus text format), `/api/health` (liveness with the media worker count), `/api/health/live` (the process answers: restart it if not) and
 * `/api/health/ready` (it can take sites: a load balancer sends none while it answers 503).
 */
export function observabilityRoutes({
  metrics,
  metricsToken,
  notReadyReasons,
  workerCount,
}: ObservabilityRoutesOptions): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/metrics',
      // its own guard: METRICS_TOKEN or loopback (Prometheus has no account)
      {
        config: { access: 'public' },
        schema: { tags: ['system'], summary: 'Prometheus metrics (METRICS_TOKEN as bearer token, or from loopback)', security: [] },
      },
      async (request, reply) => {
        if (!mayScrape(request, metricsToken))
          return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'metrics need the METRICS_TOKEN bearer token' });
        return reply.header('content-type', metrics.contentType).send(await metrics.text());
      },
    );
    app.get(
      '/api/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness and media worker count',
          response: { 200: z.object({ status: z.literal('ok'), workers: z.number() }) },
        },
      },
      async () => ({ status: 'ok' as const, workers: workerCount() }),
    );
    app.get(
      '/api/health/live',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process answers',
          security: [],
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/api/health/ready',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Readiness: the hub takes sites (a live media worker, the database answers, not stopping)',
          security: [],
          response: {
            200: z.object({ status: z.literal('ready') }),
            503: z.object({ status: z.literal('not ready'), reasons: z.array(z.string()) }),
          },
        },
      },
      async (_request, reply) => {
        const reasons = await notReadyReasons();
        if (reasons.length > 0) return reply.code(503).send({ status: 'not ready' as const, reasons });
        return { status: 'ready' as const };
      },
    );
  };
}

function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  // without a token only this machine may scrape, never through a proxy on it (HAProxy connects from loopback)
  if (!token) return isLoopback(request.socket.remoteAddress) && !throughProxy(request);
  const given = Buffer.from(request.headers.authorization?.replace(/^Bearer /i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const throughProxy = (request: FastifyRequest) =>
  ['x-forwarded-for', 'forwarded', 'via', 'x-real-ip'].some((header) => request.headers[header] !== undefined) ||
  request.ip !== request.socket.remoteAddress;

const isLoopback = (address: string | undefined) =>
  address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
