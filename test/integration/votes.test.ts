import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingReport } from '../../shared/reports.js';
import { renderMessage, said } from '../../shared/messages/index.js';
import type { VoteTally } from '../../shared/votes.js';
import { nextEvent, request, startTestHub, testProvider, type TestHub, type TestSocket } from './helpers.js';

describe(`votes: open and secret, counted against the roll call (${testProvider})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub.close());

  /** A live meeting with the chair and three sites in it; two of them answered the roll call (5 and 7 delegates). */
  async function meetingWithRollCall() {
    const meeting = await hub.createMeeting(['SO-YT', 'XA-10', 'XA-11']);
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/start`, { token: await hub.login('chu-toa') })).status).toBe(200);
    const chair = await hub.connect('chu-toa');
    await request(chair, 'meeting:join', { meetingId: meeting.id });
    const sites: Record<string, TestSocket> = {};
    for (const code of ['SO-YT', 'XA-10', 'XA-11']) {
      sites[code] = await hub.connect(code.toLowerCase());
      expect((await request(sites[code], 'meeting:join', { meetingId: meeting.id })).data).toMatchObject({ admitted: true });
    }
    await request(chair, 'chair:rollCall', { open: true });
    const counted = nextEvent(chair, 'meeting:state', (s) => s.rollCall?.entries.length === 2);
    await request(sites['SO-YT']!, 'rollCall:confirm', { headCount: 5, reporterName: 'Trần Thị B' });
    await request(sites['XA-10']!, 'rollCall:confirm', { headCount: 7, reporterName: 'Lê Văn C' });
    await counted;
    return { meeting, chair, yt: sites['SO-YT']!, xa10: sites['XA-10']!, xa11: sites['XA-11']! };
  }

  /** The chair's next tally of the vote that satisfies `until`. */
  const tally = (chair: TestSocket, until: (t: VoteTally) => boolean) => nextEvent(chair, 'vote:tally', until);

  it('an open vote: each site answers within its head count and may change it; the chair sees the totals move, every page the result', async () => {
    const { meeting, chair, yt, xa10, xa11 } = await meetingWithRollCall();
    const opened = nextEvent(yt, 'meeting:state', (s) => s.votes.some((v) => !v.closedAt));
    const { data } = await request(chair, 'chair:openVote', { question: 'Thông qua kế hoạch năm 2027', secret: false });
    const voteId = data.voteId as number;
    expect((await opened).votes.at(-1)).toMatchObject({
      id: voteId,
      question: 'Thông qua kế hoạch năm 2027',
      choices: ['Tán thành', 'Không tán thành', 'Không biểu quyết'],
      closedAt: null,
      totals: null,
      ballots: null,
    });
    expect(await request(chair, 'chair:openVote', { question: 'Một cuộc khác', secret: true })).toMatchObject({
      ok: false,
      error: { messageKey: 'vote.alreadyOpen' },
    });
    // only the chair runs the vote
    expect(await request(yt, 'chair:closeVote', { voteId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    expect(await request(yt, 'vote:answer', { voteId, counts: [3, 1, 1] })).toEqual({ ok: true, data: null });
    const tooMany = await request(xa10, 'vote:answer', { voteId, counts: [8, 0, 0] });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', messageKey: 'vote.moreThanPresent' } });
    expect(tooMany.ok === false && tooMany.error.message).toBe(renderMessage(said('vote.moreThanPresent', { answered: 8, headCount: 7 })));
    expect(await request(xa11, 'vote:answer', { voteId, counts: [1, 0, 0] })).toMatchObject({
      ok: false,
      error: { messageKey: 'vote.rollCallFirst' },
    });
    expect(await request(xa10, 'vote:answer', { voteId, counts: [4, 2] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', messageKey: 'vote.choiceCount' },
    });
    const both = tally(chair, (t) => t.answeredCodes.length === 2);
    expect(await request(xa10, 'vote:answer', { voteId, counts: [4, 2, 1] })).toEqual({ ok: true, data: null });
    expect(await both).toEqual({ voteId, totals: [7, 3, 2], answeredCodes: ['SO-YT', 'XA-10'] });
    // while the vote is open the sites see who answered, not the totals
    const siteView = nextEvent(yt, 'meeting:state', (s) => s.votes.at(-1)!.answeredCodes.length === 2);
    const changed = tally(chair, (t) => t.totals[0] === 9);
    await request(yt, 'vote:answer', { voteId, counts: [5, 0, 0] });
    expect((await siteView).votes.at(-1)).toMatchObject({ totals: null, ballots: null });
    expect((await changed).totals).toEqual([9, 2, 1]);

    const closed = nextEvent(xa11, 'meeting:state', (s) => s.votes.at(-1)!.closedAt !== null);
    expect(await request(chair, 'chair:closeVote', { voteId })).toEqual({ ok: true, data: null });
    expect((await closed).votes.at(-1)).toMatchObject({
      totals: [9, 2, 1],
      answeredCodes: ['SO-YT', 'XA-10'],
      ballots: [
        { code: 'SO-YT', counts: [5, 0, 0] },
        { code: 'XA-10', counts: [4, 2, 1] },
      ],
    });
    // closed, it never changes
    expect(await request(yt, 'vote:answer', { voteId, counts: [0, 5, 0] })).toMatchObject({
      ok: false,
      error: { messageKey: 'vote.notOpen' },
    });
    expect(await request(chair, 'chair:closeVote', { voteId })).toMatchObject({ ok: false, error: { messageKey: 'vote.notOpen' } });
    const stored = await hub.database.prisma.voteTally.findMany({ where: { voteId }, orderBy: { choice: 'asc' } });
    expect(stored.map((t) => t.count)).toEqual([9, 2, 1]);
    const actions = await hub.database.prisma.chairAction.findMany({ where: { meetingId: meeting.id, action: { startsWith: 'vote' } } });
    expect(actions.map((a) => a.action)).toEqual(['voteOpen', 'voteClose']);
    expect(JSON.parse(actions[1]!.detail!)).toMatchObject({ voteId, totals: [9, 2, 1], answered: 2 });

    // the meeting's report and its workbook carry the result
    const clerk = await hub.login('thu-ky');
    const report = await hub.api<MeetingReport>('GET', `/api/reports/meetings/${meeting.id}`, { token: clerk });
    expect(report.body.votes).toEqual([expect.objectContaining({ id: voteId, totals: [9, 2, 1], secret: false })]);
    const xlsx = await hub.api('GET', `/api/reports/meetings/${meeting.id}?format=xlsx`, { token: clerk });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Biểu quyết')!;
    expect([2, 3, 4].map((row) => [sheet.getCell(row, 1).text, sheet.getCell(row, 3).text, sheet.getCell(row, 4).value])).toEqual([
      ['Thông qua kế hoạch năm 2027', 'Tán thành', 9],
      ['Thông qua kế hoạch năm 2027', 'Không tán thành', 2],
      ['Thông qua kế hoạch năm 2027', 'Không biểu quyết', 1],
    ]);
  });

  it('a secret vote keeps the totals and who answered, never what a site chose: read from the database', async () => {
    const { meeting, chair, yt, xa10 } = await meetingWithRollCall();
    const { data } = await request(chair, 'chair:openVote', {
      question: 'Bầu trưởng ban',
      secret: true,
      choices: ['Đồng ý', 'Không đồng ý'],
    });
    const voteId = data.voteId as number;
    await request(yt, 'vote:answer', { voteId, counts: [2, 3] });
    await request(xa10, 'vote:answer', { voteId, counts: [7, 0] });
    const moved = tally(chair, (t) => t.totals[0] === 7 && t.totals[1] === 5);
    // a change moves the totals by its difference
    await request(yt, 'vote:answer', { voteId, counts: [0, 5] });
    expect((await moved).answeredCodes).toEqual(['SO-YT', 'XA-10']);

    // two answers of one site at once: the totals hold one of them, not both
    await Promise.all([request(xa10, 'vote:answer', { voteId, counts: [1, 0] }), request(xa10, 'vote:answer', { voteId, counts: [0, 1] })]);
    const totals = (await hub.database.prisma.voteTally.findMany({ where: { voteId }, orderBy: { choice: 'asc' } })).map((t) => t.count);
    expect([
      [1, 5],
      [0, 6],
    ]).toContainEqual(totals);

    const closed = nextEvent(yt, 'meeting:state', (s) => s.votes.at(-1)!.closedAt !== null);
    await request(chair, 'chair:closeVote', { voteId });
    const result = (await closed).votes.at(-1)!;
    expect(result).toMatchObject({ secret: true, totals, answeredCodes: ['SO-YT', 'XA-10'], ballots: null });

    // what the database holds of it: the totals, and which sites took part and when; no site's counts anywhere
    const { prisma } = hub.database;
    expect(await prisma.voteBallot.count({ where: { voteId } })).toBe(0);
    const participants = await prisma.voteParticipant.findMany({ where: { voteId } });
    expect(participants.map((p) => Object.keys(p).sort())).toEqual([
      ['answeredAt', 'bridgePointId', 'voteId'],
      ['answeredAt', 'bridgePointId', 'voteId'],
    ]);
    const vote = await prisma.vote.findUniqueOrThrow({ where: { id: voteId } });
    expect(Object.keys(vote).sort()).toEqual(['choices', 'closedAt', 'id', 'meetingId', 'openedAt', 'question', 'secret']);
    const trail = JSON.stringify([
      await prisma.chairAction.findMany({ where: { meetingId: meeting.id } }),
      await prisma.auditEntry.findMany({}),
    ]);
    for (const answer of ['[2,3]', '[0,5]', '[7,0]', '[1,0]', '[0,1]']) expect(trail).not.toContain(answer);
  });

  it('a vote still open when the meeting ends is closed with it, its totals on record', async () => {
    const { meeting, chair, yt } = await meetingWithRollCall();
    const { data } = await request(chair, 'chair:openVote', { question: 'Biểu quyết dở dang', secret: false });
    await request(yt, 'vote:answer', { voteId: data.voteId, counts: [5, 0, 0] });
    expect((await hub.api('POST', `/api/meetings/${meeting.id}/end`, { token: await hub.login('chu-toa') })).status).toBe(200);
    const vote = await hub.database.prisma.vote.findUniqueOrThrow({ where: { id: data.voteId as number }, include: { tallies: true } });
    expect(vote.closedAt).not.toBeNull();
    expect(vote.tallies.map((t) => t.count).sort()).toEqual([0, 0, 5]);
  });
});
