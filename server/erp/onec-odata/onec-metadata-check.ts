import { XMLParser } from 'fast-xml-parser';
import { ErpError } from '../port.js';
import { requiredMetadata, type OnecProfile } from './onec-profile.js';

/**
 * Reads the base's `$metadata` (EDMX, OData v3 CSDL) into entity sets and their properties, and checks a profile
 * against it: names differ between configurations and releases, and an administrator publishes only some objects
 * («Состав стандартного интерфейса OData»), so a missing set or field must fail early with its name, not as an
 * empty result later.
 */

export interface OnecMetadata {
  /** Entity set name → entity type name. */
  sets: Map<string, string>;
  /** Entity type name → property names (including tabular sections). */
  types: Map<string, Set<string>>;
}

const ARRAYS = new Set(['Schema', 'EntityType', 'ComplexType', 'Property', 'NavigationProperty', 'EntitySet', 'FunctionImport', 'EntityContainer']);

export function parseOnecMetadata(xml: string): OnecMetadata {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, isArray: (name) => ARRAYS.has(name) });
  const doc = parser.parse(xml) as Record<string, unknown>;
  const edmx = doc.Edmx as { DataServices?: { Schema?: unknown[] } } | undefined;
  const schemas = (edmx?.DataServices?.Schema ?? []) as Array<Record<string, unknown>>;
  if (schemas.length === 0) throw new ErpError('validation', '1C OData $metadata: no EDMX schema in the answer', { erpCode: 'metadata' });
  const sets = new Map<string, string>();
  const types = new Map<string, Set<string>>();
  for (const schema of schemas) {
    for (const t of (schema.EntityType ?? []) as Array<Record<string, unknown>>) {
      const props = new Set<string>();
      for (const p of [...((t.Property ?? []) as Array<Record<string, string>>), ...((t.NavigationProperty ?? []) as Array<Record<string, string>>)]) {
        if (p['@_Name']) props.add(p['@_Name']);
      }
      types.set(String(t['@_Name']), props);
    }
    for (const c of (schema.EntityContainer ?? []) as Array<Record<string, unknown>>) {
      for (const s of (c.EntitySet ?? []) as Array<Record<string, string>>) {
        const type = String(s['@_EntityType'] ?? '');
        sets.set(String(s['@_Name']), type.slice(type.lastIndexOf('.') + 1));
      }
    }
  }
  return { sets, types };
}

/** The problems of a profile against a base's metadata, each naming the set or field. Empty = the profile fits. */
export function checkOnecProfile(profile: OnecProfile, meta: OnecMetadata): string[] {
  const problems: string[] = [];
  for (const need of requiredMetadata(profile)) {
    let props: Set<string> | undefined;
    if (need.register) {
      props = meta.types.get(`${need.set}_RecordType`) ?? meta.types.get(need.set);
      if (!props) {
        problems.push(`register "${need.set}" is not published`);
        continue;
      }
    } else {
      const type = meta.sets.get(need.set);
      if (!type) {
        problems.push(`entity set "${need.set}" is not published`);
        continue;
      }
      props = meta.types.get(type) ?? new Set();
    }
    for (const f of need.fields) if (!props.has(f)) problems.push(`field "${need.set}.${f}" is missing`);
  }
  return problems;
}

export function assertOnecProfile(profile: OnecProfile, meta: OnecMetadata): void {
  const problems = checkOnecProfile(profile, meta);
  if (problems.length > 0) {
    throw new ErpError('validation', `1C OData metadata does not fit profile "${profile.id}": ${problems.join('; ')}. `
      + 'Publish the objects in «Состав стандартного интерфейса OData» or override the names in the connector profile.', { erpCode: 'metadata' });
  }
}
