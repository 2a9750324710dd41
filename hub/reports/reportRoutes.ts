import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingIdSchema } from '../../shared/meetings.js';
import { periodQuerySchema, reportFormatSchema } from '../../shared/reports.js';
import { errorSchema, meetingFileName, only } from '../http/index.js';
import { csvType, sendDownload, xlsxType } from './downloads.js';
import { HubError } from '../../errors/index.js';
import { meetingTables, periodTables, toCsv, toXlsx } from './exporters.js';
import { provinceDayStart } from '../../shared/provinceCalendar.js';
import type { ReportService } from './ReportService.js';
import { said } from '../../shared/messages/index.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const reportRoutes =
  ({ reports }: { reports: ReportService }): FastifyPluginAsyncZod =>
  async (app) => {
    const readers = { access: only('SECRETARIAT', 'CHAIR', 'ADMIN') };

    app.get(
      '/api/reports/years',
      {
        config: readers,
        schema: {
          tags: ['reports'],
          summary: 'The years (province calendar) in which meetings were held, newest first, with how many',
          response: { 200: z.object({ years: z.array(z.object({ year: z.number().int(), meetings: z.number().int() })) }), ...errors },
        },
      },
      async () => ({ years: await reports.years() }),
    );

    app.get(
      '/api/reports/meetings/:meetingId',
      {
        config: readers,
        schema: {
          tags: ['reports'],
          summary: 'One meeting: each bridge point, its join/leave, minutes present and head count (json, csv or xlsx)',
          params: z.object({ meetingId: meetingIdSchema }),
          querystring: z.strictObject({ format: reportFormatSchema }),
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const report = await reports.meeting(request.params.meetingId);
        if (!report) throw new HubError('NOT_FOUND', said('meeting.notFound', { id: request.params.meetingId }));
        const { title, startedAt, scheduledStart } = report.meeting;
        const name = (extension: string) => meetingFileName('Điểm danh', { title, at: new Date(startedAt ?? scheduledStart) }, extension);
        if (request.query.format === 'csv') return sendDownload(reply, name('csv'), csvType, toCsv(meetingTables(report)[0]!));
        if (request.query.format === 'xlsx') return sendDownload(reply, name('xlsx'), xlsxType, await toXlsx(meetingTables(report)));
        return report;
      },
    );

    app.get(
      '/api/reports/period',
      {
        config: readers,
        schema: {
          tags: ['reports'],
          summary:
            'Meetings held in [from, to) (province calendar days): totals by host level and month, participation per bridge point — as the units were at each meeting (`units=then`, the default) or by today’s units with merged ones added up (`units=today`)',
          querystring: periodQuerySchema,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { from, to, format, table, units } = request.query;
        const report = await reports.period(provinceDayStart(from), provinceDayStart(to), units);
        const name = `bao-cao-${from}-${to}${units === 'today' ? '-don-vi-hien-nay' : ''}`;
        if (format === 'csv') {
          const [, meetings, bridgePoints] = periodTables(report);
          return sendDownload(reply, `${name}-${table}.csv`, csvType, toCsv(table === 'meetings' ? meetings! : bridgePoints!));
        }
        if (format === 'xlsx') return sendDownload(reply, `${name}.xlsx`, xlsxType, await toXlsx(periodTables(report)));
        return report;
      },
    );
  };
