// The framework's own cost: a bare Nest + Fastify handler (no guards, interceptors, pipes, filters
// or logs) answering what bare-fastify.js answers, in its own process.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const product = require('./sample-product');

class ProductController {
  get() {
    return product;
  }
}
Get()(ProductController.prototype, 'get', Object.getOwnPropertyDescriptor(ProductController.prototype, 'get'));
Controller()(ProductController);

class BareModule {}
Module({ controllers: [ProductController] })(BareModule);

NestFactory.create(BareModule, new FastifyAdapter(), { logger: false })
  .then((app) => app.listen(Number(process.argv[2] ?? 0), '127.0.0.1').then(() => app))
  .then((app) => {
    const { port } = app.getHttpServer().address();
    process.stdout.write(`${JSON.stringify({ address: `http://127.0.0.1:${port}` })}\n`);
  });
