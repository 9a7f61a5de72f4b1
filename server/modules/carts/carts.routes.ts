import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { requirePermission, scopeOf } from '../access/index.js';
import { dealerApiGuard } from './api-guard.js';
import { createCartService, portFor } from './cart.service.js';
import { auditActors, resolveCartActor, type CartActor } from './cart-owner.js';
import { ZAddLines, ZCartId, ZCartQuery, ZLineId, ZLinePatch, ZLoadSaved, ZQuickOrder, ZQuickOrderQuery, ZSaveCart, ZSavedPatch } from './carts.schemas.js';
import { parsePastedLines, parseQuickOrderFile, type ParsedQuickOrder } from './parse-quick-order.js';
import { resolveQuickOrder } from './quick-order.js';

/** Raw uploads of the quick order (CSV / XLSX bytes as the request body). */
const RAW_UPLOAD = express.raw({ type: () => true, limit: '10mb' });

/**
 * The cart API under /api (behind the session guard): the current cart per legal entity, lines, quick order, saved
 * carts. Query on every route: `companyId` (legal entity; default the main one), `actAs` (staff: the dealer user they
 * act for). Every answer that changes the cart is the whole cart, priced again.
 */
export function cartRoutes(ctx: AppContext): Router {
  const router = Router();
  const carts = createCartService(ctx);
  const use = requirePermission('cart.use');
  router.use(['/cart', '/carts'], ...dealerApiGuard(ctx));

  const actorOf = async (req: Request, res: Response): Promise<{ actor: CartActor; stock: 'city' | 'all' }> => {
    const q = ZCartQuery.parse(req.query);
    return { actor: await resolveCartActor(ctx, scopeOf(res), { companyId: q.companyId, actAsUserId: q.actAs }), stock: q.stock };
  };

  router.get('/cart', use, async (req, res) => {
    const { actor, stock } = await actorOf(req, res);
    res.json(await carts.current(actor, stock));
  });

  router.post('/cart/lines', use, async (req, res) => {
    const { actor } = await actorOf(req, res);
    const body = ZAddLines.parse(req.body ?? {});
    res.json(await carts.addLines(actor, body.lines.map((l) => ({ productId: l.productId, sku: null, qty: l.qty, unit: l.unit, note: l.note ?? null }))));
  });

  router.patch('/cart/lines/:lineId', use, async (req, res) => {
    const { lineId } = ZLineId.parse(req.params);
    const { actor } = await actorOf(req, res);
    res.json(await carts.updateLine(actor, lineId, ZLinePatch.parse(req.body ?? {})));
  });

  router.delete('/cart/lines/:lineId', use, async (req, res) => {
    const { lineId } = ZLineId.parse(req.params);
    const { actor } = await actorOf(req, res);
    res.json(await carts.removeLine(actor, lineId));
  });

  router.delete('/cart', use, async (req, res) => {
    const { actor } = await actorOf(req, res);
    res.json(await carts.clear(actor));
  });

  async function quickOrder(req: Request, res: Response, parsed: ParsedQuickOrder): Promise<void> {
    const q = ZQuickOrderQuery.parse(req.query);
    const actor = await resolveCartActor(ctx, scopeOf(res), { companyId: q.companyId, actAsUserId: q.actAs });
    const resolution = resolveQuickOrder(await portFor(ctx, actor), parsed);
    const dryRun = q.dryRun === 'true' || q.dryRun === '1';
    if (!dryRun && resolution.cartLines.length) {
      await carts.addResolved(actor, resolution.cartLines);
      await ctx.audit.record({ portalId: actor.portalId, ...auditActors(actor), action: 'cart.quick-order', subject: `dealer:${actor.dealerId}`, details: { format: parsed.format, accepted: resolution.accepted.length, rejected: resolution.rejected.length } });
    }
    const { cartLines: _lines, ...report } = resolution;
    res.json({
      dryRun,
      summary: { lines: resolution.accepted.length + resolution.rejected.length, accepted: resolution.accepted.length, rejected: resolution.rejected.length },
      ...report,
      cart: await carts.current(actor, q.stock),
    });
  }

  router.post('/cart/quick-order', use, async (req, res) => {
    const body = ZQuickOrder.parse(req.body ?? {});
    if ('text' in body) return quickOrder(req, res, parsePastedLines(body.text));
    const bytes = Buffer.from(body.contentBase64, 'base64');
    if (!bytes.length) throw new AppError('VALIDATION_FAILED', 'The file is empty', { details: [{ field: 'contentBase64', message: 'base64 of the CSV or XLSX file' }] });
    return quickOrder(req, res, await parseQuickOrderFile(bytes, body.fileName));
  });

  /** The file itself as the body (Content-Type text/csv, application/vnd.openxmlformats-…, octet-stream). */
  router.post('/cart/quick-order/file', use, RAW_UPLOAD, async (req, res) => {
    const q = ZQuickOrderQuery.parse(req.query);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!bytes.length) throw new AppError('VALIDATION_FAILED', 'The file is empty', { details: [{ field: '(body)', message: 'send the CSV or XLSX file as the request body' }] });
    return quickOrder(req, res, await parseQuickOrderFile(bytes, q.fileName ?? 'upload.csv'));
  });

  router.get('/carts/saved', use, async (req, res) => {
    const { actor } = await actorOf(req, res);
    res.json({ items: await carts.listSaved(actor) });
  });

  router.post('/carts/saved', use, async (req, res) => {
    const { actor } = await actorOf(req, res);
    res.status(201).json(await carts.saveCurrent(actor, ZSaveCart.parse(req.body ?? {})));
  });

  router.get('/carts/saved/:id', use, async (req, res) => {
    const { id } = ZCartId.parse(req.params);
    const { actor } = await actorOf(req, res);
    res.json(await carts.getSaved(actor, id));
  });

  router.patch('/carts/saved/:id', use, async (req, res) => {
    const { id } = ZCartId.parse(req.params);
    const { actor } = await actorOf(req, res);
    res.json(await carts.updateSaved(actor, id, ZSavedPatch.parse(req.body ?? {})));
  });

  router.post('/carts/saved/:id/load', use, async (req, res) => {
    const { id } = ZCartId.parse(req.params);
    const { actor } = await actorOf(req, res);
    res.json(await carts.loadSaved(actor, id, ZLoadSaved.parse(req.body ?? {}).mode));
  });

  router.delete('/carts/saved/:id', use, async (req, res) => {
    const { id } = ZCartId.parse(req.params);
    const { actor } = await actorOf(req, res);
    await carts.deleteSaved(actor, id);
    res.status(204).end();
  });

  return router;
}
