import { createHash, randomBytes } from 'node:crypto';
import { parseStringPromise } from 'xml2js';
import type { EventsAccess } from './DeviceEventTypes.js';
import { HubError } from '../../errors/index.js';
import { said } from '../../shared/messages/index.js';

/** What the camera answered with a SOAP fault (its words stay in the log, never in an API answer). */
export class OnvifFaultError extends HubError {
  readonly status: number;
  constructor(status: number, reason: string) {
    super('DEVICE', said('camera.eventsFault', { status }), { logDetail: { deviceDetail: reason } });
    this.status = status;
  }
}

export type SoapBody = Record<string, unknown>;

const namespaces = [
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope"',
  'xmlns:wsa="http://www.w3.org/2005/08/addressing"',
  'xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"',
  'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"',
  'xmlns:tev="http://www.onvif.org/ver10/events/wsdl"',
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"',
].join(' ');

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** WS-Security UsernameToken, PasswordDigest = Base64(SHA-1(nonce + created + password)), stamped in the camera's time. */
function security(access: EventsAccess): string {
  const nonce = randomBytes(16);
  const created = new Date(Date.now() + access.timeDiffMs).toISOString().replace(/\.\d+Z$/, 'Z');
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(access.password)]))
    .digest('base64');
  return `<wsse:Security s:mustUnderstand="1"><wsse:UsernameToken><wsse:Username>${escapeXml(access.username)}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password><wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`;
}

/**
 * One SOAP 1.2 call to a camera's events service or subscription: WS-Addressing (Action, To) and
 * WS-Security headers, the body given; the answer's Body parsed (prefixes dropped), or OnvifFaultError.
 */
export async function soapCall(
  to: string,
  action: string,
  body: string,
  access: EventsAccess,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<SoapBody> {
  const envelope = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${namespaces}><s:Header><wsa:Action>${action}</wsa:Action><wsa:To>${escapeXml(to)}</wsa:To>${security(access)}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const response = await fetch(to, {
    method: 'POST',
    headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` },
    body: envelope,
    signal: cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await response.text();
  const parsed = (await parseStringPromise(text, {
    explicitRoot: false,
    explicitArray: false,
    tagNameProcessors: [(name: string) => name.replace(/^[^:]+:/, '')],
  }).catch(() => null)) as { Body?: SoapBody } | null;
  const answer = parsed?.Body;
  if (!response.ok || !answer || 'Fault' in answer) throw new OnvifFaultError(response.status, faultReason(answer));
  return answer;
}

function faultReason(body: SoapBody | undefined): string {
  const fault = body?.Fault as { Reason?: { Text?: { _?: string } | string } } | undefined;
  const text = fault?.Reason?.Text;
  return (typeof text === 'string' ? text : text?._) ?? 'no SOAP answer';
}
