import { useEffect, useMemo, useState } from 'react';
import type { MeetingState, SiteQuality } from '../../../shared/meetings.js';
import type { ShedStep } from '../../../shared/protocol.js';
import type { VoteTally } from '../../../shared/votes.js';
import { session } from '../api/session.js';
import { MeetingClient } from './MeetingClient.js';
import type { ConnectionState, LocalMediaState, RemoteSite } from './MeetingClientTypes.js';

export interface MeetingView {
  client: MeetingClient;
  state: ConnectionState;
  error?: Error;
  sites: RemoteSite[];
  activeSpeaker: string | null;
  local: LocalMediaState;
  meeting: MeetingState | null;
  quality: Map<string, SiteQuality>;
  /** What the hub gives up while its machine runs short. */
  shedSteps: ShedStep[];
  /** The open vote's running totals, on the chair's page only. */
  voteTally: VoteTally | null;
  /** When the agenda item under way began, on this page's clock (`performance.now()`); null when none is. */
  agendaSince: number | null;
  /** When the speech under way began, on this page's clock; null when nobody speaks. */
  speechSince: number | null;
  /** The chair declined this site's request to speak (until it asks again). */
  speechDeclined: boolean;
}

/** One MeetingClient for the page's lifetime, its events mirrored into React state. */
export function useMeetingClient(): MeetingView {
  const client = useMemo(() => new MeetingClient(), []);
  const [state, setState] = useState<ConnectionState>(client.state);
  const [error, setError] = useState<Error>();
  const [sites, setSites] = useState<RemoteSite[]>([]);
  const [activeSpeaker, setActiveSpeaker] = useState<string | null>(null);
  const [local, setLocal] = useState<LocalMediaState>(client.local);
  const [meeting, setMeeting] = useState<MeetingState | null>(null);
  const [quality, setQuality] = useState(new Map<string, SiteQuality>());
  const [shedSteps, setShedSteps] = useState<ShedStep[]>([]);
  const [voteTally, setVoteTally] = useState<VoteTally | null>(null);
  const [agendaSince, setAgendaSince] = useState<number | null>(null);
  const [speechSince, setSpeechSince] = useState<number | null>(null);
  const [speechDeclined, setSpeechDeclined] = useState(false);

  useEffect(() => {
    const onState = (next: ConnectionState, cause?: Error) => {
      setState(next);
      setError(cause);
      if (next === 'signedOut') session.set(null);
    };
    client.on('stateChanged', onState);
    client.on('sitesChanged', setSites);
    client.on('activeSpeakerChanged', setActiveSpeaker);
    client.on('localMediaChanged', setLocal);
    client.on('meetingStateChanged', (next) => {
      setMeeting(next);
      // the running time as the hub counted it when it sent the state, carried on by this page's clock
      const current = next.agenda.current;
      setAgendaSince(current ? performance.now() - current.runningSeconds * 1000 : null);
      const speech = next.speaking.current;
      setSpeechSince(speech ? performance.now() - speech.runningSeconds * 1000 : null);
      if (next.speaking.requests.some((request) => request.code === client.siteCode)) setSpeechDeclined(false);
    });
    client.on('speechDeclined', () => setSpeechDeclined(true));
    client.on('qualityChanged', (list) => setQuality(new Map(list.map((q) => [q.code, q]))));
    client.on('shedStepsChanged', setShedSteps);
    client.on('voteTallyChanged', setVoteTally);
    return () => {
      client.removeAllListeners();
    };
  }, [client]);

  useEffect(() => () => client.close(), [client]);

  return {
    client,
    state,
    error,
    sites,
    activeSpeaker,
    local,
    meeting,
    quality,
    shedSteps,
    voteTally,
    agendaSince,
    speechSince,
    speechDeclined,
  };
}
