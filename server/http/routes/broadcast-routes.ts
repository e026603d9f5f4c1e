import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRIORITIES } from '../../../protocol/index.js';
import type { ApprovalService } from '../../broadcasts/approval-service.js';
import type { BroadcastService } from '../../broadcasts/broadcast-service.js';
import { recurrenceSchema, repeatSchema } from '../../scheduling/recurrence-spec.js';
import { actorOf } from '../authentication.js';

const idList = z.array(z.string().min(1)).max(10_000);
const target = z
  .object({ areaIds: idList.optional(), deviceIds: idList.optional() })
  .refine((t) => (t.areaIds?.length ?? 0) + (t.deviceIds?.length ?? 0) > 0, 'give at least one areaId or deviceId');
const startAt = z.iso.datetime({ offset: true });
const params = z.object({ id: z.string().min(1) });
const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
const newBroadcast = z.object({
  bulletinId: z.string().min(1),
  target,
  startAt: startAt.optional(),
  recurrence: recurrenceSchema.optional(),
  repeat: repeatSchema.optional(),
  priority: z.enum(PRIORITIES).optional(),
});

export const broadcastRoutes: FastifyPluginAsyncZod<{ broadcasts: BroadcastService; approvals: ApprovalService }> = async (
  app,
  { broadcasts, approvals },
) => {
  app.post(
    '/api/broadcasts',
    {
      config: { access: 'broadcasts:write' },
      schema: {
        tags: ['broadcasts'],
        summary:
          'Broadcast a bulletin to areas and/or receivers in your area: at startAt (default: in 2 s), or on a recurrence, optionally repeated. An operator\'s broadcast waits for approval.',
        body: newBroadcast,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await broadcasts.create({ ...body, startAt: body.startAt ? new Date(body.startAt) : undefined }, await actorOf(request));
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/broadcasts/check',
    {
      config: { access: 'broadcasts:write' },
      schema: {
        tags: ['broadcasts'],
        summary:
          'Check a broadcast before saving it (the body of POST /api/broadcasts): the same validation, the receivers it reaches, whether it would wait for approval, its next plays and its warnings; nothing is saved',
        body: newBroadcast,
      },
    },
    async (request) => {
      const body = request.body;
      return broadcasts.check({ ...body, startAt: body.startAt ? new Date(body.startAt) : undefined }, await actorOf(request));
    },
  );

  app.patch(
    '/api/broadcasts/:id',
    {
      config: { access: 'broadcasts:write' },
      schema: {
        tags: ['broadcasts'],
        summary: 'Change a broadcast; what has not started yet is withdrawn and planned again. An operator\'s change returns it to pending.',
        params,
        body: z.object({
          bulletinId: z.string().min(1).optional(),
          target: target.optional(),
          startAt: startAt.optional(),
          recurrence: recurrenceSchema.optional(),
          repeat: repeatSchema.optional(),
          priority: z.enum(PRIORITIES).optional(),
        }),
      },
    },
    async (request) => {
      const body = request.body;
      return broadcasts.update(request.params.id, { ...body, startAt: body.startAt ? new Date(body.startAt) : undefined }, await actorOf(request));
    },
  );

  app.post(
    '/api/broadcasts/:id/cancel',
    { config: { access: 'broadcasts:write' }, schema: { tags: ['broadcasts'], summary: 'Cancel a broadcast: nothing of it that has not started will play', params } },
    async (request) => broadcasts.cancel(request.params.id, await actorOf(request)),
  );

  app.post(
    '/api/broadcasts/:id/approve',
    {
      config: { access: 'broadcasts:approve' },
      schema: {
        tags: ['approval'],
        summary: 'Approve a pending broadcast (and its bulletin) whose target lies in your area; not your own',
        params,
        // No body at all is fine: Fastify hands the schema null then.
        body: z.object({ note: z.string().trim().max(1_000).optional() }).nullish(),
      },
    },
    async (request) => approvals.approve(request.params.id, await actorOf(request), request.body?.note),
  );

  app.post(
    '/api/broadcasts/:id/reject',
    {
      config: { access: 'broadcasts:approve' },
      schema: {
        tags: ['approval'],
        summary: 'Reject a pending broadcast with a reason the author sees',
        params,
        body: z.object({ reason: z.string().trim().min(1, 'say why').max(1_000) }),
      },
    },
    async (request) => approvals.reject(request.params.id, await actorOf(request), request.body.reason),
  );

  app.get(
    '/api/broadcasts',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['broadcasts'],
        summary: 'Recent broadcasts that concern your area, with delivery counts; ?approval=pending is the approval queue',
        querystring: z.object({ approval: z.enum(APPROVAL_STATES).optional() }),
      },
    },
    async (request) => broadcasts.list(await request.accessScope(), { approvalState: request.query.approval }),
  );

  app.get(
    '/api/broadcasts/:id',
    {
      config: { access: 'broadcasts:read' },
      schema: {
        tags: ['broadcasts'],
        summary: 'A broadcast with its occurrences, approvals, offers to communes and one delivery per receiver and occurrence (proof of play)',
        params,
      },
    },
    async (request) => broadcasts.get(request.params.id, await request.accessScope()),
  );
};
