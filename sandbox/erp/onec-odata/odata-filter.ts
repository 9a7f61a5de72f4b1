/**
 * A `$filter` parser and evaluator for the emulators: OData v3 as 1C speaks it (`guid'…'`, `datetime'…'`,
 * `substringof`, `cast(guid'…','Catalog_X')`, https://www.odata.org/documentation/odata-version-3-0/url-conventions/
 * §5.1.2) and OData v4 as D365 F&O speaks it (bare GUIDs and dates, `contains`, enum literals
 * `Microsoft.Dynamics.DataEntities.NoYes'Yes'`, `eq '*x*'` wildcards).
 *
 * Grammar (precedence low → high): or, and, not, comparison (eq ne gt ge lt le), primary.
 */

export type FilterLiteralKind = 'guid' | 'datetime' | 'string' | 'number' | 'bool' | 'null' | 'enum';

export type FilterNode =
  | { t: 'or' | 'and'; l: FilterNode; r: FilterNode }
  | { t: 'not'; e: FilterNode }
  | { t: 'cmp'; op: CmpOp; l: FilterNode; r: FilterNode }
  | { t: 'lit'; kind: FilterLiteralKind; v: string | number | boolean | null; enumType?: string }
  | { t: 'member'; path: string[] }
  | { t: 'call'; name: string; args: FilterNode[] };

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export class FilterSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { k: 'punct'; v: '(' | ')' | ',' | '/'; pos: number }
  | { k: 'ident'; v: string; pos: number }
  | { k: 'lit'; node: Extract<FilterNode, { t: 'lit' }>; pos: number }
  | { k: 'end'; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const IDENT = /^[\p{L}_$][\p{L}\p{N}_.]*/u;
const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Normalizes a date literal or value to `YYYY-MM-DDTHH:mm:ss` so v3 local and v4 UTC forms compare as text. */
export function normalizeDateText(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!m) return text;
  return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}`;
}

function readQuoted(src: string, start: number): { text: string; end: number } {
  // start points at the opening quote; '' inside is an escaped quote.
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= src.length) throw new FilterSyntaxError('unterminated string literal', start);
    const ch = src[i] as string;
    if (ch === "'") {
      if (src[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { text: out, end: i + 1 };
    }
    out += ch;
    i++;
  }
}

function typedLiteral(prefix: string, text: string, pos: number): Extract<FilterNode, { t: 'lit' }> {
  const p = prefix.toLowerCase();
  if (p === 'guid') {
    if (!GUID.test(text) || text.length !== 36) throw new FilterSyntaxError(`bad guid literal "${text}"`, pos);
    return { t: 'lit', kind: 'guid', v: text.toLowerCase() };
  }
  if (p === 'datetime' || p === 'datetimeoffset') {
    if (!DATE.test(text)) throw new FilterSyntaxError(`bad ${prefix} literal "${text}"`, pos);
    return { t: 'lit', kind: 'datetime', v: normalizeDateText(text) };
  }
  if (p === 'time' || p === 'x' || p === 'binary') return { t: 'lit', kind: 'string', v: text };
  if (prefix.includes('.')) return { t: 'lit', kind: 'enum', v: text, enumType: prefix };
  throw new FilterSyntaxError(`unknown literal type "${prefix}"`, pos);
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === '/') {
      out.push({ k: 'punct', v: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const q = readQuoted(src, i);
      out.push({ k: 'lit', node: { t: 'lit', kind: 'string', v: q.text }, pos: i });
      i = q.end;
      continue;
    }
    const rest = src.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[\p{L}\p{N}_]/u.test(rest[36] ?? '')) {
      out.push({ k: 'lit', node: { t: 'lit', kind: 'guid', v: guid[0].toLowerCase() }, pos: i });
      i += 36;
      continue;
    }
    const date = DATE.exec(rest);
    if (date && date[0].length >= 10 && !/[\p{L}\p{N}_]/u.test(rest[date[0].length] ?? '')) {
      out.push({ k: 'lit', node: { t: 'lit', kind: 'datetime', v: normalizeDateText(date[0]) }, pos: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num && (ch !== '-' || /\d/.test(rest[1] ?? ''))) {
      out.push({ k: 'lit', node: { t: 'lit', kind: 'number', v: Number(num[0].replace(/[mMdDfFlL]$/, '')) }, pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      const word = id[0];
      if (src[i + word.length] === "'") {
        const q = readQuoted(src, i + word.length);
        out.push({ k: 'lit', node: typedLiteral(word, q.text, i), pos: i });
        i = q.end;
        continue;
      }
      if (word.includes('.')) throw new FilterSyntaxError(`unexpected "${word}"`, i);
      const lower = word.toLowerCase();
      if (lower === 'true' || lower === 'false') out.push({ k: 'lit', node: { t: 'lit', kind: 'bool', v: lower === 'true' }, pos: i });
      else if (lower === 'null') out.push({ k: 'lit', node: { t: 'lit', kind: 'null', v: null }, pos: i });
      else out.push({ k: 'ident', v: word, pos: i });
      i += word.length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character "${ch}"`, i);
  }
  out.push({ k: 'end', pos: src.length });
  return out;
}

