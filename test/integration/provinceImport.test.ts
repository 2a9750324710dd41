import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClips } from '../../camera-gateway/simulator/CameraSimulatorFarm.js';
import { OnvifSimulator, type SimulatedCamera } from '../../camera-gateway/simulator/OnvifSimulator.js';
import type { AuditEntryDto } from '../../shared/accounts.js';
import type { CameraDto } from '../../shared/cameras.js';
import { renderMessage, said, type Said } from '../../shared/messages/index.js';
import { importColumns, type ImportAppliedDto, type ImportCheckDto, type ImportKind } from '../../shared/provinceImport.js';
import type { UnitDto } from '../../shared/units.js';
import { startTestHub, type TestHub } from './helpers.js';

/** A file as the admin page sends it. */
const file = (fileName: string, content: string | Buffer) => ({
  fileName,
  content: (typeof content === 'string' ? Buffer.from(content, 'utf8') : content).toString('base64'),
});
/** What a refused call answers besides. */
type Refusal = { message?: string; messageKey?: string; messageParams?: unknown };
const words = (problems: Said[]) => problems.map((problem) => renderMessage(problem));
const field = (name: string, problem: Said) => said('validation.field', { field: said(`field.${name}` as never), problem });

describe('setting up a province from files: a template, a dry run in words, an apply of every row or none', () => {
  let hub: TestHub;
  let admin: string;
  let simulator: OnvifSimulator;
  const cameras: SimulatedCamera[] = [1, 2, 3].map((n) => ({
    id: `cam${n}`,
    name: `Quay ${n}`,
    location: 'UBND xã Nhơn Hội',
    username: 'onvif',
    password: `bí-mật-${n}`,
    streams: { main: `rtsp://127.0.0.1:9/cam${n}/main`, sub: `rtsp://127.0.0.1:9/cam${n}/sub` },
    encoding: 'H264',
    ptz: false,
    presets: [],
  }));

  beforeAll(async () => {
    const clips = await ensureClips();
    simulator = new OnvifSimulator(cameras, { snapshot: (await import('node:fs')).readFileSync(clips.snapshot) });
    await simulator.start();
    hub = await startTestHub();
    admin = await hub.login('admin');
  });
  afterAll(async () => {
    await hub?.close();
    await simulator?.stop();
  });

  const check = async (kind: ImportKind, sent: ReturnType<typeof file>) =>
    hub.api<ImportCheckDto & Refusal>('POST', `/api/import/${kind}/check`, { token: admin, body: sent });
  const apply = async (kind: ImportKind, sent: ReturnType<typeof file>) =>
    hub.api<ImportAppliedDto & Refusal>('POST', `/api/import/${kind}`, { token: admin, body: sent });
  const problemsByLine = (checked: ImportCheckDto) => Object.fromEntries(checked.rows.map((row) => [row.line, words(row.problems)]));
  const trail = async (action: string) =>
    (await hub.api<AuditEntryDto[]>('GET', `/api/audit?action=${action}&limit=500`, { token: admin })).body;
  const unitCodes = async () => (await hub.api<UnitDto[]>('GET', '/api/bridge-points/history', { token: admin })).body.map((u) => u.code);

  it('gives each kind a template: an .xlsx with a guide sheet, and a CSV Excel opens as UTF-8', async () => {
    for (const kind of ['units', 'accounts', 'cameras'] as const) {
      const xlsx = await hub.api('GET', `/api/import/${kind}/template`, { token: admin });
      expect(xlsx.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
      const [sheet, guide] = workbook.worksheets;
      expect((sheet!.getRow(1).values as string[]).slice(1)).toEqual(importColumns[kind].map((c) => c.heading));
      expect(guide!.name).toBe('Hướng dẫn');
      expect(guide!.getRow(2).getCell(3).text).toBe(importColumns[kind][0]!.guide);
      const csv = await hub.api('GET', `/api/import/${kind}/template?format=csv`, { token: admin });
      expect(csv.headers.get('content-disposition')).toContain(encodeURIComponent(`Mẫu nhập`));
      expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.raw.subarray(3).toString('utf8').trim()).toBe(importColumns[kind].map((c) => c.heading).join(','));
    }
  });

  it("units: the dry run says each row's problem in Vietnamese, and applying such a file creates nothing", async () => {
    const before = await unitCodes();
    const sent = file(
      'don-vi.csv',
      [
        'STT,Mã đơn vị,Tên đơn vị,Cấp',
        '1,XA-01,UBND xã Trùng Mã,xã',
        '2,xa-moi,UBND xã Mới,xã',
        '3,XA-MOI-2,,xã',
        '4,XA-MOI-3,UBND xã Ba,quận',
        '5,XA-MOI-4,UBND phường Bốn,phường',
        '6,XA-MOI-4,UBND phường Bốn (lần hai),phường',
      ].join('\n'),
    );
    const { status, body } = await check('units', sent);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ready: false, fileProblems: [], ignoredColumns: ['STT'] });
    expect(problemsByLine(body)).toEqual({
      2: ['Mã XA-01 đã được dùng cho một đơn vị khác.'],
      3: words([field('code', said('validation.unitCode'))]),
      4: words([field('name', said('validation.required'))]),
      5: words([field('level', said('validation.importLevel'))]),
      6: [],
      7: ['trùng với dòng 6 của tệp'],
    });
    const refused = await apply('units', sent);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ messageKey: 'import.notReady', messageParams: { count: 5 } });
    expect(refused.body.message).toMatch(/^Chưa nhập: còn 5 dòng có lỗi/);
    expect(await unitCodes()).toEqual(before);
    expect(await trail('import.apply')).toEqual([]);
  });

  it("units: Excel's own CSV (Windows-1258, semicolons) is read with its accents, created at once and audited", async () => {
    const text = [
      'Mã đơn vị;Tên đơn vị;Cấp',
      'XA-NHON-HOI;UBND xã Nhơn Hội;xã',
      'PHUONG-CHAU-DOC;UBND phường Châu Đốc;Phường',
      'DK-PHU-QUOC;Đặc khu Phú Quốc;đặc khu',
    ].join('\r\n');
    const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1258'], { input: text });
    // the code page writes tone marks as characters of their own: the file is not UTF-8
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const sent = file('Đơn vị An Giang.csv', bytes);
    const checked = await check('units', sent);
    expect(checked.body).toMatchObject({ ready: true, fileProblems: [] });
    expect(checked.body.rows.map((r) => r.values.name)).toEqual(['UBND xã Nhơn Hội', 'UBND phường Châu Đốc', 'Đặc khu Phú Quốc']);
    const applied = await apply('units', sent);
    expect(applied.status).toBe(201);
    expect(applied.body).toEqual({ kind: 'units', created: 3 });
    const units = (await hub.api<UnitDto[]>('GET', '/api/bridge-points/history', { token: admin })).body;
    expect(units.filter((u) => ['XA-NHON-HOI', 'PHUONG-CHAU-DOC', 'DK-PHU-QUOC'].includes(u.code))).toEqual([
      expect.objectContaining({ code: 'XA-NHON-HOI', name: 'UBND xã Nhơn Hội', level: 'COMMUNE', retiredAt: null }),
      expect.objectContaining({ code: 'PHUONG-CHAU-DOC', name: 'UBND phường Châu Đốc', level: 'COMMUNE' }),
      expect.objectContaining({ code: 'DK-PHU-QUOC', name: 'Đặc khu Phú Quốc', level: 'COMMUNE' }),
    ]);
    const [summary] = await trail('import.apply');
    expect(summary).toMatchObject({
      actor: 'admin',
      detail: { importKind: 'units', fileName: 'Đơn vị An Giang.csv', rows: 3, sha256: createHash('sha256').update(bytes).digest('hex') },
    });
    const created = (await trail('bridgePoint.create')).filter((e) => (e.detail as { importedFrom?: string }).importedFrom);
    expect(created.map((e) => e.target).sort()).toEqual([
      'bridgePoint:DK-PHU-QUOC',
      'bridgePoint:PHUONG-CHAU-DOC',
      'bridgePoint:XA-NHON-HOI',
    ]);
    // the same file again: every row is now taken
    expect((await check('units', sent)).body.rows.every((r) => r.problems[0]?.key === 'unit.codeTaken')).toBe(true);
  });

  it('checks the file again when applying it: a unit added meanwhile refuses the whole file', async () => {
    const sent = file(
      'sau-khi-kiem-tra.csv',
      ['Mã đơn vị,Tên đơn vị,Cấp', 'XA-SAU-1,UBND xã Sau Một,xã', 'XA-SAU-2,UBND xã Sau Hai,xã'].join('\n'),
    );
    expect((await check('units', sent)).body.ready).toBe(true);
    const meanwhile = await hub.api('POST', '/api/bridge-points', {
      token: admin,
      body: { code: 'XA-SAU-2', name: 'UBND xã Sau Hai', level: 'COMMUNE' },
    });
    expect(meanwhile.status).toBe(201);
    const refused = await apply('units', sent);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ messageKey: 'import.notReady', messageParams: { count: 1 } });
    expect(await unitCodes()).not.toContain('XA-SAU-1');
  });

  it('creates the rows and their audit entries in one transaction: a write failing at the end leaves nothing', async () => {
    // the database refuses the import's last write, its summary in the audit trail (a disk or a constraint failing there)
    const sqlite = hub.databaseConfig.provider === 'sqlite';
    const refuseSummary = sqlite
      ? [
          `CREATE TRIGGER refuse_summary BEFORE INSERT ON "AuditEntry" WHEN NEW."action" = 'import.apply' AND NEW."detail" LIKE '%hong-cuoi.csv%' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
        ]
      : [
          `CREATE FUNCTION refuse_summary() RETURNS trigger AS $$ BEGIN IF NEW."action" = 'import.apply' AND NEW."detail" LIKE '%hong-cuoi.csv%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
          `CREATE TRIGGER refuse_summary BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION refuse_summary()`,
        ];
    for (const statement of refuseSummary) await hub.database.prisma.$executeRawUnsafe(statement);
    const createdBefore = (await trail('bridgePoint.create')).length;
    const sent = file(
      'hong-cuoi.csv',
      ['Mã đơn vị,Tên đơn vị,Cấp', 'XA-HONG-1,UBND xã Hỏng Một,xã', 'XA-HONG-2,UBND xã Hỏng Hai,xã'].join('\n'),
    );
    expect((await check('units', sent)).body.ready).toBe(true);
    const failed = await apply('units', sent);
    expect(failed.status).toBe(500);
    expect((await unitCodes()).filter((code) => code.startsWith('XA-HONG'))).toEqual([]);
    expect(await trail('bridgePoint.create')).toHaveLength(createdBefore);
    await hub.database.prisma.$executeRawUnsafe(sqlite ? 'DROP TRIGGER refuse_summary' : 'DROP TRIGGER refuse_summary ON "AuditEntry"');
  });

  it('accounts: problems in words; applied, each account has a one-time password that signs in, answered once', async () => {
    const wrong = await check(
      'accounts',
      file(
        'tai-khoan.csv',
        [
          'Tên đăng nhập,Tên hiển thị,Vai trò,Mã đơn vị',
          'xa-01,Trùng tài khoản mẫu,điểm cầu,XA-01',
          'moi1,Điểm cầu thiếu mã,điểm cầu,',
          'moi2,Điểm cầu mã lạ,điểm cầu,XA-KHONG-CO',
          'moi3,Vai trò lạ,khách mời,',
          'Moi4,Chữ hoa,thư ký,',
        ].join('\n'),
      ),
    );
    expect(problemsByLine(wrong.body)).toEqual({
      2: words([said('account.usernameTaken', { username: 'xa-01' })]),
      3: words([said('account.needsSite')]),
      4: ['chưa có đơn vị mã XA-KHONG-CO: hãy nhập đơn vị trước'],
      5: words([field('role', said('validation.importRole'))]),
      6: words([field('username', said('validation.username'))]),
    });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Tài khoản');
    sheet.addRows([
      ['ten dang nhap', 'TEN HIEN THI', 'vai tro', 'ma don vi'],
      ['nhonhoi', 'Điểm cầu xã Nhơn Hội', 'Điểm cầu', 'XA-NHON-HOI'],
      ['thuky.tinh', 'Trần Thị Thư', 'thư ký', ''],
      ['chutoa2', 'Lê Văn Chủ', 'CHU TOA', ''],
    ]);
    const sent = file('tai-khoan.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect((await check('accounts', sent)).body).toMatchObject({ ready: true, ignoredColumns: [] });
    const applied = await apply('accounts', sent);
    expect(applied.status).toBe(201);
    expect(applied.body.accounts!.map(({ temporaryPassword: _once, ...account }) => account)).toEqual([
      { username: 'nhonhoi', displayName: 'Điểm cầu xã Nhơn Hội', role: 'BRIDGE_POINT', bridgePointCode: 'XA-NHON-HOI' },
      { username: 'thuky.tinh', displayName: 'Trần Thị Thư', role: 'SECRETARIAT', bridgePointCode: null },
      { username: 'chutoa2', displayName: 'Lê Văn Chủ', role: 'CHAIR', bridgePointCode: null },
    ]);
    const passwords = applied.body.accounts!.map((a) => a.temporaryPassword);
    expect(new Set(passwords).size).toBe(3);
    const signIn = await hub.api('POST', '/api/auth/login', { body: { username: 'nhonhoi', password: passwords[0] } });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ user: { username: 'nhonhoi', mustChangePassword: true } });
    // answered once: neither the accounts list nor the audit trail holds them
    const listed = JSON.stringify((await hub.api('GET', '/api/users', { token: admin })).body);
    const audited = JSON.stringify(await hub.api('GET', '/api/audit?limit=500', { token: admin }));
    for (const password of passwords) {
      expect(listed).not.toContain(password);
      expect(audited).not.toContain(password);
    }
    expect(
      (await trail('user.create')).filter((e) => (e.detail as { importedFrom?: string }).importedFrom === 'tai-khoan.xlsx'),
    ).toHaveLength(3);
  });

  it('cameras: the dry run asks each camera over ONVIF; the passwords never come back; every camera or none', async () => {
    const template = await hub.api('GET', '/api/import/cameras/template', { token: admin });
    const fill = async (rows: string[][]) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(template.raw as unknown as ArrayBuffer);
      workbook.worksheets[0]!.addRows(rows);
      return file('camera.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    };
    const row = (n: number, password: string, address = simulator.xaddr(`cam${n}`), pinned = '') => [
      `Quầy ${n} - Nhơn Hội`,
      'UBND xã Nhơn Hội',
      `Quầy ${n}`,
      address,
      'onvif',
      password,
      pinned,
    ];
    const unreachable = 'http://127.0.0.1:9/onvif/device_service';
    const wrong = await fill([
      row(1, 'bí-mật-1', undefined, 'có'),
      row(2, 'sai-mật-khẩu'),
      row(3, 'bí-mật-3', unreachable),
      row(1, 'bí-mật-1'),
    ]);
    const checked = await check('cameras', wrong);
    expect(problemsByLine(checked.body)).toEqual({
      2: [],
      3: words([said('camera.refusedCredentials', { address: simulator.xaddr('cam2') })]),
      4: words([said('camera.unreachable', { address: unreachable })]),
      5: ['trùng với dòng 2 của tệp'],
    });
    expect(JSON.stringify(checked.body)).not.toContain('bí-mật');
    expect(checked.body.rows[0]!.values).not.toHaveProperty('password');
    expect((await apply('cameras', wrong)).status).toBe(409);
    expect((await hub.api<CameraDto[]>('GET', '/api/cameras', { token: admin })).body).toEqual([]);

    const right = await fill([row(1, 'bí-mật-1', undefined, 'có'), row(2, 'bí-mật-2'), row(3, 'bí-mật-3')]);
    expect((await check('cameras', right)).body.ready).toBe(true);
    const applied = await apply('cameras', right);
    expect(applied.body).toEqual({ kind: 'cameras', created: 3 });
    const registered = (await hub.api<CameraDto[]>('GET', '/api/cameras', { token: admin })).body;
    expect(registered.map((c) => [c.name, c.onvifAddress, c.pinned])).toEqual([
      ['Quầy 1 - Nhơn Hội', simulator.xaddr('cam1'), true],
      ['Quầy 2 - Nhơn Hội', simulator.xaddr('cam2'), false],
      ['Quầy 3 - Nhơn Hội', simulator.xaddr('cam3'), false],
    ]);
    const trailText = JSON.stringify(await trail('camera.create'));
    expect(trailText).toContain('camera.xlsx');
    expect(trailText).not.toContain('bí-mật');
  });

  it('says in words why a file cannot be read, and what a file lacks', async () => {
    const oldExcel = await check('units', file('cu.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])));
    expect(oldExcel.status).toBe(400);
    expect(oldExcel.body.message).toMatch(/^Đây là tệp Excel 97–2003/);
    const broken = await check('units', file('hong.xlsx', Buffer.from('PK\u0003\u0004 không phải tệp nén')));
    expect(broken.body.messageKey).toBe('import.unreadable');
    const headingsOnly = await check('units', file('trong.csv', 'Mã đơn vị,Tên,Cấp\n'));
    expect(headingsOnly.body).toMatchObject({ ready: false, ignoredColumns: ['Tên'], rows: [] });
    expect(words(headingsOnly.body.fileProblems)).toEqual([
      'Thiếu cột “Tên đơn vị”.',
      'Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào.',
    ]);
    const notAdmin = await hub.api('POST', '/api/import/units/check', { token: await hub.login('xa-01'), body: file('x.csv', 'a') });
    expect(notAdmin.status).toBe(403);
  });
});
