import type { FastifyReply } from 'fastify';
import { attachment } from '../http/index.js';

export const csvType = 'text/csv; charset=utf-8';
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An export sent as a file the browser saves under `name`. */
export function sendDownload(reply: FastifyReply, name: string, type: string, body: Buffer) {
  return reply.header('content-type', type).header('content-disposition', attachment(name)).send(body);
}
