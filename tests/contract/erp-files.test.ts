import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFaults, generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { createLocalDropFolder } from '../../server/erp/files/drop-folder.js';
import { createFilesConnector } from '../../server/erp/files/create-files-connector.js';
import { faultyFolder, filesErp, writeCatalogFiles } from '../unit/erp/files/files-erp.js';
import { runErpConnectorBattery } from './erp-connector.battery.js';

runErpConnectorBattery('files drop folder (CSV in, CSV+XML out)', async () => {
  const catalog = generateCatalog({ seed: 'files-battery', skus: 220 });
  const dir = await mkdtemp(join(tmpdir(), 'dh-drop-'));
  await writeCatalogFiles(catalog, dir);
  const faults = createFaults();
  const connector = createFilesConnector({ dir, folder: faultyFolder(createLocalDropFolder(dir), faults), settleMs: 0, pageSize: 300 });
  const erp = filesErp(catalog, dir);
  return {
    connector,
    emulator: { catalog, faults, ...erp, close: async () => {} },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
