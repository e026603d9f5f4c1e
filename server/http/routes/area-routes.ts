import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AREA_KINDS, type AreaService, type VoiceProfileCheck } from '../../areas/area-service.js';
import { quietHoursSchema } from '../../scheduling/recurrence-spec.js';

export interface AreaRouteOptions {
  readonly areas: AreaService;
  /** Vets an area's default voice against the TTS engines (GET /api/tts/voices); unchecked without it. */
  readonly checkVoice?: VoiceProfileCheck | undefined;
  /** Receivers in this area and below get a new config carrying the emergency volume. */
  readonly onEmergencyVolumeChanged: (areaId: string) => Promise<void>;
}

export const areaRoutes: FastifyPluginAsyncZod<AreaRouteOptions> = async (app, { areas, checkVoice, onEmergencyVolumeChanged }) => {
  app.post(
    '/api/areas',
    {
      config: { access: 'areas:write' },
      schema: {
        tags: ['areas'],
        summary: 'Create an area (province, district, commune or hamlet)',
        body: z.object({
          name: z.string().trim().min(1).max(200),
          kind: z.enum(AREA_KINDS),
          parentId: z.string().min(1).optional(),
          code: z.string().trim().min(1).max(50).optional(),
          quietHours: quietHoursSchema.nullable().optional(),
        }),
      },
    },
    async (request, reply) => reply.status(201).send(await areas.create(request.body)),
  );

  app.patch(
    '/api/areas/:id',
    {
      config: { access: 'areas:write' },
      schema: {
        tags: ['areas'],
        summary:
          'Rename an area, change its code, its quiet hours (null: inherit the parent area\'s), whether its operators may send emergencies, or the voice its bulletins are spoken in (null: the parent area\'s)',
        params: z.object({ id: z.string().min(1) }),
        body: z.object({
          name: z.string().trim().min(1).max(200).optional(),
          code: z.string().trim().min(1).max(50).optional(),
          quietHours: quietHoursSchema.nullable().optional(),
          operatorsMaySendEmergency: z.boolean().optional(),
          emergencyVolume: z.number().int().min(0).max(100).nullable().optional(),
          isTestArea: z.boolean().optional(),
          defaultVoice: z.string().trim().min(1).max(100).nullable().optional(),
          defaultSpeakingRate: z.number().finite().nullable().optional(),
          defaultPitch: z.number().finite().nullable().optional(),
        }),
      },
    },
    async (request) => {
      const updated = await areas.update(request.params.id, request.body, checkVoice);
      if (request.body.emergencyVolume !== undefined) await onEmergencyVolumeChanged(updated.id);
      return updated;
    },
  );

  app.get(
    '/api/areas',
    { config: { access: 'areas:read' }, schema: { tags: ['areas'], summary: 'The area tree with receiver counts: your area, what is below it, and the path above it' } },
    async (request) => areas.tree((await request.accessScope()).visibleAreas),
  );
};
