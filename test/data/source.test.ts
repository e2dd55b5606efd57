import { describe, expect, it } from 'vitest';
import { firstLine, parseDelimiter, sniffDelimiter, splitCsvLine } from '../../src/data/source.js';

describe('sniffDelimiter', () => {
  it('picks the most frequent candidate outside quotes', () => {
    expect(sniffDelimiter('a,b,c')).toBe(',');
    expect(sniffDelimiter('a;b;"c,d"')).toBe(';');
    expect(sniffDelimiter('a\tb')).toBe('\t');
    expect(sniffDelimiter(' 00001  19970101  1  11.77')).toBe('whitespace');
    expect(sniffDelimiter('single')).toBe(',');
  });
});

describe('splitCsvLine', () => {
  it('honours quotes and doubled quotes', () => {
    expect(splitCsvLine('a,"b,c","say ""hi"""', ',')).toEqual(['a', 'b,c', 'say "hi"']);
    expect(splitCsvLine('  a   b c ', 'whitespace')).toEqual(['a', 'b', 'c']);
  });
});

describe('firstLine', () => {
  it('skips a BOM, blank lines and CR', () => {
    expect(firstLine('f', Buffer.from('\uFEFF\r\n\r\nid,x\r\n1,2'))).toBe('id,x');
  });
});

describe('parseDelimiter', () => {
  it('knows names and rejects long delimiters', () => {
    expect(parseDelimiter('tab')).toBe('\t');
    expect(parseDelimiter('whitespace')).toBe('whitespace');
    expect(() => parseDelimiter('::')).toThrow(/one character/);
  });
});