export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p] as Token;
  const isWord = (w: string) => {
    const t = peek();
    return t.k === 'ident' && t.v.toLowerCase() === w;
  };
  const expect = (v: string) => {
    const t = peek();
    if (t.k !== 'punct' || t.v !== v) throw new FilterSyntaxError(`expected "${v}"`, t.pos);
    p++;
  };

  function orExpr(): FilterNode {
    let l = andExpr();
    while (isWord('or')) {
      p++;
      l = { t: 'or', l, r: andExpr() };
    }
    return l;
  }
  function andExpr(): FilterNode {
    let l = notExpr();
    while (isWord('and')) {
      p++;
      l = { t: 'and', l, r: notExpr() };
    }
    return l;
  }
  function notExpr(): FilterNode {
    if (isWord('not')) {
      p++;
      return { t: 'not', e: notExpr() };
    }
    return cmpExpr();
  }
  function cmpExpr(): FilterNode {
    const l = primary();
    const t = peek();
    if (t.k === 'ident' && CMP.has(t.v.toLowerCase())) {
      p++;
      return { t: 'cmp', op: t.v.toLowerCase() as CmpOp, l, r: primary() };
    }
    return l;
  }
  function primary(): FilterNode {
    const t = peek();
    if (t.k === 'punct' && t.v === '(') {
      p++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t.k === 'lit') {
      p++;
      return t.node;
    }
    if (t.k === 'ident') {
      p++;
      const next = peek();
      if (next.k === 'punct' && next.v === '(') {
        p++;
        const args: FilterNode[] = [];
        if (!(peek().k === 'punct' && (peek() as { v: string }).v === ')')) {
          args.push(orExpr());
          while (peek().k === 'punct' && (peek() as { v: string }).v === ',') {
            p++;
            args.push(orExpr());
          }
        }
        expect(')');
        return { t: 'call', name: t.v.toLowerCase(), args };
      }
      const path = [t.v];
      while (peek().k === 'punct' && (peek() as { v: string }).v === '/') {
        p++;
        const seg = peek();
        if (seg.k !== 'ident') throw new FilterSyntaxError('expected a property name after "/"', seg.pos);
        p++;
        path.push(seg.v);
      }
      return { t: 'member', path };
    }
    throw new FilterSyntaxError(t.k === 'end' ? 'unexpected end of filter' : 'unexpected token', t.pos);
  }

  const ast = orExpr();
  if (peek().k !== 'end') throw new FilterSyntaxError('unexpected text after the expression', peek().pos);
  return ast;
}

/** Every property path a filter reads (so an engine can tell whether cheap rows are enough). */
export function filterMembers(node: FilterNode, out = new Set<string>()): Set<string> {
  switch (node.t) {
    case 'or':
    case 'and':
      filterMembers(node.l, out);
      filterMembers(node.r, out);
      break;
    case 'not':
      filterMembers(node.e, out);
      break;
    case 'cmp':
      filterMembers(node.l, out);
      filterMembers(node.r, out);
      break;
    case 'call':
      node.args.forEach((a) => filterMembers(a, out));
      break;
    case 'member':
      out.add(node.path.join('/'));
      break;
    default:
      break;
  }
  return out;
}

/**
 * The values a filter pins `field` to, when every matching row must have one of them (`F eq a or F eq b`, possibly
 * and-ed with other conditions); null when the filter does not pin it. Lets an emulator use an index instead of a scan.
 */
