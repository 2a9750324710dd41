import type { CameraGateway, PreparedCamera } from '../../camera-gateway/index.js';
import { HubError } from '../../errors/index.js';
import { addCameraSchema, type AddCameraRequest } from '../../shared/cameras.js';
import { said } from '../../shared/messages/index.js';
import { importYesNoSchema } from '../../shared/provinceImport.js';
import { importedItem, type AuditLog, type ImportAudit } from '../audit/index.js';
import { checkRows, readyRows, refuseRows } from './checkRows.js';
import type { CheckedRow, FileRow, KindImporter } from './ImportTypes.js';

const cameraRowSchema = addCameraSchema.extend({
  username: addCameraSchema.shape.username.default(''),
  password: addCameraSchema.shape.password.default(''),
  pinned: importYesNoSchema,
});

/** Cameras asked at once while a file is checked: a camera's web server answers one or two at a time. */
const probesAtOnce = 4;

interface CameraRow {
  request: AddCameraRequest;
  prepared?: PreparedCamera;
}

/**
 * The counter cameras from a file. Each row's camera is asked over ONVIF as the form's "add" would ask it,
 * so a dry run already says which camera does not answer or refuses its account; an address the registry
 * holds is refused.
 */
export class CameraImporter implements KindImporter {
  readonly #cameras: CameraGateway;
  readonly #audit: AuditLog;

  constructor(cameras: CameraGateway, audit: AuditLog) {
    this.#cameras = cameras;
    this.#audit = audit;
  }

  async check(rows: FileRow[]) {
    return (await this.#checked(rows)).map(({ line, problems }) => ({ line, problems }));
  }

  async apply(rows: FileRow[], audit: ImportAudit) {
    const ready = readyRows(await this.#checked(rows));
    const created = await this.#cameras.addAll(
      ready.map((row) => row.prepared!),
      (tx, cameras) =>
        this.#audit.recordIn(tx, [
          ...cameras.map((camera) =>
            importedItem(audit, {
              action: 'camera.create',
              target: `camera:${camera.id}`,
              detail: { name: camera.name, unitName: camera.unitName, counter: camera.counter, onvifAddress: camera.onvifAddress },
            }),
          ),
          audit.summary,
        ]),
    );
    return { created: created.length };
  }

  async #checked(rows: FileRow[]): Promise<Array<CheckedRow<CameraRow>>> {
    const registered = new Set(this.#cameras.list().map((camera) => camera.onvifAddress));
    const parsed = checkRows(rows, cameraRowSchema, (camera) => new URL(camera.onvifAddress).href).map(
      ({ line, problems, row }): CheckedRow<CameraRow> => ({ line, problems, row: row && { request: row } }),
    );
    await refuseRows(parsed, (row) => (registered.has(row.request.onvifAddress) ? said('camera.alreadyRegistered') : undefined));
    const toProbe = parsed.filter((entry) => entry.row && entry.problems.length === 0);
    const probe = async () => {
      for (let entry = toProbe.shift(); entry; entry = toProbe.shift()) {
        const row = entry.row!;
        try {
          row.prepared = await this.#cameras.prepare(row.request);
        } catch (error) {
          // what the camera or its answer is refused for is the row's problem; anything else is the hub's own failure
          if (!(error instanceof HubError) || error.kind === 'INTERNAL') throw error;
          entry.problems.push(error.said);
        }
      }
    };
    await Promise.all(Array.from({ length: probesAtOnce }, probe));
    return parsed;
  }
}
