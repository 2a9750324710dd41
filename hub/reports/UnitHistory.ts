import type { Db } from '../../prisma/index.js';
import type { UnitLevel } from '../../shared/meetings.js';

export interface UnitAsOf {
  /** Which unit (and which of its names) a row stands for: `<id>` today, `<id>@<name>` as it was then. */
  key: string;
  bridgePointId: number;
  code: string;
  name: string;
  level: UnitLevel;
}

interface Unit {
  id: number;
  code: string;
  name: string;
  level: UnitLevel;
  retiredAt: Date | null;
  mergedIntoId: number | null;
  /** Former names, oldest first, each valid until its date. */
  history: Array<{ name: string; level: UnitLevel; validUntil: Date }>;
}

/** The units' reorganisation history: a unit as it was at a moment, and today's unit that took it over. */
export class UnitHistory {
  readonly #units: Map<number, Unit>;

  private constructor(units: Unit[]) {
    this.#units = new Map(units.map((u) => [u.id, u]));
  }

  static async load(prisma: Db): Promise<UnitHistory> {
    const units = await prisma.bridgePoint.findMany({
      orderBy: { id: 'asc' },
      select: {
        id: true,
        code: true,
        name: true,
        level: true,
        retiredAt: true,
        mergedIntoId: true,
        history: { orderBy: { validUntil: 'asc' }, select: { name: true, level: true, validUntil: true } },
      },
    });
    return new UnitHistory(units);
  }

  /** Every unit, in registration order (ids). */
  get ids(): number[] {
    return [...this.#units.keys()];
  }

  isActive(id: number): boolean {
    return this.#units.get(id)?.retiredAt === null;
  }

  /** The unit with the name and level it had at `at`. */
  asOf(id: number, at: Date): UnitAsOf {
    const unit = this.#units.get(id)!;
    const former = unit.history.find((h) => h.validUntil.getTime() > at.getTime());
    const name = former?.name ?? unit.name;
    return { key: `${id}@${name}`, bridgePointId: id, code: unit.code, name, level: former?.level ?? unit.level };
  }

  /** The unit that carries it on today: itself, or the unit it was merged into (followed through later merges). */
  today(id: number): UnitAsOf {
    let unit = this.#units.get(id)!;
    const seen = new Set<number>();
    while (unit.mergedIntoId !== null && !seen.has(unit.id)) {
      seen.add(unit.id);
      unit = this.#units.get(unit.mergedIntoId)!;
    }
    return { key: String(unit.id), bridgePointId: unit.id, code: unit.code, name: unit.name, level: unit.level };
  }
}
