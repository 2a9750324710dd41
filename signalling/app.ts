import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Server } from 'socket.io';
import type { MediaServer } from '../media-server/index.js';
import type { Db } from '../prisma/index.js';
import { BridgePointDirectory } from './BridgePointDirectory.js';
import { MeetingSignalling, type HubServer } from './MeetingSignalling.js';
import { restRoutes } from './restRoutes.js';

export interface AppDeps {
  prisma: Db;
  media: MediaServer;
  /** The built client (vite output); served at / when present. */
  clientDir?: string;
  logLevel?: string;
}

export interface HubApp {
  http: FastifyInstance;
  io: HubServer;
}

/** fastify (REST + OpenAPI at /docs + the client) and socket.io on the same HTTP server. */
export async function buildApp({ prisma, media, clientDir, logLevel = 'info' }: AppDeps): Promise<HubApp> {
  const http = Fastify({ logger: { level: logLevel } }).withTypeProvider<ZodTypeProvider>();
  http.setValidatorCompiler(validatorCompiler);
  http.setSerializerCompiler(serializerCompiler);

  await http.register(fastifySwagger, {
    openapi: { info: { title: 'Province meeting hub API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  await http.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const directory = new BridgePointDirectory(prisma);
  await http.register(restRoutes({ directory, media }));

  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    await http.register(fastifyStatic, { root: clientDir });
    // Client-side routes fall back to the single page.
    http.setNotFoundHandler((request, reply) =>
      request.url.startsWith('/api/') ? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such route' }) : reply.sendFile('index.html'),
    );
  }

  const io: HubServer = new Server(http.server, { serveClient: false, maxHttpBufferSize: 256 * 1024 });
  new MeetingSignalling(io, media, directory, http.log);
  http.addHook('onClose', async () => {
    await io.close();
  });
  return { http, io };
}
