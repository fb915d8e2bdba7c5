import type { UseCaseContext } from './context.js';
import {
  ConfirmDraft,
  type DraftServices,
  DraftOrderFromText,
  PurgeExpiredDrafts,
  ReviseDraft,
} from './order-drafts.js';
import { AnswerShopMessage } from './shop-messages.js';
import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';

/** Build the draft use cases over one context and parser. */
export function createDraftUseCases(ctx: UseCaseContext, services: DraftServices) {
  const draftOrderFromText = new DraftOrderFromText(ctx, services);
  return {
    draftOrderFromText,
    confirmDraft: new ConfirmDraft(ctx, services),
    reviseDraft: new ReviseDraft(ctx, services),
    purgeExpiredDrafts: new PurgeExpiredDrafts(ctx),
    answerShopMessage: new AnswerShopMessage(ctx, services, draftOrderFromText),
  };
}

export type DraftUseCases = ReturnType<typeof createDraftUseCases>;

export const DRAFT_USE_CASES: Token<DraftUseCases> = token('DraftUseCases');

export const DRAFT_USE_CASE_TOKENS: TokenMap<DraftUseCases> = tokenMap<DraftUseCases>({
  draftOrderFromText: 'DraftOrderFromText',
  confirmDraft: 'ConfirmDraft',
  reviseDraft: 'ReviseDraft',
  purgeExpiredDrafts: 'PurgeExpiredDrafts',
  answerShopMessage: 'AnswerShopMessage',
});
