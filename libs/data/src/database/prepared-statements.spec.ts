import { PreparedStatements } from './prepared-statements';

describe('PreparedStatements', () => {
  it('names parameterised SQL by its text: the same text, the same name; another text, another name', () => {
    const statements = new PreparedStatements();
    const first = statements.config('SELECT * FROM product WHERE id = $1', ['a']);
    const again = statements.config('SELECT * FROM product WHERE id = $1', ['b']);
    const other = statements.config('SELECT * FROM facility WHERE id = $1', ['a']);

    expect(first).toEqual({ name: expect.stringMatching(/^oms_[\w-]{22}$/), text: 'SELECT * FROM product WHERE id = $1', values: ['a'] });
    expect(again.name).toBe(first.name);
    expect(again.values).toEqual(['b']);
    expect(other.name).not.toBe(first.name);
  });

  it('leaves SQL without parameters a simple query, which may hold several statements', () => {
    const statements = new PreparedStatements();

    expect(statements.config('TRUNCATE product; TRUNCATE facility')).toEqual({ text: 'TRUNCATE product; TRUNCATE facility' });
    expect(statements.config('SELECT 1', [])).toEqual({ text: 'SELECT 1' });
  });

  it('prepares at most its limit of distinct statements and runs the rest unprepared', () => {
    const statements = new PreparedStatements(2);
    const named = [statements.config('SELECT $1::int', [1]), statements.config('SELECT $1::text', ['x'])];
    const beyond = statements.config('SELECT $1::uuid', ['u']);

    expect(named.every((config) => config.name !== undefined)).toBe(true);
    expect(beyond).toEqual({ text: 'SELECT $1::uuid', values: ['u'] });
    expect(statements.config('SELECT $1::int', [2]).name).toBe(named[0].name);
  });
});
