import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';

/** Registers every Facebook host the sandbox emulates. */
export async function facebookRoutes(_app: FastifyInstance, _options: { sandbox: Sandbox }) {}
