import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';

/** Registers every Instagram host the sandbox emulates. */
export async function instagramRoutes(_app: FastifyInstance, _options: { sandbox: Sandbox }) {}
