/**
 * A refused decision in plain words: the server's codes (server/broadcasts/approval-service.ts,
 * offer-service.ts) mapped to what the official should understand and do next.
 */
import type { ApiError } from '../api.js';

export type DecisionProblem =
  /** SELF_APPROVAL: the author cannot review their own broadcast or bulletin. */
  | 'self'
  /** CONFLICT: decided by someone else meanwhile, or no longer open. */
  | 'decided'
  /** FORBIDDEN: sent from a level above, or a target outside the user's area. */
  | 'forbidden'
  /** NOT_FOUND: gone, or outside the user's area. */
  | 'gone'
  | 'network'
  /** VALIDATION_FAILED: shown next to the field the server named. */
  | 'invalid'
  | 'other';

export function decisionProblem(error: ApiError): DecisionProblem {
  switch (error.code) {
    case 'SELF_APPROVAL':
      return 'self';
    case 'CONFLICT':
      return 'decided';
    case 'FORBIDDEN':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'gone';
    case 'NETWORK':
      return 'network';
    case 'VALIDATION_FAILED':
      return 'invalid';
    default:
      return 'other';
  }
}
