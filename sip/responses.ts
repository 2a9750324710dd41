import * as sip from 'sip';
import type { SipRequest, SipResponse } from 'sip';

/** The methods the hub's SIP side takes, said in every answer it gives. */
export const allowedMethods = 'INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE';

/**
 * The hub's answer to a request: the stack copies its Via, From, To, Call-ID and CSeq; the answer says what the
 * hub allows and names it. A final answer to a request outside any dialog (no To tag) gets the hub's tag.
 */
export function responseTo(request: SipRequest, status: number, reason: string, userAgent: string): SipResponse {
  const response = sip.makeResponse(request, status, reason);
  response.headers.allow = allowedMethods;
  response.headers['user-agent'] = userAgent;
  if (status >= 200 && !request.headers.to?.params?.tag)
    response.headers.to = { ...request.headers.to, params: { ...request.headers.to.params, tag: 'hub' } };
  return response;
}
