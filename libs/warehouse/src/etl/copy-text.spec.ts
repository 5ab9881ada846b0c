import { formatCopyLine, parseCopyLine } from './copy-text';

describe('COPY text format', () => {
  it('splits fields on tabs and reads \\N as null', () => {
    expect(parseCopyLine('a\t\\N\t\t3')).toEqual(['a', null, '', '3']);
  });

  it('decodes the escapes PostgreSQL writes, octal and hex included', () => {
    expect(parseCopyLine('tab\\there\tnew\\nline\tback\\\\slash\t\\101\\x42')).toEqual(['tab\there', 'new\nline', 'back\\slash', 'AB']);
  });

  it('round-trips any text, whatever tabs, newlines and backslashes it holds', () => {
    const fields = ['plain', null, 'a\tb', 'c\nd\re', 'back\\N', '\\', ''];
    const line = formatCopyLine(fields);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1).includes('\n')).toBe(false);
    expect(parseCopyLine(line.slice(0, -1))).toEqual(fields);
  });
});
