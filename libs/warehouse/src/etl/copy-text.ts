/** PostgreSQL's COPY text format: tab-separated fields, `\N` for null, backslash escapes. */

const DECODED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const ENCODED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export type CopyField = string | null;

function decodeField(field: string): CopyField {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/g, (_, octal?: string, hex?: string, char?: string) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return DECODED[char!] ?? char!;
  });
}

/** One line of COPY ... TO STDOUT output (without its newline) as its fields. */
export function parseCopyLine(line: string): CopyField[] {
  return line.split('\t').map(decodeField);
}

/** Fields as one line for COPY ... FROM STDIN, newline included. */
export function formatCopyLine(fields: readonly CopyField[]): string {
  return `${fields.map((field) => (field === null ? '\\N' : field.replace(/[\\\n\r\t]/g, (char) => ENCODED[char]))).join('\t')}\n`;
}
