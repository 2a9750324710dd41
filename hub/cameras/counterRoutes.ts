import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CameraGateway } from '../../camera-gateway/index.js';
import { cameraIdSchema, staffZoneSchema, type CounterAttendanceRow } from '../../shared/cameras.js';
import { provinceDayStart } from '../../shared/provinceCalendar.js';
import { reportFormatSchema } from '../../shared/reports.js';
import type { AuditLog } from '../audit/index.js';
import { errorSchema, only } from '../http/index.js';
import { csvType, sendDownload, toCsv, toXlsx, xlsxType, type Table } from '../reports/index.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const maxReportDays = 366;

const reportQuery = z
  .strictObject({
    from: z.iso.date(),
    /** Exclusive. */
    to: z.iso.date(),
    format: reportFormatSchema,
    /** Which table a CSV holds (an XLSX holds both). */
    table: z.enum(['counters', 'absences']).default('counters'),
  })
  .refine((q) => q.to > q.from, { message: 'validation.toAfterFrom', path: ['to'] })
  .refine((q) => provinceDayStart(q.to).getTime() - provinceDayStart(q.from).getTime() <= maxReportDays * 86_400_000, {
    message: 'validation.rangeAtMostDays',
    params: { days: maxReportDays },
    path: ['to'],
  });

/** The report as the exports write it: one row per counter, and one per absence (with where to see it). */
function counterTables(rows: CounterAttendanceRow[], origin: string): Table[] {
  return [
    {
      name: 'Quầy',
      columns: [
        { header: 'Đơn vị', width: 40 },
        { header: 'Quầy', width: 20 },
        { header: 'Camera', width: 30 },
        { header: 'Giờ hành chính được theo dõi (phút)', width: 16 },
        { header: 'Có người tại bàn (phút)', width: 16 },
        { header: 'Tỷ lệ có người (%)', width: 12 },
        { header: 'Vắng lâu nhất (phút)', width: 14 },
        { header: 'Số lần vắng', width: 10 },
      ],
      rows: rows.map((r) => [
        r.unitName,
        r.counter,
        r.name,
        r.observedMinutes,
        r.attendedMinutes,
        r.attendedShare === null ? null : Math.round(r.attendedShare * 1000) / 10,
        r.longestAbsenceMinutes,
        r.absences.length,
      ]),
    },
    {
      name: 'Các lần vắng',
      columns: [
        { header: 'Đơn vị', width: 40 },
        { header: 'Quầy', width: 20 },
        { header: 'Từ', width: 20, format: 'dd/mm/yyyy hh:mm:ss' },
        { header: 'Đến', width: 20, format: 'dd/mm/yyyy hh:mm:ss' },
        { header: 'Số phút', width: 10 },
        { header: 'Xem ghi hình', width: 60 },
      ],
      rows: rows.flatMap((r) =>
        r.absences.map((a) => [r.unitName, r.counter, new Date(a.start), new Date(a.end), a.minutes, `${origin}${a.recording}`]),
      ),
    },
  ];
}

/**
 * Counter attendance: the admin marks each counter's staff zone; the supervisors, the secretariat and
 * the admin read how the counters were staffed in office hours (motion at the desk, not a person: the
 * README says what that can and cannot tell), with every absence linked to its recording.
 */
export const counterRoutes =
  ({ cameras, audit }: { cameras: CameraGateway; audit: AuditLog }): FastifyPluginAsyncZod =>
  async (app) => {
    app.put(
      '/api/cameras/:cameraId/staff-zone',
      {
        config: { access: only('ADMIN') },
        schema: {
          tags: ['cameras'],
          summary:
            "Where the civil servant sits on the counter's picture ({ zone: { x, y, width, height } } in fractions from the top left; null: not watched). A watched counter's wall stream is pulled all the time (audited)",
          params: z.object({ cameraId: cameraIdSchema }),
          body: staffZoneSchema,
          response: { 200: z.object({ id: z.number(), staffZone: z.unknown() }), ...errors },
        },
      },
      async (request) => {
        const { cameraId } = request.params;
        const camera = await cameras.setStaffZone(cameraId, request.body.zone);
        await audit.record(request.user!, 'camera.staffZone', `camera:${cameraId}`, { zone: request.body.zone }, request.ip);
        return { id: camera.id, staffZone: camera.staffZone };
      },
    );

    app.get(
      '/api/reports/counters',
      {
        config: { access: only('SUPERVISOR', 'SECRETARIAT', 'ADMIN') },
        schema: {
          tags: ['reports'],
          summary: `How each watched counter was staffed in office hours over [from, to) (province calendar days, at most ${maxReportDays}): minutes observed and attended, the share attended, the longest absence and each absence with a link to its recording. format=csv (table=counters|absences) or xlsx for the exports`,
          querystring: reportQuery,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const { from, to, format, table } = request.query;
        const rows = await cameras.attendance.report(cameras.list(), provinceDayStart(from), provinceDayStart(to));
        const name = `chuyen-can-quay-${from}-${to}`;
        const origin = `${request.protocol}://${request.host}`;
        if (format === 'csv') {
          const [counters, absences] = counterTables(rows, origin);
          return sendDownload(reply, `${name}-${table}.csv`, csvType, toCsv(table === 'counters' ? counters! : absences!));
        }
        if (format === 'xlsx') return sendDownload(reply, `${name}.xlsx`, xlsxType, await toXlsx(counterTables(rows, origin)));
        return rows;
      },
    );
  };
