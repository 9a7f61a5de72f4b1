import { randomUUID } from 'node:crypto';
import { ErpError, type Capabilities, type ErpConnector, type ErpOrderState, type SubmitOrder, type SubmitResult } from '../../../server/erp/port.js';

/**
 * A small in-memory ErpConnector for unit tests of the outbox state machine: it holds orders by external id and lets
 * a test script failures per call ("create, then lose the answer", "refuse posting once", "429 with Retry-After").
 * Like a naive ERP (no idempotent create), every submitOrder makes a new document, so only the outbox's
 * find-before-retry keeps an order single. Only the write side is real; reads answer empty pages.
 */
export interface ScriptedFailure {
  on: 'find' | 'submit' | 'post';
  error: ErpError;
  /** Perform the call's effect before failing (the answer is lost, the work is done). */
  afterEffect?: boolean;
}

export function createMemoryErpConnector(options: { postOrder?: boolean } = {}) {
  type Doc = { ref: string; number: string; posted: boolean; copies: number; externalId: string };
  const docs: Doc[] = [];
  /** The first document per external id, with how many copies the ERP holds. */
  const orders = {
    get(externalId: string): Doc | undefined {
      const all = docs.filter((d) => d.externalId === externalId);
      return all[0] ? { ...all[0], copies: all.length } : undefined;
    },
    has: (externalId: string) => docs.some((d) => d.externalId === externalId),
  };
  const script: ScriptedFailure[] = [];
  const calls: string[] = [];
  let seq = 0;

  const take = (on: ScriptedFailure['on']) => {
    const i = script.findIndex((s) => s.on === on);
    return i >= 0 ? script.splice(i, 1)[0] : undefined;
  };
  const stateOf = (o: { ref: string; number: string; posted: boolean; externalId: string }): ErpOrderState => ({
    externalId: o.externalId,
    erpRef: { erpId: o.ref, code: o.number },
    number: o.number,
    status: o.posted ? 'confirmed' : 'draft',
    rawStatus: o.posted ? 'Согласован' : 'НеСогласован',
    posted: o.posted,
  });
  const capabilities: Capabilities = {
    catalog: 'pull',
    incremental: { products: 'snapshot', prices: 'snapshot', stock: 'snapshot', finance: 'snapshot', documents: 'modified-since', orderStates: 'snapshot' },
    stock: false, prices: false, finance: false, creditLimits: false, documents: false, documentFiles: false, productPictures: false,
    createOrder: true, postOrder: options.postOrder !== false, claims: false, reserve: false, waitingList: false, maxConcurrency: 4,
  };
  const empty = async () => ({ items: [], next: null });

  const connector: ErpConnector = {
    kind: '1c-odata',
    capabilities,
    health: async () => ({ ok: true, latencyMs: 0 }),
    productGroups: async () => [],
    products: empty,
    warehouses: async () => [],
    priceTypes: async () => [],
    prices: empty,
    stock: empty,
    customers: empty,
    customerFinance: async () => [],
    documents: empty,
    orderStates: empty,
    async findByExternalId(_kind, externalId) {
      calls.push(`find:${externalId}`);
      const f = take('find');
      if (f) throw f.error;
      const o = docs.find((d) => d.externalId === externalId);
      return o ? stateOf(o) : null;
    },
    async submitOrder(cmd: SubmitOrder): Promise<SubmitResult> {
      calls.push(`submit:${cmd.externalId}:post=${cmd.post}`);
      const f = take('submit');
      if (f && !f.afterEffect) throw f.error;
      const o: Doc = { ref: randomUUID(), number: `ЗК-${++seq}`, posted: Boolean(cmd.post), copies: 1, externalId: cmd.externalId };
      docs.push(o);
      if (f) throw f.error;
      return { state: cmd.post ? 'posted' : 'created', erpRef: { erpId: o.ref, code: o.number }, number: o.number };
    },
    ...(options.postOrder === false
      ? {}
      : {
          async postOrder(ref) {
            calls.push(`post:${ref.erpId}`);
            const f = take('post');
            if (f && !f.afterEffect) throw f.error;
            const o = docs.find((x) => x.ref === ref.erpId);
            if (!o) throw new ErpError('not-found', `no document ${ref.erpId}`);
            o.posted = true;
            if (f) throw f.error;
            return { state: 'posted' as const, erpRef: { erpId: o.ref, code: o.number }, number: o.number };
          },
        }),
  };
  return {
    connector,
    orders,
    calls,
    fail: (f: ScriptedFailure) => script.push(f),
    /** A person deletes the document in the ERP. */
    remove: (externalId: string) => {
      for (let i = docs.length - 1; i >= 0; i--) if (docs[i]!.externalId === externalId) docs.splice(i, 1);
    },
  };
}
