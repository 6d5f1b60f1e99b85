/**
 * Why talking to Discord failed, in words an operator can act on: a name that does not resolve, a
 * network that does not answer, a refused token, intents the portal has not switched on. Used by
 * the bot's start-up (which retries what may pass) and by deploy-commands.
 */
import { GatewayCloseCodes } from 'discord.js';

export type ConnectFailureKind = 'dns' | 'network' | 'token' | 'intents' | 'timeout' | 'refused' | 'unknown';

export interface ConnectFailure {
  readonly kind: ConnectFailureKind;
  /** Worth trying again later: the network or Discord may come back; a refused token will not. */
  readonly retry: boolean;
  /** What happened and what to do, as one or two sentences. */
  readonly message: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The error and its causes, outermost first (bounded: a cause chain can loop). */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && out.length < 8) {
    out.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return out;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * Classifies a failure to reach or log in to Discord at `target` (a host name, for the message).
 *
 * @example explainConnectError(Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' }), 'discord.com').kind // 'dns'
 */
export function explainConnectError(error: unknown, target: string): ConnectFailure {
  const errors = chain(error);
  const codes = errors.map((e) => field(e, 'code'));
  // A gateway close code (4000–4999), as GatewayClosedError carries it.
  const closeCode = codes.find((c) => typeof c === 'number' && c >= 4000 && c < 5000);
  const status = errors.map((e) => field(e, 'status')).find((s) => typeof s === 'number');
  const text = errors.map((e) => (e instanceof Error ? e.message : String(e))).join(' ');
  const detail = errors[0] instanceof Error ? errors[0].message : String(error);

  const dns = codes.find((c): c is string => typeof c === 'string' && DNS_CODES.has(c));
  if (dns !== undefined)
    return {
      kind: 'dns',
      retry: true,
      message: `the name ${target} does not resolve (${dns}): Discord was never reached. Check this machine's DNS and internet connection${target === 'discord.com' ? '' : ', and the host in DISCORD_API_URL'}.`,
    };
  const network = codes.find((c): c is string => typeof c === 'string' && NETWORK_CODES.has(c));
  if (network !== undefined)
    return {
      kind: 'network',
      retry: true,
      message: `could not connect to ${target} (${network}): Discord was never reached. Check the network, a firewall or proxy in the way${target === 'discord.com' ? '' : ', and that DISCORD_API_URL points at a running server'}.`,
    };
  if (
    status === 401 ||
    closeCode === GatewayCloseCodes.AuthenticationFailed ||
    codes.includes('TokenInvalid') ||
    /authentication failed|invalid token/iu.test(text)
  )
    return {
      kind: 'token',
      retry: false,
      message:
        'Discord refused the token. Reset it in the Developer Portal (your application → Bot → Reset Token), put the new one in DISCORD_TOKEN, and start again.',
    };
  if (closeCode === GatewayCloseCodes.DisallowedIntents || closeCode === GatewayCloseCodes.InvalidIntents || /intents/iu.test(text))
    return {
      kind: 'intents',
      retry: false,
      message:
        'Discord refused the gateway intents. Switch on the Message Content intent in the Developer Portal (your application → Bot → Privileged Gateway Intents), or leave ASK_CHANNEL_IDS unset.',
    };
  if (/did not report the bot ready|timed? ?out|aborted/iu.test(text))
    return { kind: 'timeout', retry: true, message: `Discord did not answer in time (${detail}). It may be busy or the network slow.` };
  if (typeof status === 'number')
    return { kind: 'refused', retry: status >= 500 || status === 429, message: `Discord answered ${status}: ${detail}` };
  return { kind: 'unknown', retry: true, message: detail };
}

/** The host a message should name: discord.com, or the DISCORD_API_URL host. */
export function discordHost(apiUrl: string | null): string {
  if (apiUrl === null) return 'discord.com';
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}
