/** reports/: attendance and participation reports and their exports. */
export { reportRoutes } from './reportRoutes.js';
export { ReportService } from './ReportService.js';
export { toCsv, toXlsx } from './exporters.js';
export type { Table } from './exporters.js';
export { csvType, sendDownload, xlsxType } from './downloads.js';
