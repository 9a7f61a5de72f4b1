import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express, type Router } from 'express';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import { createFaults, generateCatalog, type ErpFaults, type FaultRule, type GeneratedCatalog } from '../catalog/index.js';
import { createQueryEngine } from '../onec-odata/query-engine.js';
import { D365_COMPANY, d365Ids } from './d365-ids.js';
import { createD365Router } from './d365.router.js';
import { buildD365Sources } from './d365-sources.js';
import { createD365State, type D365Header } from './d365-state.js';

export interface D365EmulatorOptions {
  catalog: GeneratedCatalog;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  /** The environment URL the token scope must name (default: https://dealerhub.operations.dynamics.com). */
  resource?: string;
  tokenTtlSeconds?: number;
  /** Server-driven page size (F&O: 10 000; tests use less to exercise nextLink). */
  maxPageSize?: number;
  serviceProtection?: { requests: number; windowMs: number };
  faults?: ErpFaults;
  now?: () => string;
}

export interface D365EmulatedOrder {
  erpId: string;
  number: string;
  externalId: string;
  posted: boolean;
  rawStatus: string;
  copies: number;
  lines: Array<{ productId: string; qty: string; price: string }>;
}

export interface D365Emulator {
  /** Token endpoint router: mount at the authority root (serves /{tenant}/oauth2/v2.0/token). */
  authRouter: Router;
  /** OData router: mount at /data. */
  dataRouter: Router;
  catalog: GeneratedCatalog;
  faults: ErpFaults;
  resource: string;
  tenant: string;
  clientId: string;
  clientSecret: string;
  findOrderByExternalId(externalId: string): D365EmulatedOrder | null;
  setOrderStatus(externalIdOrNumber: string, status: ErpOrderStatus): void;
  updateProduct(index: number, patch: { name?: string; deleted?: boolean }): void;
  controlRouter(): Router;
}

/** Dynamics 365 F&O emulator over a generated catalog (company rumf; the user's default company dat is empty). */
export function createD365Emulator(options: D365EmulatorOptions): D365Emulator {
  const faults = options.faults ?? createFaults();
  const state = createD365State(options.catalog, options.now);
  const sources = buildD365Sources(state);
  const tenant = options.tenant ?? 'dealerhub-tenant';
  const clientId = options.clientId ?? '11111111-2222-3333-4444-555555555555';
  const clientSecret = options.clientSecret ?? 'emulator-client-secret';
  const resource = options.resource ?? 'https://dealerhub.operations.dynamics.com';
  const { auth, data } = createD365Router({
    state, sources, engine: createQueryEngine(), faults, clients: [{ tenant, clientId, clientSecret }], resource,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3599, maxPageSize: options.maxPageSize ?? 10_000,
    ...(options.serviceProtection ? { serviceProtection: options.serviceProtection } : {}),
  });
  const headerOf = (id: string): D365Header | undefined => state.byReference(id)[0] ?? state.header(id);
  const view = (h: D365Header, copies: number): D365EmulatedOrder => ({
    erpId: `${D365_COMPANY}|${h.SalesOrderNumber}`,
    number: h.SalesOrderNumber,
    externalId: h.CustomersOrderReference,
    // F&O has no separate posting of an order: nothing is "posted" until documents are (confirmation, packing slip, invoice).
    posted: false,
    rawStatus: `${h.SalesOrderStatus}/${h.SalesOrderProcessingStatus}`,
    copies,
    lines: state.linesOf(h.SalesOrderNumber).sort((a, b) => a.LineNumber - b.LineNumber)
      .map((l) => ({ productId: `${D365_COMPANY}|${l.ItemNumber}`, qty: String(l.OrderedSalesQuantity), price: String(l.SalesPrice) })),
  });
  const emulator: D365Emulator = {
    authRouter: auth,
    dataRouter: data,
    catalog: options.catalog,
    faults,
    resource,
    tenant,
    clientId,
    clientSecret,
    findOrderByExternalId(externalId) {
      const found = state.byReference(externalId);
      return found[0] ? view(found[0], found.length) : null;
    },
    setOrderStatus(id, status) {
      const h = headerOf(id);
      if (!h) throw new Error(`no sales order ${id} in the emulated F&O`);
      state.moveOrder(h, status);
    },
    updateProduct: (index, patch) => state.updateProduct(index, patch),
    controlRouter() {
      const r = express.Router();
      r.use(express.json());
      r.get('/faults', (_req, res) => {
        res.json({ faults: faults.list().map((f) => ({ ...f, match: f.match instanceof RegExp ? f.match.source : f.match })), hits: faults.hits });
      });
      r.post('/faults', (req, res) => {
        faults.inject(req.body as FaultRule);
        res.status(201).json({ armed: faults.list().length });
      });
      r.delete('/faults', (_req, res) => {
        faults.clear();
        res.status(204).end();
      });
      r.post('/orders/:id/status', (req, res) => {
        try {
          emulator.setOrderStatus(req.params.id, (req.body as { status: ErpOrderStatus }).status);
          res.json(view(headerOf(req.params.id) as D365Header, 1));
        } catch (err) {
          res.status(400).json({ error: (err as Error).message });
        }
      });
      return r;
    },
  };
  return emulator;
}

/** Mounts the token endpoint at `/`, OData at `/data` and the control API at `/__emulator`. */
export function mountD365Emulator(app: Express, emulator: D365Emulator): void {
  app.use('/__emulator', emulator.controlRouter());
  app.use('/data', emulator.dataRouter);
  app.use('/', emulator.authRouter);
}

export interface RunningD365Emulator {
  emulator: D365Emulator;
  /** Environment URL: OData is at `${url}/data`, the token endpoint at `${url}/${tenant}/oauth2/v2.0/token`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startD365Emulator(options: Partial<D365EmulatorOptions> & { seed?: string | number; skus?: number; host?: string; port?: number } = {}): Promise<RunningD365Emulator> {
  const catalog = options.catalog ?? generateCatalog({ seed: options.seed ?? 'dealerhub', skus: options.skus ?? 2000 });
  const emulator = createD365Emulator({ ...options, catalog });
  const app = express();
  app.disable('x-powered-by');
  mountD365Emulator(app, emulator);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.on('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    emulator,
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export { d365Ids };
