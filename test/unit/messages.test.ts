import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { auditActions, createUserSchema } from '../../shared/accounts.js';
import { createMeetingSchema } from '../../shared/meetings.js';
import { isMessageKey, messageTables, renderMessage, said, saidOfIssues, saidOf, type MessageKey } from '../../shared/messages/index.js';
import { createOutputSchema } from '../../shared/program.js';
import { errorCodes } from '../../shared/protocol.js';

const keys = Object.keys(messageTables.vi) as MessageKey[];
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
/** Letters only Vietnamese writes: a Vietnamese sentence has some. */
const vietnameseLetters = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;
/** Messages that read the same in both languages: a template, a proper name, a code. */
const sameInBoth = new Set<MessageKey>([
  'validation.field',
  'validation.issues',
  'unit.retiredInList',
  'field.camera',
  'field.cameraId',
  'field.sha256',
  'audit.target.camera',
]);

function invalid(schema: z.ZodType, data: unknown) {
  const result = schema.safeParse(data, { reportInput: true });
  expect(result.success).toBe(false);
  return renderMessage(saidOfIssues(result.error!.issues));
}

describe('what a person is told: one table, Vietnamese first', () => {
  it('says every message in Vietnamese, and in English with the same parameters', () => {
    expect(keys.length).toBeGreaterThan(250);
    for (const key of keys) {
      const vi = messageTables.vi[key];
      const en = messageTables.en[key];
      expect(en, key).toBeTruthy();
      expect(placeholders(en), key).toEqual(placeholders(vi));
      if (sameInBoth.has(key)) continue;
      expect(vi, key).not.toBe(en);
      // a Vietnamese message reads as Vietnamese: its words carry the language's letters
      if (
        vi
          .replace(/\{\{\w+\}\}/g, '')
          .split(/\s+/)
          .filter((word) => /[a-z]{2}/i.test(word)).length > 1
      )
        expect(vi, key).toMatch(vietnameseLetters);
    }
    expect(Object.keys(messageTables.en).sort()).toEqual([...keys].sort());
  });

  it('has a message for every socket code, role, meeting state and audit action', () => {
    for (const code of [...errorCodes, 'TOO_MANY_CONNECTIONS', 'PASSWORD_CHANGE_REQUIRED'])
      expect(isMessageKey(`code.${code}`), code).toBe(true);
    for (const action of auditActions) expect(isMessageKey(`audit.action.${action}`), action).toBe(true);
    for (const role of ['CHAIR', 'BRIDGE_POINT', 'SUPERVISOR', 'SECRETARIAT', 'ADMIN']) expect(isMessageKey(`role.${role}`)).toBe(true);
  });

  it('renders parameters, messages within messages and lists, in the language asked', () => {
    const roles = said('access.needsRole', { roles: [said('role.CHAIR'), said('role.ADMIN')] });
    expect(renderMessage(roles)).toBe('Việc này chỉ dành cho tài khoản chủ tọa, quản trị viên.');
    expect(renderMessage(roles, 'en')).toBe('Only a chair, admin account may do this.');
    const status = said('meeting.onlyScheduledChanges', { status: said('meetingStatus.LIVE') });
    expect(renderMessage(status)).toBe('Cuộc họp đang họp: chỉ sửa được cuộc họp chưa bắt đầu.');
  });

  it('reads a message that crossed a boundary only when the table holds it', () => {
    expect(saidOf({ messageKey: 'meeting.locked' })).toEqual({ key: 'meeting.locked' });
    expect(saidOf({ messageKey: 'meeting.notInvited', messageParams: { code: 'XA-01' } })).toEqual({
      key: 'meeting.notInvited',
      params: { code: 'XA-01' },
    });
    expect(saidOf({ messageKey: 'no.such.key' })).toBeUndefined();
    expect(saidOf({ messageKey: 'meeting.notInvited', messageParams: { code: { nested: true } } })).toBeUndefined();
    expect(saidOf({})).toBeUndefined();
  });

  it('names each refused field as the form calls it, and its problem in words', () => {
    expect(invalid(createUserSchema, { username: 'Nguyễn Văn A', displayName: 'A', role: 'ADMIN' })).toBe(
      'Tên đăng nhập: 2–64 ký tự: chữ thường không dấu, chữ số, “.”, “_” hoặc “-”, Tên hiển thị: cần ít nhất 2 ký tự',
    );
    expect(invalid(createUserSchema, { username: 'xa-01', displayName: 'Xã Một', role: 'THU_KY' })).toBe(
      'Vai trò: hãy chọn một giá trị trong danh sách',
    );
    const meeting = {
      title: 'Họp',
      hostLevel: 'PROVINCIAL',
      scheduledStart: '2026-12-07T10:00:00+07:00',
      scheduledEnd: '2026-12-07T09:00:00+07:00',
      invitedCodes: ['xa-01'],
    };
    const refusal = invalid(createMeetingSchema, meeting);
    expect(refusal).toContain('Điểm cầu được mời: chữ in hoa không dấu, chữ số hoặc “-”, ví dụ XA-01');
    expect(invalid(createMeetingSchema, { ...meeting, invitedCodes: ['XA-01'] })).toBe('Giờ kết thúc: phải sau giờ bắt đầu');
    expect(invalid(createMeetingSchema, { ...meeting, title: undefined, invitedCodes: ['XA-01'] })).toMatch(/^Tiêu đề: cần nhập/);
    expect(invalid(createOutputSchema, { url: 'srt://10.0.0.5:9000?latency' })).toMatch(
      /^Địa chỉ phát: tham số SRT “latency” không dùng được \(cần dạng tên=giá-trị, tên là một trong: [a-z_, ]+\)$/,
    );
    expect(invalid(createOutputSchema, { url: 'rtmp://user:mat-khau@10.0.0.5/live/khoa' })).toMatch(
      /^Địa chỉ phát: không ghi tên người dùng/,
    );
  });
});
