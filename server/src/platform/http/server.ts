import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.js';
import type { LogLevel } from '../config.js';
import { buildProblem, problemFromError, sendProblem } from './problem.js';
import { ProblemSchema } from './schemas.js';

export type App = FastifyInstance;

export interface HttpOptions {
  logLevel: LogLevel;
  /** Pretend to be behind a TLS-terminating proxy (trust X-Forwarded-*). */
  trustProxy?: boolean;
  bodyLimit?: number;
  version: string;
  /** A limit on API requests per minute and whom it counts (user or address); absent = only routes' own limits. */
  /** Where the JSON log lines go (default: standard output); tests read them. */
  logStream?: NodeJS.WritableStream;
  apiRateLimit?: { perMinute: number; key: (request: FastifyRequest) => string };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * The HTTP platform every module plugs into: validation that refuses unknown fields, problem
 * details for every error, request ids, structured logs, security headers, OpenAPI.
 */
export async function createHttpServer(options: HttpOptions): Promise<App> {
  const fastifyOptions: FastifyServerOptions = {
    logger: {
      level: options.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'password', 'code', 'secret', 'token', 'sessionToken', 'csrfToken'],
        censor: '[redacted]',
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Accept a caller's request id (so a proxy's id threads through the logs), else make one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    trustProxy: options.trustProxy ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: {
      // Unknown fields are an error, not silently dropped: a typo must not lose data.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    return503OnClosing: true,
    // Errors the router finds before any hook runs (a malformed %-escape, an overlong path
    // segment) would otherwise answer in Fastify's own JSON shape instead of a problem document.
    frameworkErrors: (error, request, reply) => {
      const [status, code] = error.code === 'FST_ERR_BAD_URL' ? ([400, 'malformed-url'] as const) : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? ([414, 'url-too-long'] as const) : ([500, 'internal-error'] as const);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, buildProblem(request, status, code));
    },
  };
  const app = Fastify(fastifyOptions).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = problemFromError(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    return sendProblem(reply, problem, headers);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The component library sets CSS variables in style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  const apiLimit = options.apiRateLimit && options.apiRateLimit.perMinute > 0 ? options.apiRateLimit : null;
  await app.register(rateLimit, {
    global: apiLimit !== null,
    max: apiLimit?.perMinute ?? 1000,
    timeWindow: '1 minute',
    // After authentication, so that the limit counts per user; callers not signed in count per address.
    hook: 'preHandler',
    keyGenerator: (request) => apiLimit?.key(request) ?? request.ip,
    // The web app's files are not limited (an office behind one address loads them many times at
    // 8 o'clock), nor the health check a load balancer polls.
    allowList: (request) => !request.url.startsWith('/api/') || request.url === '/api/health',
    errorResponseBuilder: (_request, context) => new AppError(429, 'rate-limited', { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });

  app.addSchema(ProblemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MigraFlow API',
        version: options.version,
        description: 'Case management for migration offices. Every error is an RFC 9457 problem document (`application/problem+json`).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'mf_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  return app;
}
