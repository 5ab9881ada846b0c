import { allowOperatorActions } from './queue-board-actions';

describe('the queue board allows reads and the operator actions only', () => {
  it.each(['/api/queues', '/api/queues/:queueName/:jobId', '/api/redis/stats'])('allows GET %s', (route) => {
    expect(allowOperatorActions({ method: 'get', route })).toEqual({ allow: true });
  });

  it.each([
    '/api/queues/:queueName/retry/:queueStatus',
    '/api/queues/:queueName/:jobId/retry',
    '/api/queues/:queueName/clean/:queueStatus',
    '/api/queues/:queueName/:jobId/clean',
    '/api/queues/:queueName/promote',
    '/api/queues/:queueName/:jobId/promote',
  ])('allows PUT %s', (route) => {
    expect(allowOperatorActions({ method: 'put', route })).toEqual({ allow: true });
  });

  it.each([
    ['post', '/api/queues/:queueName/add'],
    ['put', '/api/queues/pause'],
    ['put', '/api/queues/:queueName/pause'],
    ['put', '/api/queues/:queueName/empty'],
    ['put', '/api/queues/:queueName/obliterate'],
    ['patch', '/api/queues/:queueName/:jobId/update-data'],
    ['patch', '/api/queues/:queueName/job-schedulers/:schedulerId'],
    ['put', '/api/queues/:queueName/job-schedulers/:schedulerId/run'],
    ['post', '/api/queues/:queueName/retry/:queueStatus'],
  ] as const)('refuses %s %s with a 403', (method, route) => {
    expect(allowOperatorActions({ method, route })).toEqual(expect.objectContaining({ allow: false, status: 403 }));
  });
});
