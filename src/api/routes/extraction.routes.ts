import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecordKey } from '../../domain/entities/common.ts';
import { VigilError } from '../../domain/errors.ts';
import type { UserRole } from '../../domain/vocabularies.ts';
import type { Services } from '../../services/context.ts';
import {
  decideFact,
  DecisionInput,
  FACT_STATUSES,
  getExtraction,
  listExtractions,
  listQueue,
  ProposeInput,
  proposeFromText,
  REVIEW_FIELDS,
} from '../../services/extraction-review.service.ts';
import { cursorParam, LimitParam, pageOf } from '../cursor.ts';
import { ERROR_RESPONSES, IdParams, pageOfSchema } from '../schemas.ts';
import { actorOf } from './write/write-kit.ts';

/** Who may put an article in the queue; who decides; who reads it (the queue shows names, like identities). */
const PROPOSERS: readonly UserRole[] = ['documenter', 'analyst', 'admin'];
const DECIDERS: readonly UserRole[] = ['analyst', 'admin'];

const FactCounts = z.object({
  proposed: z.number().int(),
  accepted: z.number().int(),
  edited: z.number().int(),
  rejected: z.number().int(),
});

const ExtractionSummary = z.object({
  id: z.string(),
  sourceId: z
    .string()
    .nullable()
    .describe('The Source of the article: given, or created when the first fact was accepted'),
  sourceKind: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  language: z.string(),
  textSha256: z.string(),
  extractorVersion: z.string(),
  proposedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  facts: FactCounts,
});

const ProposedFact = z.object({
  id: z.string(),
  extractionId: z.string(),
  seq: z.number().int(),
  field: z
    .string()
    .describe(
      'facilities, places, organizations, people, legal_refs, counts, dates, statements, reported_figures or facility_layout',
    ),
  payload: z
    .record(z.string(), z.unknown())
    .describe('The extracted item (docs/extraction-format.md) without span and confidence'),
  edits: z.record(z.string(), z.unknown()).nullable().describe("The reviewer's corrections and additions, if any"),
  span: z
    .object({ start: z.number().int(), end: z.number().int() })
    .describe('UTF-16 offsets into the text, [start, end)'),
  words: z.string().describe('The words of the text the fact came from'),
  confidence: z.number(),
  status: z.string().describe('proposed, accepted, edited (accepted with corrections) or rejected'),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  recordType: z.string().nullable().describe('The table of the record the fact became or was linked to'),
  recordId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

const ExtractionDetail = ExtractionSummary.extend({ text: z.string(), items: z.array(ProposedFact) });

const ProposeBody = ProposeInput.extend({ text: ProposeInput.shape.text.optional() });
const Proposed = z.object({ id: z.string(), created: z.boolean(), facts: z.number().int() });
const Decided = z.object({
  id: z.string(),
  status: z.string(),
  version: z.number().int(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
});

const QueueQuery = z.strictObject({
  status: z
    .enum([...FACT_STATUSES, 'all'])
    .default('proposed')
    .describe('Facts in this status (default: those waiting for a decision)'),
  extractionId: RecordKey.optional().describe('Only the facts of this run'),
  field: z.enum(REVIEW_FIELDS).optional(),
  limit: LimitParam,
  after: cursorParam(3).optional(),
});

const RunQuery = z.strictObject({ limit: LimitParam, after: cursorParam(2).optional() });

/** The review queue: articles in, proposed facts out, a person's decision on each (docs/review-queue.md). */
export const extractionRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.post(
    '/extractions',
    {
      config: { access: PROPOSERS },
      schema: {
        tags: ['review'],
        summary:
          "Propose facts from an article's text (records nothing until a person decides); the same text again answers 200 with the existing run",
        body: ProposeBody,
        response: { 201: Proposed, 200: Proposed, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      if (req.body.text === undefined) {
        throw new VigilError(
          'validation.invalid',
          'send the text of the article (the URL is kept as its address; pages are not fetched here)',
          { path: 'text' },
        );
      }
      const r = await proposeFromText(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.get(
    '/extractions',
    {
      config: { access: PROPOSERS },
      schema: {
        tags: ['review'],
        summary: 'Runs of the extractor, newest first, with how many facts await a decision',
        querystring: RunQuery,
        response: { 200: pageOfSchema(ExtractionSummary), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after } = req.query;
      const rows = await listExtractions(svc, actorOf(req), {
        limit: limit + 1,
        ...(after ? { after: { at: after[0], id: after[1] } } : {}),
      });
      return pageOf(rows, limit, (r) => [r.createdAt, r.id]);
    },
  );

  app.get(
    '/extractions/:id',
    {
      config: { access: PROPOSERS, record: 'extraction' },
      schema: {
        tags: ['review'],
        summary: 'One run: the article text and every proposed fact with its span, words, status and record',
        params: IdParams,
        response: { 200: ExtractionDetail, ...ERROR_RESPONSES },
      },
    },
    async (req) => getExtraction(svc, actorOf(req), req.params.id),
  );

  app.get(
    '/proposed-facts',
    {
      config: { access: PROPOSERS },
      schema: {
        tags: ['review'],
        summary: 'The review queue: proposed facts in the order they came in',
        querystring: QueueQuery,
        response: { 200: pageOfSchema(ProposedFact), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, ...filter } = req.query;
      const seq = Number(after?.[2]);
      if (after && !Number.isInteger(seq))
        throw new VigilError('validation.invalid', 'is not a cursor returned by this endpoint', { path: 'after' });
      const rows = await listQueue(svc, actorOf(req), {
        ...filter,
        limit: limit + 1,
        ...(after ? { after: { at: after[0], extractionId: after[1], seq } } : {}),
      });
      return pageOf(rows, limit, (f) => [f.createdAt, f.extractionId, String(f.seq)]);
    },
  );

  app.post(
    '/proposed-facts/:id/decision',
    {
      config: { access: DECIDERS, record: 'proposed_fact' },
      schema: {
        tags: ['review'],
        summary:
          'Accept, edit or reject a proposed fact (send the version you read); accepting creates or links the record in the same transaction',
        params: IdParams,
        body: DecisionInput,
        response: { 200: Decided, ...ERROR_RESPONSES },
      },
    },
    async (req) => decideFact(svc, actorOf(req), req.params.id, req.body),
  );
};
