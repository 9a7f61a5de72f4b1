import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { createConfiguredConnector, ErpConfigError } from '../../../server/erp/create-connector.js';

const logger = pino({ level: 'silent' });
const erpOf = (env: Record<string, string>) => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'dh-erp-')), ...env }).erp;

describe('configured ERP connector', () => {
  it('when ERP_KIND names an adapter with its settings, then that adapter is built', () => {
    expect(createConfiguredConnector(erpOf({ ERP_KIND: '1c-odata', ERP_URL: 'http://127.0.0.1:9/trade/odata/standard.odata', ERP_USER: 'odata' }), logger)?.kind).toBe('1c-odata');
    expect(createConfiguredConnector(erpOf({ ERP_KIND: 'd365-odata', ERP_URL: 'https://x.example', ERP_D365_TENANT: 't', ERP_USER: 'app', ERP_PASSWORD: 's', ERP_COMPANY: 'usmf' }), logger)?.kind).toBe('d365-odata');
    expect(createConfiguredConnector(erpOf({ ERP_KIND: 'ax2012-aif', ERP_URL: 'http://ax.local/MicrosoftDynamicsAXAif60/dh/xppservice.svc', ERP_COMPANY: 'ceu' }), logger)?.kind).toBe('ax2012-aif');
    expect(createConfiguredConnector(erpOf({ ERP_KIND: 'files', ERP_FILES_DIR: mkdtempSync(join(tmpdir(), 'dh-drop-')) }), logger)?.kind).toBe('files');
  });

  it('when the ERP pushes to us or there is none, then there is no pulling connector', () => {
    expect(createConfiguredConnector(erpOf({ ERP_KIND: '1c-commerceml' }), logger)).toBeNull();
    expect(createConfiguredConnector(erpOf({ ERP_KIND: 'none' }), logger)).toBeNull();
  });

  it('when a required setting is missing, then the error names the variable and the kind', () => {
    expect(() => createConfiguredConnector(erpOf({ ERP_KIND: '1c-odata' }), logger)).toThrow(new ErpConfigError('ERP_URL is required for ERP_KIND=1c-odata'));
    expect(() => createConfiguredConnector(erpOf({ ERP_KIND: 'd365-odata', ERP_URL: 'https://x.example' }), logger)).toThrow(/ERP_D365_TENANT is required/);
  });
});
