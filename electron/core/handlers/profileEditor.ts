import type { ProfileEditorOps } from '../../shared/contract';
import type { ProfileDrafts } from '../profiles/drafts';
import type { ServiceImpl } from './types';

/** Profiles edited in the app: the renderer's text never holds the product token (see profiles/drafts). */
export function createProfileEditorService(deps: { drafts: ProfileDrafts }): ServiceImpl<ProfileEditorOps> {
  const { drafts } = deps;
  return {
    openProfileDraft: ({ name }) => drafts.open(name),
    checkProfileDraft: ({ text, name }) => drafts.check(text, name),
    saveProfileDraft: ({ name, text }) => drafts.save(name, text),
  };
}
