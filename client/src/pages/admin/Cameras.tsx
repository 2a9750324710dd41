import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  cameraStatuses,
  recordModes,
  type CameraDto,
  type CameraStatus,
  type CameraProfileDto,
  type DiscoveredCameraDto,
} from '../../../../shared/cameras';
import { CameraDiscovery } from './CameraDiscovery';
import { api } from '../../api/http';
import { AdminSearch } from './AdminSearch';
import { matchesSearch, useAdminList } from './useAdminList';
import { AdminFilter } from './AdminFilter';
import { errorText } from '../../api/errors';
import { StaffZoneEditor } from '../../counters/StaffZoneEditor';

const emptyCamera = { name: '', unitName: '', counter: '', onvifAddress: '', username: '', password: '' };

/** Cameras: find them on the network or add one by its ONVIF address, see its profiles, pin (always pulled) or unpin, delete. */
export function Cameras() {
  const { t } = useTranslation();
  const { items: cameras, loaded, error, errorAt, setError, act, reload } = useAdminList<CameraDto>('/api/cameras');
  /** The camera whose staff zone is being drawn. */
  const [zoning, setZoning] = useState<number | null>(null);
  const zoned = cameras.find((c) => c.id === zoning);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<CameraStatus | ''>('');
  const shown = cameras.filter(
    (c) => matchesSearch(search, c.name, c.unitName, c.counter, c.onvifAddress) && (status === '' || c.status === status),
  );
  const filtered = search !== '' || status !== '';
  const [profiles, setProfiles] = useState<{ id: number; list: CameraProfileDto[] }>();
  const [draft, setDraft] = useState(emptyCamera);
  /** A camera the search found, into the form: its address and what it says of itself; the admin adds the rest. */
  const fromDiscovery = (camera: DiscoveredCameraDto) =>
    setDraft({ ...emptyCamera, name: camera.name, unitName: camera.location, onvifAddress: camera.onvifAddress });
  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    act(api.post('/api/cameras', draft), () => setDraft(emptyCamera), 'add');
  };
  const field = (name: keyof typeof emptyCamera, type = 'text') => (
    <input
      required={name !== 'username' && name !== 'password'}
      type={type}
      placeholder={t(`admin.camera.${name}`)}
      value={draft[name]}
      onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
    />
  );

  return (
    <section data-testid="cameras">
      {error && <p className="error">{error}</p>}
      <div className="admin-finders">
        <AdminSearch value={search} onChange={setSearch} testId="search-cameras" />
        <AdminFilter
          label={t('admin.status')}
          value={status}
          onChange={setStatus}
          options={cameraStatuses.map((s) => ({ value: s, text: t(`cameraStatus.${s}`) }))}
          testId="filter-camera-status"
        />
      </div>
      {loaded && shown.length === 0 && <p className="notice">{filtered ? t('admin.noMatch') : t('admin.empty.cameras')}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>{t('admin.camera.name')}</th>
            <th>{t('admin.camera.unitName')}</th>
            <th>{t('admin.camera.onvifAddress')}</th>
            <th>{t('admin.status')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.id} data-camera-id={c.id}>
              <td>{c.name}</td>
              <td>{c.unitName}</td>
              <td>{c.onvifAddress}</td>
              <td>
                {t(`cameraStatus.${c.status}`)} {c.pinned ? `· ${t('admin.camera.pinned')}` : ''}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    api
                      .get<CameraProfileDto[]>(`/api/cameras/${c.id}/profiles`)
                      .then((list) => setProfiles({ id: c.id, list }))
                      .catch((e: unknown) => setError(errorText(e), String(c.id)));
                  }}
                >
                  {t('admin.camera.profiles')}
                </button>
                <button
                  type="button"
                  onClick={() => act(api.patch(`/api/cameras/${c.id}`, { pinned: !c.pinned }), undefined, String(c.id))}
                >
                  {c.pinned ? t('admin.camera.unpin') : t('admin.camera.pin')}
                </button>
                <select
                  aria-label={t('admin.camera.recordMode')}
                  data-testid="record-mode"
                  value={c.recordMode}
                  onChange={(e) => act(api.patch(`/api/cameras/${c.id}`, { recordMode: e.target.value }), undefined, String(c.id))}
                >
                  {recordModes.map((mode) => (
                    <option key={mode} value={mode}>
                      {t(`admin.camera.record.${mode}`)}
                    </option>
                  ))}
                </select>
                <button type="button" data-testid="staff-zone" onClick={() => setZoning(c.id)}>
                  {c.staffZone ? t('counters.zoneEdit') : t('counters.zoneSet')}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (!window.confirm(t('admin.confirm.deleteCamera', { name: c.name, unit: c.unitName }))) return;
                    act(api.delete(`/api/cameras/${c.id}`), undefined, String(c.id));
                  }}
                >
                  {t('admin.camera.delete')}
                </button>
                {errorAt(String(c.id)) && <p className="error">{errorAt(String(c.id))}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {zoned && (
        <StaffZoneEditor
          key={zoned.id}
          camera={zoned}
          onDone={() => {
            setZoning(null);
            reload();
          }}
        />
      )}
      {profiles && (
        <ul data-testid="camera-profiles">
          {profiles.list.map((p) => (
            <li key={p.token}>
              {p.name} ({p.token}): {p.encoding} {p.width}×{p.height}
            </li>
          ))}
        </ul>
      )}
      <CameraDiscovery registered={(address) => cameras.some((c) => c.onvifAddress === address)} onChoose={fromDiscovery} />
      <form className="form inline" onSubmit={onAdd}>
        <h3>{t('admin.camera.add')}</h3>
        {field('name')}
        {field('unitName')}
        {field('counter')}
        {field('onvifAddress', 'url')}
        {field('username')}
        {field('password', 'password')}
        <button type="submit">{t('admin.camera.add')}</button>
        {errorAt('add') && <p className="error">{errorAt('add')}</p>}
      </form>
    </section>
  );
}
