/** The province's units (bridge points) as the admin manages them, with their reorganisation history. */
import { z } from 'zod';
import { bridgePointCodeSchema, unitLevels, type UnitLevel } from './meetings.js';

const unitName = z.string().trim().min(2).max(200);
/** When a change took effect (ISO date-time); default now, never in the future. */
const effectiveAt = z.iso.datetime({ offset: true }).optional();

export const createUnitSchema = z.strictObject({ code: bridgePointCodeSchema, name: unitName, level: z.enum(unitLevels) });

export const changeUnitSchema = z
  .strictObject({ name: unitName.optional(), level: z.enum(unitLevels).optional(), effectiveAt })
  .refine((c) => c.name !== undefined || c.level !== undefined, { message: 'validation.nameOrLevel' });

export const retireUnitSchema = z.strictObject({ effectiveAt });

export const mergeUnitsSchema = z.strictObject({
  codes: z.array(bridgePointCodeSchema).min(1).max(200),
  into: createUnitSchema,
  effectiveAt,
});

export interface UnitDto {
  code: string;
  name: string;
  level: UnitLevel;
  /** When it was retired or merged away; null while in service. */
  retiredAt: string | null;
  /** The unit it was merged into. */
  mergedInto: string | null;
  /** Names and levels it held before, each until `validUntil`. */
  history: Array<{ name: string; level: UnitLevel; validUntil: string }>;
}

/** How a report groups bridge points: as the units were at each meeting, or by today's units (merged ones added up). */
export const unitViews = ['then', 'today'] as const;
export type UnitView = (typeof unitViews)[number];
