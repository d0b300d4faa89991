import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../contracts/errors.ts';
import {
  createdWebhook,
  createWebhookBody,
  webhookDelivery,
  webhookDeliveryList,
  webhookList,
} from '../../contracts/webhooks.ts';
import type { Config } from '../config.ts';
import { notFound } from '../errors.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  sendTestEvent,
  type WebhookDeliverySummary,
  type WebhookEndpointSummary,
} from '../services/webhooks.ts';
import { userSecurity as security } from './openapi.ts';

const serializeEndpoint = (endpoint: WebhookEndpointSummary) => ({
  ...endpoint,
  createdAt: endpoint.createdAt.toISOString(),
});

const serializeDelivery = (delivery: WebhookDeliverySummary) => ({
  ...delivery,
  deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  createdAt: delivery.createdAt.toISOString(),
});

const tags = ['webhooks'];
const idParams = z.object({ id: z.uuid() });

/** The signed-in user's webhook endpoints and their deliveries. Every `:id` answers only for the owner. */
export async function webhookRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);

  api.get(
    '/api/webhooks',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        tags,
        summary: 'List your webhook endpoints (never their secrets)',
        security,
        response: { 200: webhookList, 401: errorResponse },
      },
    },
    async (request) => ({
      endpoints: (await listWebhookEndpoints(app.db, request.user!.id)).map(serializeEndpoint),
    }),
  );

  api.post(
    '/api/webhooks',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Add a webhook endpoint (its signing secret is returned once)',
        security,
        body: createWebhookBody,
        response: { 201: createdWebhook, 400: errorResponse, 401: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await createWebhookEndpoint(app.connections, {
        userId: request.user!.id,
        url: request.body.url,
        events: request.body.events,
        requireHttps: config.production,
      });
      return reply.status(201).send({ endpoint: serializeEndpoint(endpoint), secret });
    },
  );

  api.delete(
    '/api/webhooks/:id',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery history',
        security,
        params: idParams,
        response: { 204: z.null(), 401: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      if (!(await deleteWebhookEndpoint(app.db, { userId: request.user!.id, id: request.params.id })))
        throw notFound('The webhook endpoint');
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/webhooks/:id/test',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        tags,
        summary: 'Send a webhook.test event to an endpoint',
        description: 'Queues the delivery and answers at once; follow it in the endpoint’s deliveries.',
        security,
        params: idParams,
        response: { 202: webhookDelivery, 401: errorResponse, 404: errorResponse, 503: errorResponse },
      },
    },
    async (request, reply) => {
      const delivery = await sendTestEvent(app.connections, { userId: request.user!.id, id: request.params.id });
      if (!delivery) throw notFound('The webhook endpoint');
      return reply.status(202).send(serializeDelivery(delivery));
    },
  );

  api.get(
    '/api/webhooks/:id/deliveries',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        tags,
        summary: 'The latest deliveries to an endpoint, newest first',
        security,
        params: idParams,
        response: { 200: webhookDeliveryList, 401: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const deliveries = await listDeliveries(app.db, { userId: request.user!.id, id: request.params.id });
      if (!deliveries) throw notFound('The webhook endpoint');
      return { deliveries: deliveries.map(serializeDelivery) };
    },
  );
}
