/** setup/: setting up a province from files: units, accounts and cameras imported with a dry run first. */
export { AccountImporter } from './AccountImporter.js';
export { CameraImporter } from './CameraImporter.js';
export { importRoutes } from './importRoutes.js';
export { ProvinceImport } from './ProvinceImport.js';
export { UnitImporter } from './UnitImporter.js';
