/** Matchers for the requests a bot makes, for waiting on them and overriding their answers. */
import type { RecordedRequest, RequestMatcher } from './types.ts';

interface InteractionRef {
  readonly id: string;
  readonly token: string;
  readonly application_id: string;
}

/** Matchers for the requests a bot makes in answer to things. */
export const routes = {
  /** Initial response: reply (4), defer (5), deferUpdate (6), update (7), autocomplete (8), modal (9). */
  callback: (i: InteractionRef): RequestMatcher => ({ method: 'POST', path: `/interactions/${i.id}/${i.token}/callback` }),
  /** editReply */
  editOriginal: (i: InteractionRef): RequestMatcher => ({
    method: 'PATCH',
    path: `/webhooks/${i.application_id}/${i.token}/messages/@original`,
  }),
  /** deleteReply */
  deleteOriginal: (i: InteractionRef): RequestMatcher => ({
    method: 'DELETE',
    path: `/webhooks/${i.application_id}/${i.token}/messages/@original`,
  }),
  /** followUp */
  followUp: (i: InteractionRef): RequestMatcher => ({ method: 'POST', path: `/webhooks/${i.application_id}/${i.token}` }),
  /** Anything done with this interaction's id or token. */
  anyFor:
    (i: InteractionRef): RequestMatcher =>
    (req) =>
      req.path.includes(i.token) || req.path.includes(`/interactions/${i.id}/`),
  /** channel.send / message.reply */
  createMessage: (channelId: string): RequestMatcher => ({ method: 'POST', path: `/channels/${channelId}/messages` }),
  editMessage: (channelId: string, messageId: string): RequestMatcher => ({
    method: 'PATCH',
    path: `/channels/${channelId}/messages/${messageId}`,
  }),
  typing: (channelId: string): RequestMatcher => ({ method: 'POST', path: `/channels/${channelId}/typing` }),
  /** message.react (any emoji unless given; emoji as decoded in the path, e.g. "👍" or "name:id") */
  react: (channelId: string, messageId: string, emoji?: string): RequestMatcher =>
    emoji === undefined
      ? { method: 'PUT', path: new RegExp(`^/channels/${channelId}/messages/${messageId}/reactions/[^/]+/@me$`) }
      : { method: 'PUT', path: `/channels/${channelId}/messages/${messageId}/reactions/${emoji}/@me` },
  /** application.commands.set() (global) */
  setGlobalCommands: (applicationId: string): RequestMatcher => ({ method: 'PUT', path: `/applications/${applicationId}/commands` }),
  /** guild.commands.set() */
  setGuildCommands: (applicationId: string, guildId: string): RequestMatcher => ({
    method: 'PUT',
    path: `/applications/${applicationId}/guilds/${guildId}/commands`,
  }),
} as const;

export function matches(matcher: RequestMatcher, req: RecordedRequest): boolean {
  if (typeof matcher === 'function') return matcher(req);
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== req.method) return false;
  const path = matcher.path;
  if (path === undefined) return true;
  if (path instanceof RegExp) return path.test(req.path);
  if (!/(^|\/)(:[^/]+|\{[^/]+\})(?=\/|$)/.test(path)) return path === req.path;
  const pattern = path
    .split('/')
    .map((seg) => (/^(:.+|\{.+\})$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(req.path);
}

export function describeMatcher(matcher: RequestMatcher): string {
  if (typeof matcher === 'function') return matcher.name ? `predicate ${matcher.name}` : 'predicate';
  return `${matcher.method ?? 'ANY'} ${matcher.path === undefined ? '*' : String(matcher.path)}`;
}
