/**
 * One error shape for the whole API: `{statusCode, code, message, details}` where each detail
 * names the offending field. Unknown errors become a 500 without internals leaking.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from '../errors.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: readonly ErrorDetail[];
}

function fieldOf(instancePath: string, context: string | undefined): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return path || context || 'body';
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      field: fieldOf(issue.instancePath, error.validationContext),
      message: issue.message ?? 'is invalid',
    }));
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
      details,
    };
  }
  const fastifyError = error as FastifyError;
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const code = fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'MALFORMED_JSON' : (fastifyError.code ?? 'BAD_REQUEST');
    return { statusCode: fastifyError.statusCode, code, message: fastifyError.message, details: [{ field: 'body', message: fastifyError.message }] };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error', details: [] };
}

/**
 * For Fastify's `frameworkErrors` option: errors it raises before routing (a URL whose
 * percent-encoding is broken) never reach the error handler and would leave in Fastify's own shape.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const body = toErrorBody(error);
  void reply.status(body.statusCode).send(body.statusCode < 500 ? { ...body, details: [{ field: 'url', message: body.message }] } : body);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const body = toErrorBody(error);
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, details: body.details }, body.message);
    void reply.status(body.statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ statusCode: 404, code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url}`, details: [] });
  });
}
