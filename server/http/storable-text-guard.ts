/**
 * Refuses text PostgreSQL cannot store (see isStorableText) wherever a request carries it: path
 * parameters, query string, JSON body, keys included. Without this the database refuses it in
 * the middle of a handler and the client gets a 500 instead of a 400 naming the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isStorableText } from '../../protocol/index.js';
import { validationError } from '../errors.js';

const MESSAGE = 'must not contain NUL or unpaired surrogate characters';

export const storableTextGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const path = unstorablePath(value);
      if (path) {
        const field = path.length > 0 ? path.map(printable).join('.') : part;
        throw validationError(`${field}: ${MESSAGE}`, [{ field, message: MESSAGE }]);
      }
    }
  });
});

/** A key as the error shows it: `?` for the characters at fault, which would be invisible or garbled. */
function printable(key: string): string {
  return [...key].map((character) => (isStorableText(character) ? character : '?')).join('');
}

interface Visit {
  readonly value: unknown;
  readonly key: string | undefined;
  readonly parent: Visit | undefined;
}

/**
 * Path to the first unstorable string or key. Walked with a stack and parent links, not recursion
 * and copied paths: a JSON body may nest deeper than the call stack.
 */
function unstorablePath(root: unknown): string[] | null {
  const pending: Visit[] = [{ value: root, key: undefined, parent: undefined }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      if (!isStorableText(visit.value)) return pathOf(visit);
    } else if (visit.value !== null && typeof visit.value === 'object') {
      for (const [key, child] of Object.entries(visit.value)) {
        const next = { value: child, key, parent: visit };
        if (!isStorableText(key)) return pathOf(next);
        pending.push(next);
      }
    }
  }
  return null;
}

function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}
