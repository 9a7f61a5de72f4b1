import type { AutomationEngine } from '../../bizproc/engine.js';
import { toIntOrNull } from '../../crm/values.js';
import { RestError, SystemErrors } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SRobot } from '../../store/types.js';

/**
 * bizproc.robot.add/update/delete/list and bizproc.event.send (api-reference/bizproc/bizproc-robot/). Robots need
 * application context ("Application context required") and an administrator.
 */

const invalid = (msg: string) => new RestError('ERROR_ACTIVITY_VALIDATION_FAILURE', msg, 400);
const CODE_RE = /^[a-zA-Z0-9._-]+$/;
const PROPERTY_KEY_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;

function requireAdmin(call: MethodCall): void {
  if (!call.auth.user.IS_ADMIN) throw SystemErrors.accessDenied();
}

function readCode(raw: unknown): string {
  const code = typeof raw === 'string' ? raw.trim() : '';
  if (!code) throw invalid('Empty activity code!');
  if (!CODE_RE.test(code)) throw invalid('Wrong activity code!');
  return code;
}

function checkHandler(call: MethodCall, raw: unknown): string {
  const handler = typeof raw === 'string' ? raw.trim() : '';
  let url: URL;
  try {
    url = new URL(handler);
  } catch {
    throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RestError('ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol', 400);
  // "The link must have the same domain where the application is installed" (bizproc-robot-add.md).
  const appHost = new URL(call.auth.app!.appUrl).hostname;
  if (url.hostname !== appHost) throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL', 400);
  return handler;
}

function checkProperties(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('Wrong properties array!');
  for (const [key, prop] of Object.entries(raw as Record<string, unknown>)) {
    if (!PROPERTY_KEY_RE.test(key)) throw invalid(`Wrong property key ${key}!`);
    const name = (prop as Record<string, unknown> | null)?.Name ?? (prop as Record<string, unknown> | null)?.NAME;
    if (!name) throw invalid(`Empty property NAME ${key}!`);
  }
  return raw as Record<string, unknown>;
}

function checkDocumentType(raw: unknown): string[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as object) : null;
  if (!list || list.length !== 3 || list.some((x) => typeof x !== 'string' || x === '')) throw invalid('Wrong activity DOCUMENT_TYPE!');
  return list as string[];
}

function robotOf(call: MethodCall, code: string): SRobot {
  const robot = call.rt.store.robots.find((r) => r.clientId === call.auth.app!.clientId && r.code === code);
  if (!robot) throw new RestError('ERROR_ACTIVITY_NOT_FOUND', 'Activity or Robot not found!', 400);
  return robot;
}

export function bizprocMethods(engine: () => AutomationEngine): MethodDef[] {
  return [
    {
      name: 'bizproc.robot.add',
      scope: 'bizproc',
      appOnly: 'ACCESS_DENIED',
      handler(call) {
        requireAdmin(call);
        const p = call.params;
        if (Object.keys(p).length === 0) throw invalid('Empty data!');
        const code = readCode(p.CODE);
        const handler = checkHandler(call, p.HANDLER);
        if (!p.NAME) throw invalid('Empty activity NAME!');
        const properties = checkProperties(p.PROPERTIES);
        const returnProperties = checkProperties(p.RETURN_PROPERTIES);
        const documentType = checkDocumentType(p.DOCUMENT_TYPE);
        if (p.FILTER !== undefined && (typeof p.FILTER !== 'object' || p.FILTER === null)) throw invalid('Wrong activity FILTER!');
        const clientId = call.auth.app!.clientId;
        if (call.rt.store.robots.find((r) => r.clientId === clientId && r.code === code)) {
          throw new RestError('ERROR_ACTIVITY_ALREADY_INSTALLED', 'Activity or Automation rule already installed!', 400);
        }
        call.rt.store.robots.insert({
          id: call.rt.store.nextId('robot'),
          clientId,
          code,
          handler,
          authUserId: toIntOrNull(p.AUTH_USER_ID) ?? 0,
          useSubscription: String(p.USE_SUBSCRIPTION ?? ''),
          name: p.NAME,
          description: p.DESCRIPTION ?? '',
          properties,
          returnProperties,
          documentType,
          filter: (p.FILTER as Record<string, unknown>) ?? null,
          usePlacement: String(p.USE_PLACEMENT ?? 'N').toUpperCase() === 'Y' ? 'Y' : 'N',
          placementHandler: typeof p.PLACEMENT_HANDLER === 'string' ? p.PLACEMENT_HANDLER : null,
        });
        return true;
      },
    },
    {
      name: 'bizproc.robot.update',
      scope: 'bizproc',
      appOnly: 'ACCESS_DENIED',
      handler(call) {
        requireAdmin(call);
        const robot = robotOf(call, readCode(call.params.CODE));
        const f = call.params.FIELDS;
        if (!f || typeof f !== 'object' || Object.keys(f).length === 0) throw invalid('No fields to update.');
        const fields = f as Record<string, unknown>;
        if (fields.HANDLER !== undefined) robot.handler = checkHandler(call, fields.HANDLER);
        if (fields.AUTH_USER_ID !== undefined) robot.authUserId = toIntOrNull(fields.AUTH_USER_ID) ?? 0;
        if (fields.USE_SUBSCRIPTION !== undefined) robot.useSubscription = String(fields.USE_SUBSCRIPTION);
        if (fields.NAME !== undefined) robot.name = fields.NAME;
        if (fields.DESCRIPTION !== undefined) robot.description = fields.DESCRIPTION;
        if (fields.PROPERTIES !== undefined) robot.properties = checkProperties(fields.PROPERTIES);
        if (fields.RETURN_PROPERTIES !== undefined) robot.returnProperties = checkProperties(fields.RETURN_PROPERTIES);
        if (fields.DOCUMENT_TYPE !== undefined) robot.documentType = checkDocumentType(fields.DOCUMENT_TYPE);
        if (fields.FILTER !== undefined) robot.filter = fields.FILTER as Record<string, unknown>;
        call.rt.store.robots.touch();
        return true;
      },
    },
    {
      name: 'bizproc.robot.delete',
      scope: 'bizproc',
      appOnly: 'ACCESS_DENIED',
      handler(call) {
        requireAdmin(call);
        const robot = robotOf(call, readCode(call.params.CODE));
        call.rt.store.robots.delete(robot.id);
        return true;
      },
    },
    {
      name: 'bizproc.robot.list',
      scope: 'bizproc',
      appOnly: 'ACCESS_DENIED',
      handler(call) {
        requireAdmin(call);
        return call.rt.store.robots.filter((r) => r.clientId === call.auth.app!.clientId).sort((a, b) => a.id - b.id).map((r) => r.code);
      },
    },
    {
      name: 'bizproc.event.send',
      scope: 'bizproc',
      handler(call) {
        const token = String(call.params.EVENT_TOKEN ?? call.params.event_token ?? '');
        if (!token) throw SystemErrors.accessDenied();
        const values = call.params.RETURN_VALUES && typeof call.params.RETURN_VALUES === 'object' ? (call.params.RETURN_VALUES as Record<string, unknown>) : {};
        engine().eventSend(token, values, String(call.params.LOG_MESSAGE ?? ''), call.auth.app?.clientId ?? null);
        return true;
      },
    },
  ];
}
