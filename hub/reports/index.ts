/** reports/: attendance and participation reports and their exports. */
export { reportRoutes } from './reportRoutes.js';
export { ReportService } from './ReportService.js';
