import { NotFoundException } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError, UnprocessableError } from '../errors/domain-errors';
import { DEPENDENCY_RETRY_AFTER_SECONDS, describeError } from './http-exception.filter';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('describeError: the one mapping of errors to HTTP', () => {
  it('maps each kind of domain error to its status, keeping message and details', () => {
    const details = [{ field: 'items[0].sku', message: 'unknown product' }];
    expect(describeError(new NotFoundError('order x not found'))).toEqual({ status: 404, message: 'order x not found', details: undefined });
    expect(describeError(new ConflictError('already shipped')).status).toBe(409);
    expect(describeError(new InvalidInputError('bad items', details))).toEqual({ status: 400, message: 'bad items', details });
    expect(describeError(new UnprocessableError('key reused')).status).toBe(422);
  });

  it('answers 503 with Retry-After when the database is unreachable, restarting or overloaded', () => {
    const unavailable = [
      withCode('ECONNREFUSED'),
      Object.assign(new Error('query failed'), { driverError: withCode('57P01', 'terminating connection due to administrator command') }),
      withCode('08006'),
      withCode('53300'),
      new Error('Connection terminated unexpectedly'),
      // A transaction's next query after its connection failed.
      new Error('Client has encountered a connection error and is not queryable'),
      new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
    ];
    for (const error of unavailable) {
      expect(describeError(error)).toMatchObject({ status: 503, retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS });
    }
  });

  it('answers 400 for a value the database refused (SQLSTATE class 22), without its text', () => {
    const described = describeError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { driverError: withCode('22021') }));
    expect(described).toMatchObject({ status: 400, warn: true });
    expect(described.message).not.toContain('0x00');
  });

  it('keeps Nest exceptions as they are and hides everything else behind a 500', () => {
    expect(describeError(new NotFoundException('no route')).status).toBe(404);
    expect(describeError(withCode('23505', 'duplicate key value violates unique constraint "secret_index"'))).toEqual({
      status: 500,
      message: 'Internal server error',
    });
  });
});
