import type { Role } from '../../shared/meetings.js';
import type { ClientToServerEvents } from '../../shared/protocol.js';

const sites = ['BRIDGE_POINT', 'CHAIR'] as const satisfies readonly Role[];
const stations = ['SUPERVISOR', 'ADMIN'] as const satisfies readonly Role[];

/**
 * Which roles may send each client event, checked before the payload is read. Every event has a
 * rule (a new event without one does not compile), and the role × event test is generated from this
 * table. The handlers then check what the role alone cannot say (the meeting's own chair, an invited site).
 */
export const clientEventRoles = {
  'meeting:join': sites,
  'meeting:setRtpCapabilities': sites,
  'meeting:leave': sites,
  'transport:create': sites,
  'transport:connect': sites,
  'transport:restartIce': sites,
  'transport:createPlain': sites,
  'transport:connectPlain': sites,
  'producer:create': sites,
  'producer:pause': sites,
  'producer:resume': sites,
  'producer:close': sites,
  'consumer:create': sites,
  'consumer:resume': sites,
  'consumer:pause': sites,
  'consumer:close': sites,
  'consumer:setPreferredLayers': sites,
  'hand:raise': sites,
  'rollCall:confirm': sites,
  'chair:muteSite': ['CHAIR'],
  'chair:muteAll': ['CHAIR'],
  'chair:giveFloor': ['CHAIR'],
  'chair:spotlight': ['CHAIR'],
  'chair:removeSite': ['CHAIR'],
  'chair:lock': ['CHAIR'],
  'chair:rollCall': ['CHAIR'],
  'chair:openVote': ['CHAIR'],
  'chair:closeVote': ['CHAIR'],
  'vote:answer': sites,
  'chair:agendaItem': ['CHAIR'],
  'speech:request': sites,
  'chair:reorderRequests': ['CHAIR'],
  'chair:declineRequest': ['CHAIR'],
  'chair:callSpeaker': ['CHAIR'],
  'chair:endSpeech': ['CHAIR'],
  'chair:presentation': ['CHAIR'],
  'presentation:request': sites,
  'presentation:release': sites,
  'wall:join': stations,
  'wall:setRtpCapabilities': stations,
  'wall:createTransport': stations,
  'wall:connectTransport': stations,
  'wall:createPlainTransport': stations,
  'wall:connectPlainTransport': stations,
  'wall:watch': stations,
  'wall:resume': stations,
  'wall:unwatch': stations,
  'camera:ptz': ['SUPERVISOR'],
  'camera:ptzStop': ['SUPERVISOR'],
  'camera:gotoPreset': ['SUPERVISOR'],
} as const satisfies { [E in keyof ClientToServerEvents]: readonly Role[] };

export function mayEmit(role: Role, event: keyof ClientToServerEvents): boolean {
  return (clientEventRoles[event] as readonly Role[]).includes(role);
}
