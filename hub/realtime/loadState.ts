import type { FastifyBaseLogger } from 'fastify';
import type { MediaServer } from '../../media-server/index.js';
import type { HubServer } from './RealtimeTypes.js';

/**
 * Tells every page what the hub gives up while the machine runs short (`load:state`): on each change, and to
 * a page connecting while a step holds. The log says it too, with the load that caused it.
 */
export function announceLoadShedding(io: HubServer, media: MediaServer, log: FastifyBaseLogger): void {
  media.on('loadShed', (steps) => {
    const load = `${Math.round(media.loadPercent)}% of a core`;
    if (steps.length > 0) log.warn({ steps, load }, 'the machine runs short: the hub gives up %s', steps.join(', then '));
    else log.warn({ load }, 'the machine has room again: nothing given up');
    // each node speaks for its own workers, to its own pages
    io.local.emit('load:state', { steps: [...steps] });
  });
  media.on('loadSheddingFailed', (error) =>
    log.warn({ err: error }, 'load shedding: reading the workers or lowering the thumbnails failed'),
  );
  io.on('connection', (socket) => {
    if (media.shedSteps.length > 0) socket.emit('load:state', { steps: [...media.shedSteps] });
  });
}
