// The baseline: a bare Fastify handler in its own process, the ceiling for any Nest route here.
const fastify = require('fastify')({ logger: false });
const product = require('./sample-product');

fastify.get('/', async () => product);
fastify.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' }).then((address) => {
  process.stdout.write(`${JSON.stringify({ address })}\n`);
});
