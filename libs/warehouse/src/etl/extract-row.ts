import { ENCODED_NULL, EncodedField } from './copy-text';

/** The fields of one extract's rows by column name: where each is, and the ones a fact cannot do without. */
export interface ExtractRow<C extends string> {
  /** The index of each column in a row. */
  at: Record<C, number>;
  /** A column the fact cannot do without, as it came (encoded); a missing one fails the load rather than loading a broken fact. */
  required(fields: EncodedField[], column: C): EncodedField;
}

export function extractRow<C extends string>(extract: string, columns: readonly C[]): ExtractRow<C> {
  const at = Object.fromEntries(columns.map((column, index) => [column, index])) as Record<C, number>;
  return {
    at,
    required(fields, column) {
      const value = fields[at[column]];
      if (value === ENCODED_NULL || value === undefined) throw new Error(`${extract} extract: ${column} is missing in row ${fields[0]}`);
      return value;
    },
  };
}
