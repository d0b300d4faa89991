import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';

/** The sample-media CDN that publishing tests point Meta's fetcher at. */
export async function mediaRoutes(_app: FastifyInstance, _options: { sandbox: Sandbox }) {}
