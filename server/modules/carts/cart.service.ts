import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { Dec } from '../../lib/decimal.js';
import { catalogPortFor, type CatalogPort } from './catalog-port.js';
import { auditActors, type CartActor, type LegalEntityChoice } from './cart-owner.js';
import { createCartsRepository, type CartLineInput, type CartLineRow, type CartRow, type CartUnit } from './carts.repository.js';
import { priceLines, totalsOf, type LineTotals, type PricedLine } from './price-lines.js';

export interface CartView {
  id: number;
  kind: 'active' | 'saved';
  name: string | null;
  note: string | null;
  revision: number;
  legalEntity: LegalEntityChoice | null;
  legalEntities: LegalEntityChoice[];
  priceType: { name: string; currency: string } | null;
  lines: PricedLine[];
  totals: LineTotals;
  /** Lines with problems (not on sale, no price…) are kept but cannot be ordered. */
  blockingLines: number;
  stockScope: { kind: 'city' | 'all'; city: string | null };
  updatedAt: string;
}

/** Stock warnings come for the dealer's city when it has warehouses there, else for all warehouses. */
export type StockScopeChoice = 'city' | 'all';

export async function portFor(ctx: AppContext, actor: Pick<CartActor, 'portalId' | 'dealerId'>): Promise<CatalogPort> {
  const port = await catalogPortFor(ctx, actor.portalId, actor.dealerId);
  if (!port) throw new AppError('UNAVAILABLE', 'The catalog does not know your dealer yet; try again in a minute');
  return port;
}

export function viewCart(cart: CartRow, lines: CartLineRow[], port: CatalogPort, actor: CartActor, scope: StockScopeChoice = 'city'): CartView {
  const city = scope === 'city' ? actor.dealer.city : null;
  const priced = priceLines(port, lines.map((l) => ({ id: l.id, productId: l.productId, qty: l.qty, unit: l.unit, note: l.note })), { city });
  const legalEntity = actor.legalEntities.find((e) => e.companyId === cart.companyId) ?? actor.legalEntity;
  return {
    id: cart.id,
    kind: cart.kind,
    name: cart.name,
    note: cart.note,
    revision: cart.revision,
    legalEntity,
    legalEntities: actor.legalEntities,
    priceType: port.priceType ? { name: port.priceType.name, currency: port.priceType.currency } : null,
    lines: priced,
    totals: totalsOf(priced, port.priceType?.currency ?? actor.dealer.currency),
    blockingLines: priced.filter((l) => l.problems.length > 0).length,
    stockScope: { kind: priced[0]?.stock.scope ?? (city ? 'city' : 'all'), city: priced[0]?.stock.city ?? city },
    updatedAt: cart.updatedAt.toISOString(),
  };
}

const keyOf = (l: { productId: number; unit: CartUnit }) => `${l.productId}:${l.unit}`;

/** Adds lines to existing ones: the same product in the same unit adds up, new products go to the end. */
export function mergeLines(existing: CartLineInput[], added: CartLineInput[], mode: 'add' | 'set' = 'add'): CartLineInput[] {
  const out = existing.map((l) => ({ ...l }));
  const index = new Map(out.map((l, i) => [keyOf(l), i]));
  for (const a of added) {
    const at = index.get(keyOf(a));
    if (at === undefined) {
      index.set(keyOf(a), out.length);
      out.push({ ...a });
    } else {
      const cur = out[at]!;
      out[at] = { ...cur, qty: mode === 'add' ? new Dec(cur.qty).plus(a.qty).toFixed() : a.qty, note: a.note ?? cur.note ?? null };
    }
  }
  return out;
}

const asInputs = (lines: CartLineRow[]): CartLineInput[] => lines.map((l) => ({ productId: l.productId, sku: l.sku, qty: l.qty, unit: l.unit, note: l.note }));

/**
 * The cart service over the repository: every change is a compare-and-set on the cart's revision (two tabs adding at
 * once both land), and every answer is the whole cart priced again with today's prices.
 */
