import {
  ALLOW_ALL_RISK_POLICY,
  CATALOG_CACHE,
  CLOCK,
  CONVERSATION_HANDLER,
  type ConversationHandler,
  ConversationService,
  RELIABILITY_CACHE,
  createDraftUseCases,
  createUseCases,
  DRAFT_USE_CASE_TOKENS,
  DRAFT_USE_CASES,
  type DraftSettings,
  type DraftUseCases,
  ID_GENERATOR,
  LOGGER,
  MEDIA_FETCHER,
  type MediaFetcher,
  ORDER_TEXT_PARSER,
  REPOSITORIES,
  SPEECH_TO_TEXT,
  type SpeechToText,
  type Token,
  UNIT_OF_WORK,
  RANDOM_SOURCE,
  USE_CASE_CONTEXT,
  type UseCaseContext,
  USE_CASE_TOKENS,
  USE_CASES,
  type UseCases,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import type { RiskPolicyChoice } from '../config/env-schema.js';
import { provide } from './bindings.js';

/**
 * The use-case context from the bound ports (and the read caches, see `catalogCacheModule`),
 * `createUseCases` once, and each use case under its token; the draft use cases over the bound
 * ORDER_TEXT_PARSER and the same PlaceOrder (with `drafts`: their lifetime), under DRAFT_USE_CASES
 * and their own tokens; the WhatsApp conversations (`ConversationService`) under
 * CONVERSATION_HANDLER, transcribing voice notes only when SPEECH_TO_TEXT and MEDIA_FETCHER are
 * both bound.
 */
export function useCasesModule(risk: RiskPolicyChoice, drafts: DraftSettings = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(
      bind,
      USE_CASE_CONTEXT,
      [UNIT_OF_WORK, REPOSITORIES, CLOCK, ID_GENERATOR, LOGGER, CATALOG_CACHE, RELIABILITY_CACHE, RANDOM_SOURCE],
      (uow, repos, clock, ids, logger, catalogCache, reliabilityCache, random) => ({
        uow,
        repos,
        clock,
        ids,
        logger,
        catalogCache,
        reliabilityCache,
        // Delivery codes: the process's CSPRNG (Web Crypto), as for ids.
        random,
      }),
    );
    provide(bind, USE_CASES, [USE_CASE_CONTEXT], (ctx) =>
      createUseCases(ctx, { risk: risk === 'rules' ? 'rules' : ALLOW_ALL_RISK_POLICY }),
    );
    for (const key of Object.keys(USE_CASE_TOKENS) as (keyof UseCases)[]) {
      provide(bind, USE_CASE_TOKENS[key] as Token<UseCases[typeof key]>, [USE_CASES], (useCases) => useCases[key]);
    }
    provide(bind, DRAFT_USE_CASES, [USE_CASE_CONTEXT, USE_CASES, ORDER_TEXT_PARSER], (ctx, useCases, parser) =>
      createDraftUseCases(ctx, { parser, placeOrder: useCases.placeOrder, settings: drafts }),
    );
    for (const key of Object.keys(DRAFT_USE_CASE_TOKENS) as (keyof DraftUseCases)[]) {
      provide(
        bind,
        DRAFT_USE_CASE_TOKENS[key] as Token<DraftUseCases[typeof key]>,
        [DRAFT_USE_CASES],
        (drafts) => drafts[key],
      );
    }
    bind<ConversationHandler>(CONVERSATION_HANDLER)
      .toDynamicValue((context) => {
        const ctx = context.get<UseCaseContext>(USE_CASE_CONTEXT);
        return new ConversationService({
          uow: ctx.uow,
          repos: ctx.repos,
          clock: ctx.clock,
          ids: ctx.ids,
          logger: ctx.logger,
          useCases: context.get<UseCases>(USE_CASES),
          drafts: context.get<DraftUseCases>(DRAFT_USE_CASES),
          speechToText: context.get<SpeechToText>(SPEECH_TO_TEXT, { optional: true }) ?? null,
          media: context.get<MediaFetcher>(MEDIA_FETCHER, { optional: true }) ?? null,
        });
      })
      .inSingletonScope();
  });
}
