import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unitLevels, type UnitLevel } from '../../../../shared/meetings';
import type { UnitDto } from '../../../../shared/units';
import { api } from '../../api/http';
import { RoomSystems } from './RoomSystems';
import { AdminSearch } from './AdminSearch';
import { matchesSearch, useAdminList } from './useAdminList';
import { AdminFilter } from './AdminFilter';
import { dateOnly } from '../../format';

/** A date picked on the page (the province's day), as the start of that day in Vietnam. */
const effectiveAt = (date: string) => (date ? `${date}T00:00:00+07:00` : undefined);

/** Units (bridge points): add, rename or re-level, retire, merge, each from a date; the history of each. */
export function Units() {
  const { t } = useTranslation();
  const { items: units, loaded, error, errorAt, act } = useAdminList<UnitDto>('/api/bridge-points/history');
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState<UnitLevel | ''>('');
  const [inService, setInService] = useState<'inService' | 'retired' | ''>('');
  const shown = units.filter(
    (u) =>
      matchesSearch(search, u.code, u.name, ...u.history.map((h) => h.name)) &&
      (level === '' || u.level === level) &&
      (inService === '' || (u.retiredAt ? 'retired' : 'inService') === inService),
  );
  const filtered = search !== '' || level !== '' || inService !== '';
  const [added, setAdded] = useState({ code: '', name: '', level: 'COMMUNE' as UnitLevel });
  const [change, setChange] = useState({ code: '', name: '', level: '' as UnitLevel | '', date: '' });
  const [merge, setMerge] = useState({ codes: [] as string[], code: '', name: '', level: 'COMMUNE' as UnitLevel, date: '' });
  const active = units.filter((u) => !u.retiredAt);
  /** A form's change, its refusal shown in that form; `confirm` asks first where the change cannot be undone here. */
  const submit = (event: FormEvent, at: string, work: () => Promise<unknown>, confirm?: string) => {
    event.preventDefault();
    if (confirm && !window.confirm(confirm)) return;
    act(work(), undefined, at);
  };
  const refusal = (at: string) => errorAt(at) && <p className="error">{errorAt(at)}</p>;

  return (
    <section data-testid="units">
      {error && <p className="error">{error}</p>}
      <div className="admin-finders">
        <AdminSearch value={search} onChange={setSearch} testId="search-units" />
        <AdminFilter
          label={t('admin.unit.level')}
          value={level}
          onChange={setLevel}
          options={unitLevels.map((l) => ({ value: l, text: t(`unitLevel.${l}`) }))}
          testId="filter-level"
        />
        <AdminFilter
          label={t('admin.status')}
          value={inService}
          onChange={setInService}
          options={(['inService', 'retired'] as const).map((s) => ({ value: s, text: t(`admin.filter.unit.${s}`) }))}
          testId="filter-unit-state"
        />
      </div>
      {loaded && shown.length === 0 && <p className="notice">{filtered ? t('admin.noMatch') : t('admin.empty.units')}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>{t('admin.unit.code')}</th>
            <th>{t('admin.unit.name')}</th>
            <th>{t('admin.unit.level')}</th>
            <th>{t('admin.status')}</th>
            <th>{t('admin.unit.formerly')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((u) => (
            <tr key={u.code} data-code={u.code}>
              <td>{u.code}</td>
              <td>{u.name}</td>
              <td>{t(`unitLevel.${u.level}`)}</td>
              <td>
                {u.mergedInto
                  ? t('admin.unit.mergedInto', { code: u.mergedInto })
                  : u.retiredAt
                    ? t('admin.unit.retired', { date: dateOnly(u.retiredAt) })
                    : t('admin.active')}
              </td>
              <td>{u.history.map((h) => `${h.name} (${t('admin.unit.until', { date: dateOnly(h.validUntil) })})`).join('; ')}</td>
              <td>
                {!u.retiredAt && (
                  <button
                    type="button"
                    onClick={() => {
                      if (!window.confirm(t('admin.confirm.retire', { code: u.code, name: u.name }))) return;
                      act(api.post(`/api/bridge-points/${u.code}/retire`, {}), undefined, u.code);
                    }}
                  >
                    {t('admin.unit.retire')}
                  </button>
                )}
                {refusal(u.code)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="form inline" onSubmit={(e) => submit(e, 'add', () => api.post('/api/bridge-points', added))}>
        <h3>{t('admin.unit.add')}</h3>
        <input
          required
          placeholder={t('admin.unit.code')}
          value={added.code}
          onChange={(e) => setAdded({ ...added, code: e.target.value.toUpperCase() })}
        />
        <input
          required
          placeholder={t('admin.unit.name')}
          value={added.name}
          onChange={(e) => setAdded({ ...added, name: e.target.value })}
        />
        <LevelSelect value={added.level} onChange={(level) => setAdded({ ...added, level })} />
        <button type="submit">{t('admin.unit.add')}</button>
        {refusal('add')}
      </form>

      <form
        className="form inline"
        onSubmit={(e) =>
          submit(e, 'change', () =>
            api.patch(`/api/bridge-points/${change.code}`, {
              ...(change.name ? { name: change.name } : {}),
              ...(change.level ? { level: change.level } : {}),
              effectiveAt: effectiveAt(change.date),
            }),
          )
        }
      >
        <h3>{t('admin.unit.change')}</h3>
        <select required value={change.code} onChange={(e) => setChange({ ...change, code: e.target.value })}>
          <option value="" />
          {active.map((u) => (
            <option key={u.code} value={u.code}>
              {u.code} – {u.name}
            </option>
          ))}
        </select>
        <input placeholder={t('admin.unit.newName')} value={change.name} onChange={(e) => setChange({ ...change, name: e.target.value })} />
        <LevelSelect value={change.level} optional onChange={(level) => setChange({ ...change, level })} />
        <label>
          {t('admin.unit.from')} <input type="date" value={change.date} onChange={(e) => setChange({ ...change, date: e.target.value })} />
        </label>
        <button type="submit">{t('admin.unit.change')}</button>
        {refusal('change')}
      </form>

      <form
        className="form inline"
        onSubmit={(e) =>
          submit(
            e,
            'merge',
            () =>
              api.post('/api/bridge-points/merge', {
                codes: merge.codes,
                into: { code: merge.code, name: merge.name, level: merge.level },
                effectiveAt: effectiveAt(merge.date),
              }),
            t('admin.confirm.merge', { codes: merge.codes.join(', '), code: merge.code, name: merge.name }),
          )
        }
      >
        <h3>{t('admin.unit.merge')}</h3>
        <select
          multiple
          required
          value={merge.codes}
          onChange={(e) => setMerge({ ...merge, codes: [...e.target.selectedOptions].map((o) => o.value) })}
        >
          {active.map((u) => (
            <option key={u.code} value={u.code}>
              {u.code} – {u.name}
            </option>
          ))}
        </select>
        <input
          required
          placeholder={t('admin.unit.code')}
          value={merge.code}
          onChange={(e) => setMerge({ ...merge, code: e.target.value.toUpperCase() })}
        />
        <input
          required
          placeholder={t('admin.unit.name')}
          value={merge.name}
          onChange={(e) => setMerge({ ...merge, name: e.target.value })}
        />
        <LevelSelect value={merge.level} onChange={(level) => setMerge({ ...merge, level })} />
        <label>
          {t('admin.unit.from')} <input type="date" value={merge.date} onChange={(e) => setMerge({ ...merge, date: e.target.value })} />
        </label>
        <button type="submit">{t('admin.unit.merge')}</button>
        {refusal('merge')}
      </form>

      <RoomSystems units={units} />
    </section>
  );
}

function LevelSelect<T extends UnitLevel | ''>({
  value,
  onChange,
  optional,
}: {
  value: T;
  onChange: (level: T) => void;
  optional?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as T)}>
      {optional && <option value="" />}
      {unitLevels.map((level) => (
        <option key={level} value={level}>
          {t(`unitLevel.${level}`)}
        </option>
      ))}
    </select>
  );
}
