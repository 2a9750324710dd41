import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { saidSchema } from '../../shared/messages/index.js';
import { importFileSchema, importFormats, importKinds } from '../../shared/provinceImport.js';
import { roles } from '../../shared/meetings.js';
import { attachment, errorSchema, only } from '../http/index.js';
import type { ProvinceImport } from './ProvinceImport.js';
import { templateFile } from './sheetFile.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 409: errorSchema, 413: errorSchema };
const params = z.object({ kind: z.enum(importKinds) });
const admins = { access: only('ADMIN') };
/** The file travels base64 in JSON: a workbook of a few thousand rows stays well under this. */
const bodyLimit = 6 * 1024 * 1024;

const checkSchema = z.object({
  kind: z.enum(importKinds),
  fileName: z.string(),
  fileProblems: z.array(saidSchema),
  ignoredColumns: z.array(z.string()),
  rows: z.array(z.object({ line: z.number(), values: z.record(z.string(), z.string()), problems: z.array(saidSchema) })),
  ready: z.boolean(),
});
const appliedSchema = z.object({
  kind: z.enum(importKinds),
  created: z.number(),
  accounts: z
    .array(
      z.object({
        username: z.string(),
        displayName: z.string(),
        role: z.enum(roles),
        bridgePointCode: z.string().nullable(),
        temporaryPassword: z.string(),
      }),
    )
    .optional(),
});

/** Setting up a province from files (admin): a template per kind, a dry run, an atomic audited apply. */
export const importRoutes =
  ({ provinceImport }: { provinceImport: ProvinceImport }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/import/:kind/template',
      {
        config: admins,
        schema: {
          tags: ['import'],
          summary: "The kind's template (units, accounts, cameras): the headings, and in a workbook a sheet on how to write each column",
          params,
          querystring: z.strictObject({ format: z.enum(importFormats).default('xlsx') }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const file = await templateFile(request.params.kind, request.query.format);
        return reply.header('content-type', file.contentType).header('content-disposition', attachment(file.name)).send(file.body);
      },
    );
    app.post(
      '/api/import/:kind/check',
      {
        config: admins,
        bodyLimit,
        schema: {
          tags: ['import'],
          summary: 'A dry run: every row of the file (CSV or .xlsx, base64) with its problems in words; nothing is created',
          params,
          body: importFileSchema,
          response: { 200: checkSchema, ...errors },
        },
      },
      async (request) => provinceImport.check(request.params.kind, request.body),
    );
    app.post(
      '/api/import/:kind',
      {
        config: admins,
        bodyLimit,
        schema: {
          tags: ['import'],
          summary:
            "Creates every row of the file or none (409 while a row has a problem), audited with the file's name and SHA-256; an account import answers each account's one-time password, once",
          params,
          body: importFileSchema,
          response: { 201: appliedSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await provinceImport.apply(request.user!, request.params.kind, request.body, request.ip)),
    );
  };
