import { describe, expect, it } from 'vitest';
import { RestError } from '../../../sandbox/rest/rest-error.js';
import { compileFilter, compileOrder, splitFilterKey, type FilterField } from '../../../sandbox/crm/filter.js';

interface Row {
  id: number;
  title: string | null;
  opportunity: number | null;
  stageId: string;
  tags: number[];
  flag: 'Y' | 'N';
  created: number;
}

const rows: Row[] = [
  { id: 1, title: 'Молоток стальной', opportunity: 100, stageId: 'NEW', tags: [1, 2], flag: 'Y', created: Date.parse('2025-01-01T10:00:00Z') },
  { id: 2, title: 'Молоток деревянный', opportunity: 250.5, stageId: 'WON', tags: [3], flag: 'N', created: Date.parse('2025-02-01T10:00:00Z') },
  { id: 3, title: 'Отвёртка', opportunity: null, stageId: 'NEW', tags: [], flag: 'N', created: Date.parse('2025-03-01T10:00:00Z') },
  { id: 4, title: null, opportunity: 0, stageId: 'LOSE', tags: [2], flag: 'Y', created: Date.parse('2025-04-01T10:00:00Z') },
];

const fields: Record<string, FilterField> = {
  id: { type: 'int', get: ((r: Row) => r.id) as FilterField['get'] },
  title: { type: 'string', get: ((r: Row) => r.title) as FilterField['get'] },
  opportunity: { type: 'double', get: ((r: Row) => r.opportunity) as FilterField['get'] },
  stageId: { type: 'string', get: ((r: Row) => r.stageId) as FilterField['get'] },
  tags: { type: 'int', isMultiple: true, get: ((r: Row) => r.tags) as FilterField['get'] },
  flag: { type: 'boolean', get: ((r: Row) => r.flag) as FilterField['get'] },
  created: { type: 'datetime', get: ((r: Row) => r.created) as FilterField['get'] },
};
const unknownField = (n: string) => new RestError('INVALID_ARG_VALUE', `Invalid filter: field '${n}' is not allowed in filter`, 400);
const ids = (filter: unknown) => rows.filter(compileFilter<Row>(filter, (n) => fields[n] ?? null, { allowLogic: true, unknownField })).map((r) => r.id);

describe('list filter prefixes (crm-item-list.md §filter)', () => {
  it('when a key has a prefix, then the longest prefix wins', () => {
    expect(splitFilterKey('!=%title')).toEqual({ op: '!=%', field: 'title' });
    expect(splitFilterKey('>=id')).toEqual({ op: '>=', field: 'id' });
    expect(splitFilterKey('%=title')).toEqual({ op: '%=', field: 'title' });
    expect(splitFilterKey('title')).toEqual({ op: '', field: 'title' });
  });

  it('when = / no prefix / @ is used, then values match exactly (case-insensitive) or in a list', () => {
    expect(ids({ stageId: 'new' })).toEqual([1, 3]);
    expect(ids({ '=id': 2 })).toEqual([2]);
    expect(ids({ '@stageId': ['WON', 'LOSE'] })).toEqual([2, 4]);
    expect(ids({ id: [1, 4] })).toEqual([1, 4]);
  });

  it('when ! / != / !@ is used, then matching rows are excluded', () => {
    expect(ids({ '!stageId': 'NEW' })).toEqual([2, 4]);
    expect(ids({ '!=id': 1 })).toEqual([2, 3, 4]);
    expect(ids({ '!@id': [1, 2] })).toEqual([3, 4]);
    expect(ids({ '!=title': '' })).toEqual([1, 2, 3]);
  });

  it('when > >= < <= compare numbers and dates, then null never matches', () => {
    expect(ids({ '>opportunity': 100 })).toEqual([2]);
    expect(ids({ '>=opportunity': 100 })).toEqual([1, 2]);
    expect(ids({ '<opportunity': 100 })).toEqual([4]);
    expect(ids({ '<=opportunity': 100 })).toEqual([1, 4]);
    expect(ids({ '>=created': '2025-02-01T00:00:00Z', '<created': '01.04.2025' })).toEqual([2, 3]);
  });

  it('when % / !% search substrings, then case is ignored', () => {
    expect(ids({ '%title': 'МОЛОТ' })).toEqual([1, 2]);
    expect(ids({ '!%title': 'молот' })).toEqual([3, 4]);
  });

  it('when =% / %= / !=% / !%= use patterns, then % and _ are wildcards', () => {
    expect(ids({ '=%title': 'молоток%' })).toEqual([1, 2]);
    expect(ids({ '%=title': '%ный' })).toEqual([2]);
    expect(ids({ '!=%title': '%ой' })).toEqual([2, 3, 4]);
    expect(ids({ '!%=title': 'Отв_ртка' })).toEqual([1, 2, 4]);
  });

  it('when a multiple field is filtered, then any element may match', () => {
    expect(ids({ tags: 2 })).toEqual([1, 4]);
    expect(ids({ '@tags': [3, 9] })).toEqual([2]);
  });

  it('when a boolean is filtered with 1/0 or Y/N, then both spellings work', () => {
    expect(ids({ flag: 1 })).toEqual([1, 4]);
    expect(ids({ flag: 'N' })).toEqual([2, 3]);
  });

  it('when a numeric key holds a group with logic OR, then the group is OR-ed and AND-ed with the rest', () => {
    expect(ids({ 0: { logic: 'OR', 0: { stageId: 'WON' }, 1: { '%title': 'отв' } }, '>id': 1 })).toEqual([2, 3]);
    expect(ids([{ logic: 'OR', 0: { id: 1 }, 1: { id: 4 } }])).toEqual([1, 4]);
  });

  it('when a field is unknown, then the caller-defined INVALID_ARG_VALUE is thrown', () => {
    expect(() => ids({ nope: 1 })).toThrowError(/field 'nope' is not allowed/);
  });
});

describe('list order', () => {
  it('when several keys are given, then they sort in turn with NULLs first ascending', () => {
    const cmp = compileOrder<Row>({ stageId: 'ASC', opportunity: 'DESC' }, (n) => fields[n] ?? null, { unknownField, badDirection: unknownField }, (a, b) => a.id - b.id);
    expect([...rows].sort(cmp).map((r) => r.id)).toEqual([4, 1, 3, 2]);
    const byTitle = compileOrder<Row>({ title: 'asc' }, (n) => fields[n] ?? null, { unknownField, badDirection: unknownField }, (a, b) => a.id - b.id);
    expect([...rows].sort(byTitle).map((r) => r.id)).toEqual([4, 2, 1, 3]);
  });

  it('when the direction is not ASC/DESC, then the error callback decides the answer', () => {
    expect(() => compileOrder<Row>({ id: 'UP' }, (n) => fields[n] ?? null, { unknownField, badDirection: (n, d) => new RestError('X', `${n}:${d}`) }, () => 0)).toThrowError('X: id:UP');
  });
});
