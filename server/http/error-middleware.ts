import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, isAppError } from './app-error.js';
import type { Logger } from '../lib/logger.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Turns whatever a handler threw into one JSON shape: {error:{code, message, details?, requestId}}. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) {
    return new AppError('VALIDATION_FAILED', 'The request has invalid or missing fields', {
      details: err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
    });
  }
  const e = err as BodyParserError;
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than the allowed ${e.limit ?? ''} bytes`.replace('  ', ' '));
  if (e?.type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'The request body is not valid JSON');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body encoding is not supported');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL', 'Something went wrong on our side; the error was logged', { cause: err });
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    const requestId = String(req.id ?? '');
    if (appError.status >= 500) logger.error({ err: appError.cause ?? appError, requestId, url: req.originalUrl }, appError.message);
    else logger.info({ code: appError.code, requestId, url: req.originalUrl }, appError.message);
    if (res.headersSent) return;
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, ...(appError.details === undefined ? {} : { details: appError.details }), requestId },
    });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};
