import { z } from 'zod';

/**
 * Role settings a portal administrator keeps in DealerHub (`settings.roles`): which employees are service engineers.
 * Everything else about intranet roles comes from Bitrix24 itself (user.admin).
 */
export const ZPortalRoles = z.object({
  serviceUserIds: z.array(z.coerce.number().int().positive()).max(500).default([]),
});
export type TPortalRoles = z.infer<typeof ZPortalRoles>;

export function portalRolesOf(settings: Record<string, unknown>): TPortalRoles {
  const parsed = ZPortalRoles.safeParse(settings.roles ?? {});
  return parsed.success ? parsed.data : { serviceUserIds: [] };
}
