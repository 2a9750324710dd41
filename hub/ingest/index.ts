/** ingest/: feeds into a meeting (WHIP, RTMP, SRT, RTSP): their service, listeners and REST. */
export { ingestRoutes } from './ingestRoutes.js';
export { IngestService } from './IngestService.js';
export type { IngestOptions } from './IngestService.js';
