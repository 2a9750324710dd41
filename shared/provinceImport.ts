/**
 * Setting up a province from a spreadsheet: the units, their accounts and the counter cameras, each kind from
 * a CSV or Excel file whose first row names the columns. The REST API and the admin page share these names.
 */
import { z } from 'zod';
import { unaccented } from './unaccented.js';
import { roles, unitLevels, type Role, type UnitLevel } from './meetings.js';
import type { Said } from './messages/index.js';

/** In this order: an account sits at a unit, so the units come first. */
export const importKinds = ['units', 'accounts', 'cameras'] as const;
export type ImportKind = (typeof importKinds)[number];

export const importFormats = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];

/** One column of a kind's file: the field it fills (the form's name for it), its heading in the template. */
export interface ImportColumn {
  field: string;
  /** The template's heading; a file may also head the column with the field's name or the heading unaccented. */
  heading: string;
  required: boolean;
  /** How to write it, for the template's guide sheet. */
  guide: string;
  example: string;
  /** A secret: never shown back on the page nor recorded in the audit trail. */
  secret?: boolean;
}

export const importColumns: Readonly<Record<ImportKind, readonly ImportColumn[]>> = {
  units: [
    { field: 'code', heading: 'Mã đơn vị', required: true, guide: '2–32 chữ in hoa không dấu, số hoặc “-”', example: 'XA-NHON-HOI' },
    { field: 'name', heading: 'Tên đơn vị', required: true, guide: 'tên đầy đủ, có dấu', example: 'UBND xã Nhơn Hội' },
    { field: 'level', heading: 'Cấp', required: true, guide: '“tỉnh” hoặc “xã” (xã, phường, đặc khu)', example: 'xã' },
  ],
  accounts: [
    {
      field: 'username',
      heading: 'Tên đăng nhập',
      required: true,
      guide: '2–64 chữ thường không dấu, số, “.”, “_” hoặc “-”',
      example: 'nhonhoi',
    },
    {
      field: 'displayName',
      heading: 'Tên hiển thị',
      required: true,
      guide: 'họ tên hoặc tên điểm cầu, có dấu',
      example: 'Điểm cầu xã Nhơn Hội',
    },
    {
      field: 'role',
      heading: 'Vai trò',
      required: true,
      guide: '“điểm cầu”, “chủ tọa”, “thư ký”, “giám sát viên” hoặc “quản trị viên”',
      example: 'điểm cầu',
    },
    {
      field: 'bridgePointCode',
      heading: 'Mã đơn vị',
      required: false,
      guide: 'mã của đơn vị đã có (bắt buộc với vai trò điểm cầu)',
      example: 'XA-NHON-HOI',
    },
  ],
  cameras: [
    { field: 'name', heading: 'Tên camera', required: true, guide: 'tên hiện trên màn hình giám sát', example: 'Quầy 1 - Nhơn Hội' },
    { field: 'unitName', heading: 'Đơn vị', required: true, guide: 'đơn vị đặt camera', example: 'UBND xã Nhơn Hội' },
    { field: 'counter', heading: 'Quầy', required: true, guide: 'quầy một cửa camera nhìn vào', example: 'Quầy 1' },
    {
      field: 'onvifAddress',
      heading: 'Địa chỉ ONVIF',
      required: true,
      guide: 'địa chỉ dịch vụ ONVIF của camera',
      example: 'http://10.10.5.21/onvif/device_service',
    },
    { field: 'username', heading: 'Tài khoản camera', required: false, guide: 'tài khoản ONVIF của camera', example: 'onvif' },
    { field: 'password', heading: 'Mật khẩu camera', required: false, guide: 'mật khẩu ONVIF của camera', example: '', secret: true },
    { field: 'pinned', heading: 'Ghim', required: false, guide: '“có” để luôn kéo luồng; để trống là không', example: 'không' },
  ],
};

/** A heading, an answer or a coded word as compared: no marks, no case, single spaces. */
export function foldWord(text: string): string {
  return unaccented(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

const wordsOf = <T extends string>(table: Record<T, string[]>): Map<string, T> =>
  new Map(Object.entries<string[]>(table).flatMap(([code, words]) => [code, ...words].map((word) => [foldWord(word), code as T])));

/** The words a file may use for a unit's level: the province since July 2025 has no districts, and a commune may be a ward. */
const levelWords = wordsOf<UnitLevel>({
  PROVINCE: ['tỉnh', 'cấp tỉnh', 'province'],
  DISTRICT: ['huyện', 'cấp huyện', 'district'],
  COMMUNE: ['xã', 'cấp xã', 'phường', 'đặc khu', 'commune', 'ward'],
});

const roleWords = wordsOf<Role>({
  CHAIR: ['chủ tọa', 'chair'],
  BRIDGE_POINT: ['điểm cầu', 'bridge point'],
  SUPERVISOR: ['giám sát viên', 'giám sát', 'supervisor'],
  SECRETARIAT: ['thư ký', 'secretariat'],
  ADMIN: ['quản trị viên', 'quản trị', 'admin'],
});

const yesNoWords = wordsOf<'yes' | 'no'>({ yes: ['có', 'x', '1', 'true'], no: ['', 'không', '0', 'false'] });

const coded =
  <T extends string>(words: Map<string, T>) =>
  (value: unknown) =>
    typeof value === 'string' ? (words.get(foldWord(value)) ?? value) : value;

/** A cell's words as the code the API takes ("xã" → COMMUNE, "điểm cầu" → BRIDGE_POINT, "có" → true). */
export const importLevelSchema = z.preprocess(coded(levelWords), z.enum(unitLevels, { error: 'validation.importLevel' }));
export const importRoleSchema = z.preprocess(coded(roleWords), z.enum(roles, { error: 'validation.importRole' }));
export const importYesNoSchema = z.preprocess(
  (value) => (typeof value === 'string' ? yesNoWords.get(foldWord(value)) : (value ?? 'no')),
  z.enum(['yes', 'no'], { error: 'validation.importYesNo' }).transform((answer) => answer === 'yes'),
);

/** The file as the page sends it: its name (for the audit trail) and its bytes. */
export const importFileSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
  /** The file's bytes, base64: a CSV (UTF-8, or Windows-1258 as Excel saves it) or an .xlsx workbook. */
  content: z.base64().min(1).max(4_000_000),
});
export type ImportFile = z.infer<typeof importFileSchema>;

/** At most this many rows per file: the merged province has about 150 units. */
export const maxImportRows = 2000;

/** One data row of the file as checked: its values (secrets left out) and what is wrong with it. */
export interface ImportRowDto {
  /** The row's number in the file as a spreadsheet shows it (the headings are row 1). */
  line: number;
  values: Record<string, string>;
  problems: Said[];
}

/** A dry run: every row with its problems, and the file's own (a missing column, no rows). */
export interface ImportCheckDto {
  kind: ImportKind;
  fileName: string;
  fileProblems: Said[];
  /** Headings the kind has no column for (a row number, notes): their cells are left out. */
  ignoredColumns: string[];
  rows: ImportRowDto[];
  /** Nothing is wrong: applying it creates every row. */
  ready: boolean;
}

/** An account an import created, with its one-time password: shown once, on the sheet to print. */
export interface ImportedAccountDto {
  username: string;
  displayName: string;
  role: Role;
  bridgePointCode: string | null;
  temporaryPassword: string;
}

export interface ImportAppliedDto {
  kind: ImportKind;
  created: number;
  /** Accounts only: every created account's one-time password. */
  accounts?: ImportedAccountDto[];
}
