/** PostgreSQL's COPY text format: tab-separated fields, `\N` for null, backslash escapes. */

const DECODED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const ENCODED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export type CopyField = string | null;

/**
 * A field as COPY text writes it: `\N` for null, escapes kept. Between two COPY text streams of the
 * same encoding a field passes through unchanged in this form, so only the fields a transform reads
 * need decoding, and only those it computes need encoding.
 */
export type EncodedField = string;

export const ENCODED_NULL: EncodedField = '\\N';

/** One encoded field as its value. */
export function decodeCopyField(field: EncodedField): CopyField {
  if (field === ENCODED_NULL) return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/g, (_, octal?: string, hex?: string, char?: string) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return DECODED[char!] ?? char!;
  });
}

/** One value as an encoded field. */
export function encodeCopyField(value: CopyField): EncodedField {
  return value === null ? ENCODED_NULL : value.replace(/[\\\n\r\t]/g, (char) => ENCODED[char]);
}

/** One line of COPY ... TO STDOUT output (without its newline) as its encoded fields: tabs inside a field are always escaped. */
export function splitCopyLine(line: string): EncodedField[] {
  return line.split('\t');
}

/** One line of COPY ... TO STDOUT output (without its newline) as its fields. */
export function parseCopyLine(line: string): CopyField[] {
  return splitCopyLine(line).map(decodeCopyField);
}

/** Fields as one line for COPY ... FROM STDIN, newline included. */
export function formatCopyLine(fields: readonly CopyField[]): string {
  return `${fields.map(encodeCopyField).join('\t')}\n`;
}
