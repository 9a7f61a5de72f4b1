import express, { type Router } from 'express';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import { createFaults, generateCatalog, type ErpFaults, type FaultRule, type GeneratedCatalog } from '../catalog/index.js';
import { createOnecOdataRouter } from './onec-odata.router.js';
import { buildBp30Sources } from './onec-bp30-sources.js';
import { buildOnecSources } from './onec-sources.js';
import { createOnecState, externalIdOf, type EmOrder, type OnecOrderStatus } from './onec-state.js';
import { createQueryEngine } from './query-engine.js';

export interface OnecOdataEmulatorOptions {
  catalog: GeneratedCatalog;
  /** Basic-auth users (default odata / odata). */
  users?: Array<{ user: string; password: string }>;
  faults?: ErpFaults;
  /** Clock of the infobase for new documents (local time, no zone); default: now, UTC. */
  now?: () => string;
  /** Which configuration's names to serve: УТ 11 / ERP 2 (default) or БП 3.0. */
  configuration?: 'ut11' | 'bp30';
}

/** An order as the ERP holds it (the battery's view of the emulator; see tests/contract/erp-connector.battery.ts). */
export interface OnecEmulatedOrder {
  erpId: string;
  number: string;
  externalId: string;
  posted: boolean;
  rawStatus: string;
  copies: number;
  lines: Array<{ productId: string; qty: string; price: string }>;
}

export interface OnecOdataEmulator {
  /** Mount at `/<base>/odata/standard.odata` (e.g. app.use('/trade/odata/standard.odata', emulator.router)). */
  router: Router;
  /** JSON control API for consoles and other processes: mount e.g. at `/<base>/__emulator`. */
  controlRouter(): Router;
  catalog: GeneratedCatalog;
  faults: ErpFaults;
  findOrderByExternalId(externalId: string): OnecEmulatedOrder | null;
  /** Moves an order (by our external id or its Ref_Key) as 1C users would; normalized or native 1C status. */
  setOrderStatus(idOrRef: string, status: ErpOrderStatus | OnecOrderStatus): void;
  updateProduct(index: number, patch: { name?: string; deleted?: boolean }): void;
  /** Orders created through OData since start (not the generated history). */
  createdOrders(): OnecEmulatedOrder[];
}

const view = (o: EmOrder, copies: number): OnecEmulatedOrder => ({
  erpId: o.ref,
  number: o.number,
  externalId: externalIdOf(o.header.Комментарий) ?? '',
  posted: o.posted,
  rawStatus: o.status,
  copies,
  lines: o.lines.map((l) => ({ productId: l.Номенклатура_Key, qty: String(l.Количество), price: String(l.Цена) })),
});

/**
 * The 1C:Enterprise standard OData emulator (УТ 11 / ERP 2 names) over a generated catalog. See onec-odata.router.ts
 * for the protocol and onec-sources.ts for the entity sets it serves.
 */
export function createOnecOdataEmulator(options: OnecOdataEmulatorOptions): OnecOdataEmulator {
  const faults = options.faults ?? createFaults();
  const state = createOnecState(options.catalog, options.now);
  const sources = options.configuration === 'bp30' ? buildBp30Sources(state) : buildOnecSources(state);
  const engine = createQueryEngine();
  const historyCount = state.orders.length;
  const router = createOnecOdataRouter({ state, sources, engine, faults, users: options.users ?? [{ user: 'odata', password: 'odata' }] });

  const orderOf = (idOrRef: string): EmOrder | undefined => state.orderByRef(idOrRef) ?? state.ordersByExternalId(idOrRef)[0];

  const emulator: OnecOdataEmulator = {
    router,
    catalog: options.catalog,
    faults,
    findOrderByExternalId(externalId) {
      const found = state.ordersByExternalId(externalId);
      return found[0] ? view(found[0], found.length) : null;
    },
    setOrderStatus(idOrRef, status) {
      const o = orderOf(idOrRef);
      if (!o) throw new Error(`no order ${idOrRef} in the emulated 1C`);
      state.moveOrder(o, status);
    },
    updateProduct(index, patch) {
      state.updateProduct(index, patch);
    },
    createdOrders() {
      return state.orders.slice(historyCount).map((o) => view(o, 1));
    },
    controlRouter() {
      const r = express.Router();
      r.use(express.json());
      r.get('/faults', (_req, res) => {
        res.json({ faults: faults.list().map((f) => ({ ...f, match: f.match instanceof RegExp ? f.match.source : f.match })), hits: faults.hits });
      });
      r.post('/faults', (req, res) => {
        const rule = req.body as FaultRule;
        if (!rule || !['down', 'slow', 'rate-limit', 'auth', 'server-error', 'validation'].includes(rule.kind)) {
          res.status(400).json({ error: 'kind must be one of down, slow, rate-limit, auth, server-error, validation' });
          return;
        }
        faults.inject(rule);
        res.status(201).json({ armed: faults.list().length });
      });
      r.delete('/faults', (_req, res) => {
        faults.clear();
        res.status(204).end();
      });
      r.get('/orders/:id', (req, res) => {
        const o = orderOf(req.params.id);
        if (!o) res.status(404).json({ error: 'no such order' });
        else res.json(view(o, state.ordersByExternalId(externalIdOf(o.header.Комментарий) ?? '').length || 1));
      });
      r.post('/orders/:id/status', (req, res) => {
        try {
          emulator.setOrderStatus(req.params.id, (req.body as { status: ErpOrderStatus | OnecOrderStatus }).status);
          res.json(view(orderOf(req.params.id) as EmOrder, 1));
        } catch (err) {
          res.status(400).json({ error: (err as Error).message });
        }
      });
      r.post('/products/:index', (req, res) => {
        const index = Number(req.params.index);
        if (!Number.isInteger(index) || index < 0 || index >= options.catalog.productCount) {
          res.status(404).json({ error: 'no such product' });
          return;
        }
        state.updateProduct(index, req.body as { name?: string; deleted?: boolean });
        res.json({ ok: true });
      });
      return r;
    },
  };
  return emulator;
}

/** A catalog + emulator in one call, for `npm start` and demos. */
export function createDefaultOnecOdataEmulator(seed: string | number = 'dealerhub', skus = 2000): OnecOdataEmulator {
  return createOnecOdataEmulator({ catalog: generateCatalog({ seed, skus }) });
}
