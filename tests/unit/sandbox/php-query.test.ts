import { describe, expect, it } from 'vitest';
import { httpBuildQuery, parseQueryToPlain, parseStr } from '../../../sandbox/rest/php-query.js';

describe('PHP-style query parsing (parse_str)', () => {
  it('when keys carry brackets, then nested arrays are built in order', () => {
    expect(parseStr('fields[TITLE]=x&fields[PHONE][0][VALUE]=1&fields[PHONE][0][VALUE_TYPE]=WORK')).toEqual({
      fields: { TITLE: 'x', PHONE: { '0': { VALUE: '1', VALUE_TYPE: 'WORK' } } },
    });
  });

  it('when a key ends with [], then values are appended with the next integer index', () => {
    expect(parseQueryToPlain('select[]=*&select[]=id&select[]=title')).toEqual({ select: ['*', 'id', 'title'] });
    expect(parseStr('a[5]=x&a[]=y')).toEqual({ a: { '5': 'x', '6': 'y' } });
  });

  it('when filter keys carry operators, then they survive decoding', () => {
    expect(parseQueryToPlain('filter%5B%3E%3Did%5D=5&filter[!%title]=a&filter[@stageId][]=NEW&filter[@stageId][]=WON')).toEqual({
      filter: { '>=id': '5', '!%title': 'a', '@stageId': ['NEW', 'WON'] },
    });
  });

  it('when values are percent- or plus-encoded, then they decode like urldecode', () => {
    expect(parseStr('fields[TITLE]=John%26Martin&q=a+b%2Bc')).toEqual({ fields: { TITLE: 'John&Martin' }, q: 'a b+c' });
  });

  it('when a batch command is double encoded in a GET query, then two parses give the original value', () => {
    const outer = parseStr('cmd[0]=crm.lead.add%3Ffields%5BTITLE%5D%3DJohn%2526Martin');
    const inner = (outer.cmd as Record<string, string>)['0'] as string;
    expect(inner).toBe('crm.lead.add?fields[TITLE]=John%26Martin');
    expect(parseStr(inner.slice(inner.indexOf('?') + 1))).toEqual({ fields: { TITLE: 'John&Martin' } });
  });

  it('when a top-level name has dots or spaces, then PHP turns them into underscores', () => {
    expect(parseStr('a.b=1&c d=2&e[x.y]=3')).toEqual({ a_b: '1', c_d: '2', e: { 'x.y': '3' } });
  });

  it('when the same scalar key repeats, then the last value wins; a malformed escape is kept', () => {
    expect(parseStr('a=1&a=2&b=%zz')).toEqual({ a: '2', b: '%zz' });
  });

  it('when mixed numeric and named keys appear, then the list normalisation keeps an object', () => {
    expect(parseQueryToPlain('filter[0][logic]=OR&filter[0][0][%title]=a&filter[@id][]=1')).toEqual({
      filter: { '0': { logic: 'OR', '0': { '%title': 'a' } }, '@id': ['1'] },
    });
  });
});

describe('http_build_query', () => {
  it('when data is nested, then keys are bracketed and encoded, lists indexed, null dropped, booleans 1/0', () => {
    const q = httpBuildQuery({ event: 'ONCRMDYNAMICITEMADD', data: { FIELDS: { ID: 5 } }, list: ['a', 'b'], n: null, t: true });
    expect(q).toBe('event=ONCRMDYNAMICITEMADD&data%5BFIELDS%5D%5BID%5D=5&list%5B0%5D=a&list%5B1%5D=b&t=1');
    expect(parseQueryToPlain(q)).toEqual({ event: 'ONCRMDYNAMICITEMADD', data: { FIELDS: { ID: '5' } }, list: ['a', 'b'], t: '1' });
  });
});
