import type { BridgePointDto, Role } from '../shared/meetings.js';

/** The province's video-conference bridge points: 22 provincial units and 25 communes. */
const provincial: Array<[code: string, name: string]> = [
  ['UBND-TINH', 'Điểm cầu UBND tỉnh (phòng họp trực tuyến)'],
  ['VP-TU', 'Văn phòng Tỉnh ủy'],
  ['VP-DDBQH-HDND', 'Văn phòng Đoàn ĐBQH và HĐND tỉnh'],
  ['VP-UBND', 'Văn phòng UBND tỉnh'],
  ['SO-NV', 'Sở Nội vụ'],
  ['SO-TP', 'Sở Tư pháp'],
  ['SO-TC', 'Sở Tài chính'],
  ['SO-CT', 'Sở Công Thương'],
  ['SO-NNMT', 'Sở Nông nghiệp và Môi trường'],
  ['SO-XD', 'Sở Xây dựng'],
  ['SO-KHCN', 'Sở Khoa học và Công nghệ'],
  ['SO-GDDT', 'Sở Giáo dục và Đào tạo'],
  ['SO-YT', 'Sở Y tế'],
  ['SO-VHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'],
  ['SO-DTTG', 'Sở Dân tộc và Tôn giáo'],
  ['THANH-TRA', 'Thanh tra tỉnh'],
  ['CONG-AN', 'Công an tỉnh'],
  ['BCH-QS', 'Bộ Chỉ huy Quân sự tỉnh'],
  ['MTTQ', 'Ủy ban MTTQ Việt Nam tỉnh'],
  ['BQL-KCN', 'Ban Quản lý các khu công nghiệp tỉnh'],
  ['TT-PVHCC', 'Trung tâm Phục vụ hành chính công tỉnh'],
  ['BHXH', 'Bảo hiểm xã hội tỉnh'],
];

const communes = [
  'An Bình',
  'An Phú',
  'Bình Minh',
  'Bình Thạnh',
  'Cát Tiên',
  'Đông Hòa',
  'Đông Sơn',
  'Hòa Bình',
  'Hòa Lạc',
  'Hưng Long',
  'Kim Sơn',
  'Long Hải',
  'Mỹ Lộc',
  'Nam Hồng',
  'Phú Lâm',
  'Phước Thành',
  'Quảng Tân',
  'Tân Lập',
  'Tân Phú',
  'Thạnh Mỹ',
  'Thuận An',
  'Tiên Lữ',
  'Trung Sơn',
  'Vĩnh Hòa',
  'Xuân Trường',
];

export const sampleBridgePoints: BridgePointDto[] = [
  ...provincial.map(([code, name]) => ({ code, name, level: 'PROVINCE' as const })),
  ...communes.map((commune, i) => ({
    code: `XA-${String(i + 1).padStart(2, '0')}`,
    name: `UBND xã ${commune}`,
    level: 'COMMUNE' as const,
  })),
];

export interface SampleUser {
  username: string;
  displayName: string;
  role: Role;
  bridgePointCode: string | null;
}

/** One account per bridge point (its code in lower case), plus the staff who run meetings. */
export function sampleUsers(): SampleUser[] {
  return [
    { username: 'admin', displayName: 'Quản trị hệ thống', role: 'ADMIN', bridgePointCode: null },
    { username: 'chu-toa', displayName: 'Chủ tịch UBND tỉnh', role: 'CHAIR', bridgePointCode: 'UBND-TINH' },
    { username: 'thu-ky', displayName: 'Văn phòng UBND tỉnh (thư ký)', role: 'SECRETARIAT', bridgePointCode: null },
    { username: 'giam-sat', displayName: 'Giám sát Trung tâm Phục vụ hành chính công', role: 'SUPERVISOR', bridgePointCode: null },
    // the two central supervision stations, each with a wall layout of its own
    { username: 'giam-sat-vp', displayName: 'Trạm giám sát Văn phòng UBND tỉnh', role: 'SUPERVISOR', bridgePointCode: null },
    { username: 'giam-sat-nv', displayName: 'Trạm giám sát Sở Nội vụ', role: 'SUPERVISOR', bridgePointCode: null },
    ...sampleBridgePoints.map((p) => ({
      username: p.code.toLowerCase(),
      displayName: p.name,
      role: 'BRIDGE_POINT' as const,
      bridgePointCode: p.code,
    })),
  ];
}
