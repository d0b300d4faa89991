import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';
import { renderLittleText } from './little-text.ts';
import { parsePostBody } from './post-body.ts';
import { restErrors } from './rest-errors.ts';
import { mayActAs, restCaller } from './rest-guard.ts';

/** `POST /rest/posts` (reference §8.5): 201, an empty body and the share URN in `x-restli-id`. */
export async function postsRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const { linkedin, clock } = sandbox;

  app.post('/rest/posts', { config: { endpoint: 'li.rest.posts.create' } }, async (request, reply) => {
    const caller = restCaller(sandbox, request, { versioned: true, write: true });
    const post = parsePostBody(request.body);
    if (!mayActAs(sandbox, caller, post.author)) throw restErrors.accessDenied('POST /rest/posts');
    for (const urn of post.imageUrns) {
      const image = linkedin.images.get(urn);
      if (!image || image.owner !== post.author) {
        throw restErrors.illegalArgument(`Image ${urn} does not exist or is not owned by ${post.author}`);
      }
      if (image.status !== 'AVAILABLE') throw restErrors.illegalArgument(`Image ${urn} has not been uploaded`);
    }
    const now = clock.now();
    const duplicate = linkedin.posts.find(
      (earlier) =>
        post.commentary !== '' &&
        earlier.author === post.author &&
        earlier.commentary === post.commentary &&
        earlier.createdAt > now - linkedin.settings.duplicateWindowMs,
    );
    if (duplicate) throw restErrors.validationMessage(`Content is a duplicate of ${duplicate.urn}`);

    const rendered = renderLittleText(post.commentary);
    const urn = linkedin.nextShareUrn();
    linkedin.posts.push({
      urn,
      author: post.author,
      commentary: post.commentary,
      renderedCommentary: rendered.text,
      truncated: rendered.truncated,
      visibility: post.visibility,
      ...(post.content ? { content: post.content } : {}),
      lifecycleState: post.lifecycleState,
      version: caller.version,
      createdAt: now,
    });
    return reply.status(201).header('x-restli-id', urn).send();
  });
}