export function equalityHint(node: FilterNode, field: string): string[] | null {
  switch (node.t) {
    case 'or': {
      const l = equalityHint(node.l, field);
      const r = equalityHint(node.r, field);
      return l && r ? [...l, ...r] : null;
    }
    case 'and':
      return equalityHint(node.l, field) ?? equalityHint(node.r, field);
    case 'cmp': {
      if (node.op !== 'eq') return null;
      const [m, v] = node.l.t === 'member' ? [node.l, node.r] : [node.r, node.l];
      if (m.t !== 'member' || m.path.join('/') !== field) return null;
      const lit = v.t === 'call' && v.name === 'cast' ? v.args[0] : v;
      return lit?.t === 'lit' && (typeof lit.v === 'string' || typeof lit.v === 'number') ? [String(lit.v).toLowerCase()] : null;
    }
    default:
      return null;
  }
}

export interface EvalOptions {
  /** D365: `eq '*abc*'` matches as a wildcard pattern. */
  wildcardEq?: boolean;
}

type Value = string | number | boolean | null | undefined;

function valueOf(node: FilterNode, row: Record<string, unknown>, opt: EvalOptions): Value {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'member': {
      let cur: unknown = row;
      for (const seg of node.path) {
        if (cur === null || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[seg];
      }
      return cur === undefined ? undefined : (cur as Value);
    }
    case 'call':
      return callFn(node.name, node.args.map((a) => valueOf(a, row, opt)));
    default:
      return evaluate(node, row, opt);
  }
}

function callFn(name: string, args: Value[]): Value {
  const s = (v: Value) => (v === null || v === undefined ? '' : String(v));
  switch (name) {
    case 'substringof':
      return s(args[1]).toLowerCase().includes(s(args[0]).toLowerCase());
    case 'contains':
      return s(args[0]).toLowerCase().includes(s(args[1]).toLowerCase());
    case 'startswith':
      return s(args[0]).startsWith(s(args[1]));
    case 'endswith':
      return s(args[0]).endsWith(s(args[1]));
    case 'tolower':
      return s(args[0]).toLowerCase();
    case 'toupper':
      return s(args[0]).toUpperCase();
    case 'trim':
      return s(args[0]).trim();
    case 'length':
      return s(args[0]).length;
    case 'indexof':
      return s(args[0]).indexOf(s(args[1]));
    case 'concat':
      return s(args[0]) + s(args[1]);
    case 'year':
      return Number(s(args[0]).slice(0, 4));
    case 'month':
      return Number(s(args[0]).slice(5, 7));
    case 'day':
      return Number(s(args[0]).slice(8, 10));
    case 'cast':
      // 1C composite-type references: cast(guid'…','Catalog_Номенклатура') is the reference itself.
      return args[0];
    default:
      throw new FilterSyntaxError(`unsupported function ${name}()`, 0);
  }
}

const isNumeric = (v: Value) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
const looksDate = (v: Value) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v);

function compare(a: Value, b: Value): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : null;
  if ((typeof a === 'number' || typeof b === 'number') && isNumeric(a) && isNumeric(b)) return Math.sign(Number(a) - Number(b));
  let x = String(a);
  let y = String(b);
  if (looksDate(x) && looksDate(y)) {
    x = normalizeDateText(x);
    y = normalizeDateText(y);
  } else if (GUID.test(x) && GUID.test(y)) {
    x = x.toLowerCase();
    y = y.toLowerCase();
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function wildcardMatch(value: Value, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value === null || value === undefined ? '' : String(value));
}

export function evaluate(node: FilterNode, row: Record<string, unknown>, opt: EvalOptions = {}): boolean {
  switch (node.t) {
    case 'or':
      return evaluate(node.l, row, opt) || evaluate(node.r, row, opt);
    case 'and':
      return evaluate(node.l, row, opt) && evaluate(node.r, row, opt);
    case 'not':
      return !evaluate(node.e, row, opt);
    case 'cmp': {
      const a = valueOf(node.l, row, opt);
      const b = valueOf(node.r, row, opt);
      if (node.op === 'eq' || node.op === 'ne') {
        let same: boolean;
        if (a === null || a === undefined || b === null || b === undefined) same = (a ?? null) === (b ?? null);
        else if (opt.wildcardEq && node.r.t === 'lit' && typeof b === 'string' && b.includes('*')) same = wildcardMatch(a, b);
        else same = compare(a, b) === 0;
        return node.op === 'eq' ? same : !same;
      }
      const c = compare(a, b);
      if (c === null) return false;
      return node.op === 'gt' ? c > 0 : node.op === 'ge' ? c >= 0 : node.op === 'lt' ? c < 0 : c <= 0;
    }
    default: {
      const v = valueOf(node, row, opt);
      return v === true;
    }
  }
}
