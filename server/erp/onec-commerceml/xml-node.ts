/**
 * A small element tree for one record of a streamed XML file (a CommerceML Товар, Предложение, Документ…): the
 * streaming reader builds one of these per record and forgets it after mapping, so memory stays bounded by the
 * largest record, never the file.
 */
export interface XNode {
  /** Local name (namespace prefix stripped). */
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** Direct character data of this element (mixed content keeps only the text, not the order). */
  text: string;
}

export function child(node: XNode | undefined, name: string): XNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function childrenOf(node: XNode | undefined, name: string): XNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** The trimmed text of a child path (`text(n, 'Группы', 'Ид')`), or undefined when absent or blank. */
export function text(node: XNode | undefined, ...path: string[]): string | undefined {
  let cur = node;
  for (const p of path) cur = child(cur, p);
  if (!cur) return undefined;
  const t = cur.text.trim();
  return t === '' ? undefined : t;
}

/** All nodes at a path (`all(n, 'Цены', 'Цена')`). */
export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  let level: XNode[] = node ? [node] : [];
  for (const p of path) level = level.flatMap((n) => childrenOf(n, p));
  return level;
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|да|yes)$/i.test(value.trim());
}