export function createCartService(ctx: AppContext) {
  const repo = createCartsRepository(ctx.db);

  async function mutate(cart: CartRow, change: (lines: CartLineInput[]) => CartLineInput[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = attempt === 0 ? cart : ((await repo.get(cart.portalId, cart.id)) ?? cart);
      const next = change(asInputs(await repo.lines(current.id)));
      if (await repo.replaceLines(current, next, { expectRevision: current.revision })) return;
    }
    throw new AppError('CONFLICT', 'The cart is being changed from another window; reload it and try again');
  }

  async function view(actor: CartActor, cart: CartRow, scope?: StockScopeChoice): Promise<CartView> {
    const port = await portFor(ctx, actor);
    const fresh = (await repo.get(cart.portalId, cart.id)) ?? cart;
    return viewCart(fresh, await repo.lines(cart.id), port, actor, scope);
  }

  async function ownSaved(actor: CartActor, id: number): Promise<CartRow> {
    const cart = await repo.get(actor.portalId, id);
    // Another user's or dealer's saved cart is "not found", never "forbidden".
    if (!cart || cart.kind !== 'saved' || cart.dealerId !== actor.dealerId || cart.userId !== actor.userId) throw new AppError('NOT_FOUND', 'The saved cart was not found');
    return cart;
  }

  /** Validates product ids against the catalog: unknown ids are the caller's mistake (400 naming the line). */
  async function checkProducts(actor: CartActor, lines: CartLineInput[]): Promise<CartLineInput[]> {
    const port = await portFor(ctx, actor);
    const found = port.products(lines.map((l) => l.productId));
    const bad = lines.map((l, i) => ({ l, i })).filter(({ l }) => !found.get(l.productId)?.onSale);
    if (bad.length) {
      throw new AppError('VALIDATION_FAILED', 'Some products cannot be added', { details: bad.map(({ l, i }) => ({ field: `lines.${i}.productId`, message: found.has(l.productId) ? `product ${l.productId} is not on sale` : `no product ${l.productId} in the catalog` })) });
    }
    return lines.map((l) => ({ ...l, sku: found.get(l.productId)!.sku }));
  }

  return {
    repo,
    view,

    async current(actor: CartActor, scope?: StockScopeChoice): Promise<CartView> {
      return view(actor, await repo.activeCart(actor), scope);
    },

    async addLines(actor: CartActor, lines: CartLineInput[]): Promise<CartView> {
      const checked = await checkProducts(actor, lines);
      const cart = await repo.activeCart(actor);
      await mutate(cart, (existing) => mergeLines(existing, checked, 'add'));
      return view(actor, cart);
    },

    /** Adds lines already resolved against the catalog (quick order, reorder, saved carts): no second lookup. */
    async addResolved(actor: CartActor, lines: CartLineInput[], mode: 'add' | 'replace' = 'add'): Promise<CartRow> {
      const cart = await repo.activeCart(actor);
      await mutate(cart, (existing) => (mode === 'replace' ? mergeLines([], lines) : mergeLines(existing, lines, 'add')));
      return cart;
    },

    async updateLine(actor: CartActor, lineId: number, patch: { qty?: string; unit?: CartUnit; note?: string | null }): Promise<CartView> {
      const cart = await repo.activeCart(actor);
      const lines = await repo.lines(cart.id);
      const target = lines.find((l) => l.id === lineId);
      if (!target) throw new AppError('NOT_FOUND', 'The cart line was not found');
      await mutate(cart, (existing) =>
        existing.map((l) => (l.productId === target.productId && l.unit === target.unit ? { ...l, qty: patch.qty ?? l.qty, unit: patch.unit ?? l.unit, note: patch.note === undefined ? l.note : patch.note } : l)),
      );
      return view(actor, cart);
    },

    async removeLine(actor: CartActor, lineId: number): Promise<CartView> {
      const cart = await repo.activeCart(actor);
      const target = (await repo.lines(cart.id)).find((l) => l.id === lineId);
      if (!target) throw new AppError('NOT_FOUND', 'The cart line was not found');
      await mutate(cart, (existing) => existing.filter((l) => !(l.productId === target.productId && l.unit === target.unit)));
      return view(actor, cart);
    },

    async clear(actor: CartActor): Promise<CartView> {
      const cart = await repo.activeCart(actor);
      await mutate(cart, () => []);
      return view(actor, cart);
    },

    async listSaved(actor: CartActor) {
      const rows = await repo.listSaved({ portalId: actor.portalId, dealerId: actor.dealerId, userId: actor.userId });
      return rows.map((r) => ({ id: r.id, name: r.name ?? '', note: r.note, companyId: r.companyId, lineCount: r.lineCount, updatedAt: r.updatedAt.toISOString(), createdAt: r.createdAt.toISOString() }));
    },

    /** Saves the current cart under a name, for the current legal entity. */
    async saveCurrent(actor: CartActor, input: { name: string; note?: string | null }): Promise<CartView> {
      const cart = await repo.activeCart(actor);
      const lines = asInputs(await repo.lines(cart.id));
      if (!lines.length) throw new AppError('UNPROCESSABLE', 'The cart is empty: there is nothing to save', { details: [{ field: 'lines', message: 'add goods first' }] });
      const saved = await repo.createSaved(actor, input, lines);
      await ctx.audit.record({ portalId: actor.portalId, ...auditActors(actor), action: 'cart.saved', subject: `cart:${saved.id}`, details: { name: input.name, lines: lines.length } });
      return view(actor, saved);
    },

    async getSaved(actor: CartActor, id: number): Promise<CartView> {
      return view(actor, await ownSaved(actor, id));
    },

    /** Loads a saved cart into the current one; prices are today's (every view reprices). */
    async loadSaved(actor: CartActor, id: number, mode: 'add' | 'replace'): Promise<CartView> {
      const saved = await ownSaved(actor, id);
      const lines = asInputs(await repo.lines(saved.id));
      const cart = await this.addResolved(actor, lines, mode);
      return view(actor, cart);
    },

    /** Renames a saved cart, or overwrites its lines with the current cart's (`fromCurrent`). */
    async updateSaved(actor: CartActor, id: number, patch: { name?: string; note?: string | null; fromCurrent?: boolean }): Promise<CartView> {
      const saved = await ownSaved(actor, id);
      if (patch.fromCurrent) {
        const current = await repo.activeCart(actor);
        const lines = asInputs(await repo.lines(current.id));
        await repo.replaceLines(saved, lines, { name: patch.name, note: patch.note });
      } else if (patch.name !== undefined || patch.note !== undefined) {
        await repo.rename(actor.portalId, id, patch);
      }
      return view(actor, saved);
    },

    async deleteSaved(actor: CartActor, id: number): Promise<void> {
      await ownSaved(actor, id);
      await repo.delete(actor.portalId, id);
    },
  };
}

export type CartService = ReturnType<typeof createCartService>;
