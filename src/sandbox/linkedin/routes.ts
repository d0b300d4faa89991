import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';

/** Registers every LinkedIn host the sandbox emulates. */
export async function linkedinRoutes(_app: FastifyInstance, _options: { sandbox: Sandbox }) {}
