import type { FastifyInstance, FastifyReply } from 'fastify';
import { GraphError } from '../core/graph.ts';
import { SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { authorizeAccount } from './auth.ts';
import { receiveVideo } from './container-create.ts';
import { settle } from './containers.ts';
import { fetchVideo, REELS_RULES, STORY_RULES, type VideoSource } from './media-fetch.ts';
import { videoMetadata } from './media-inspect.ts';

/** rupload's failure body (reference §4.2): `{"debug_info":{"retriable":false,"type":…,"message":…}}`. */
const debugInfo = (reply: FastifyReply, status: number, type: string, message: string, retriable = false) =>
  reply.status(status).send({ debug_info: { retriable, type, message } });

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * `POST rupload.facebook.com/ig-api-upload/{ver}/{container-id}`: the video of a container created
 * with `upload_type=resumable`, as the raw body (headers `offset`, `file_size`) or fetched from the
 * `file_url` header. The token comes as `Authorization: OAuth <token>`.
 */
export async function instagramRuploadRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler((error: Error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    return debugInfo(reply, status && status < 500 ? status : 500, 'ProcessingFailedError', error.message, !status);
  });

  app.post(
    `${SANDBOX_HOSTS.facebookRupload.prefix}/ig-api-upload/:version/:containerId`,
    { config: { endpoint: 'ig.rupload.upload' } },
    async (request, reply) => {
      const { containerId } = request.params as { containerId: string };
      const container = sandbox.instagram.containers.get(containerId);
      if (!container) return debugInfo(reply, 404, 'ProcessingFailedError', `No container ${containerId} to upload to`);
      const token = sandbox.tokens.get(/^OAuth\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]);
      const host = token?.kind === 'instagram_user' ? 'instagramGraph' : 'facebookGraph';
      try {
        // authorizeAccount reads the token from the Authorization header and answers 190 & co.
        authorizeAccount({ sandbox, request, params: {}, host, accountId: container.accountId, access: 'publish' });
      } catch (error) {
        if (error instanceof GraphError) return debugInfo(reply, 401, 'OAuthException', error.message);
        throw error;
      }
      if (host === 'instagramGraph' && !sandbox.instagram.settings.resumableWithInstagramLogin)
        return debugInfo(reply, 401, 'OAuthException', 'Resumable upload requires a Facebook Login access token');
      if (!container.resumable || container.videoReceived || settle(sandbox, container) !== 'IN_PROGRESS')
        return debugInfo(reply, 400, 'ProcessingFailedError', `Container ${containerId} is not waiting for an upload`);

      const maxBytes = (container.mediaType === 'STORIES' ? STORY_RULES : REELS_RULES).maxBytes;
      const fileUrl = header(request.headers.file_url);
      let source: VideoSource;
      if (fileUrl) {
        try {
          source = await fetchVideo(fileUrl, maxBytes, sandbox.instagram.settings.mediaFetchTimeoutMs);
        } catch (error) {
          if (error instanceof GraphError) return debugInfo(reply, 400, 'ProcessingFailedError', error.message, true);
          throw error;
        }
        container.videoUrl = fileUrl;
      } else {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const offset = header(request.headers.offset);
        const fileSize = Number(header(request.headers.file_size));
        if (offset !== '0')
          return debugInfo(
            reply,
            400,
            'ProcessingFailedError',
            'The sandbox accepts uploads in one piece: offset must be 0',
          );
        if (body.length === 0 || fileSize !== body.length)
          return debugInfo(
            reply,
            400,
            'ProcessingFailedError',
            `file_size must be the body length (${body.length} bytes)`,
          );
        const metadata = new Headers();
        for (const name of ['duration-ms', 'width', 'height']) {
          const value = header(request.headers[`x-sandbox-video-${name}`]);
          if (value) metadata.set(`x-sandbox-video-${name}`, value);
        }
        source = {
          head: body.subarray(0, 64),
          contentType: header(request.headers['content-type']) ?? null,
          info: videoMetadata(metadata, body.length),
        };
      }
      receiveVideo(sandbox, container, source);
      return { success: true, message: 'Upload successful.' };
    },
  );
}
