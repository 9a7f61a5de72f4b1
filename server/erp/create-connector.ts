import type { AppConfig } from '../config.js';
import type { Logger } from '../lib/logger.js';
import { createAx2012Connector } from './ax2012-aif/index.js';
import { createD365Connector } from './d365-odata/index.js';
import { createFilesConnector } from './files/index.js';
import { createOnecOdataConnector } from './onec-odata/index.js';
import type { ErpConnector } from './port.js';

export class ErpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErpConfigError';
  }
}

function need(value: string | undefined, name: string, kind: string): string {
  if (!value) throw new ErpConfigError(`${name} is required for ERP_KIND=${kind}`);
  return value;
}

/**
 * The one place that knows which ERP the configuration names; everything else holds an ErpConnector.
 * `1c-commerceml` is a push feed (1C calls us), so it has no pulling connector: null.
 */
export function createConfiguredConnector(erp: AppConfig['erp'], logger: Logger): ErpConnector | null {
  switch (erp.kind) {
    case '1c-odata':
      return createOnecOdataConnector({
        baseUrl: need(erp.url, 'ERP_URL', erp.kind),
        user: need(erp.user, 'ERP_USER', erp.kind),
        password: erp.password ?? '',
        profile: erp.onecProfile,
        timeZone: erp.timeZone,
        logger,
      });
    case 'd365-odata':
      return createD365Connector({
        baseUrl: need(erp.url, 'ERP_URL', erp.kind),
        tenant: need(erp.d365.tenant, 'ERP_D365_TENANT', erp.kind),
        clientId: need(erp.user, 'ERP_USER (the Entra application id)', erp.kind),
        clientSecret: need(erp.password, 'ERP_PASSWORD (the client secret)', erp.kind),
        company: need(erp.company, 'ERP_COMPANY (dataAreaId)', erp.kind),
        ...(erp.d365.authority ? { authority: erp.d365.authority } : {}),
        ...(erp.d365.resource ? { resource: erp.d365.resource } : {}),
        logger,
      });
    case 'ax2012-aif':
      return createAx2012Connector({
        endpoint: need(erp.url, 'ERP_URL', erp.kind),
        company: need(erp.company, 'ERP_COMPANY', erp.kind),
        ...(erp.user ? { user: erp.user, password: erp.password ?? '' } : {}),
        logger,
      });
    case 'files':
      return createFilesConnector({ dir: need(erp.filesDir, 'ERP_FILES_DIR', erp.kind), logger });
    case '1c-commerceml':
    case 'none':
      return null;
  }
}
