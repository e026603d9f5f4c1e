/**
 * The parts of OASIS CAP 1.2 (http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html) we
 * check and use, as a zod schema over the parsed document. Elements we do not use (resources,
 * polygons, circles…) are allowed and dropped.
 */
import { z } from 'zod';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export const CAP_RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;

/**
 * CAP 1.2 §3.3.2: dateTime with an explicit offset; "alphabetic timezone designators such as 'Z'
 * MUST NOT be used" (UTC is written -00:00).
 */
const CAP_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;
const DATE_HINT = 'must be a CAP dateTime with a time zone offset, e.g. 2026-11-25T10:00:00+07:00 ("Z" is not allowed, CAP 1.2 §3.3.2)';

const text = z.string().trim().min(1, 'must not be empty');
const capDateTime = text.refine((value) => CAP_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)), DATE_HINT);
/** §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted characters (< and &)". */
const capId = text.max(500).refine((value) => !/[\s,<&]/.test(value), 'must not contain spaces, commas, < or &');
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });
const valuePair = z.object({ valueName: text, value: text });

/** A reference: "sender,identifier,sent" (§3.2.1 references). */
export interface CapReference {
  readonly sender: string;
  readonly identifier: string;
  readonly sent: string;
}

const references = z
  .string()
  .trim()
  .transform((value, context): CapReference[] => {
    const triples = value.split(/\s+/).filter((item) => item !== '');
    return triples.map((triple) => {
      const [sender, identifier, sent, ...rest] = triple.split(',');
      if (!sender || !identifier || !sent || rest.length > 0) {
        context.addIssue({ code: 'custom', message: `"${triple}" is not a sender,identifier,sent triple` });
      }
      return { sender: sender ?? '', identifier: identifier ?? '', sent: sent ?? '' };
    });
  });

export const capAreaSchema = z.object({
  areaDesc: text.max(1_000),
  geocode: z.array(valuePair).default([]),
});

export const capInfoSchema = z.object({
  language: text.max(35).default('en-US'),
  category: z.array(oneOf(CAP_CATEGORIES)).min(1, 'at least one category is required'),
  event: text.max(1_000),
  responseType: z.array(oneOf(CAP_RESPONSE_TYPES)).default([]),
  urgency: oneOf(CAP_URGENCIES),
  severity: oneOf(CAP_SEVERITIES),
  certainty: oneOf(CAP_CERTAINTIES),
  eventCode: z.array(valuePair).default([]),
  effective: capDateTime.optional(),
  onset: capDateTime.optional(),
  expires: capDateTime.optional(),
  senderName: text.max(1_000).optional(),
  headline: text.max(1_000).optional(),
  description: text.max(20_000).optional(),
  instruction: text.max(20_000).optional(),
  area: z.array(capAreaSchema).default([]),
});

export const capAlertSchema = z
  .object({
    identifier: capId,
    sender: capId,
    sent: capDateTime,
    status: oneOf(CAP_STATUSES),
    msgType: oneOf(CAP_MSG_TYPES),
    scope: oneOf(CAP_SCOPES),
    source: text.optional(),
    restriction: text.optional(),
    note: text.optional(),
    references: references.optional(),
    info: z.array(capInfoSchema).default([]),
  })
  .superRefine((alert, context) => {
    if ((alert.msgType === 'Update' || alert.msgType === 'Cancel') && (alert.references ?? []).length === 0) {
      context.addIssue({ code: 'custom', path: ['references'], message: `is required for msgType ${alert.msgType}: it names the alert acted on` });
    }
    if (alert.scope === 'Restricted' && !alert.restriction) {
      context.addIssue({ code: 'custom', path: ['restriction'], message: 'is required when scope is Restricted (§3.2.1)' });
    }
  })
  .transform((alert) => ({ ...alert, references: alert.references ?? [] }));

export type CapAlert = z.output<typeof capAlertSchema>;
export type CapInfo = z.output<typeof capInfoSchema>;
export type CapArea = z.output<typeof capAreaSchema>;
