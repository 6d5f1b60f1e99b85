/**
 * Validates HTTP requests (as a bot would send them to Discord) against Discord's official
 * OpenAPI 3.1 description (test/fixtures/discord-openapi.json, MIT, see discord-openapi.SOURCE.txt).
 *
 * Usage in an end-to-end test:
 *
 *   for (const req of fake.requests) expect(validateRecordedRequest(req).errors).toEqual([]);
 *   // or simply: assertValidRequests(fake.requests);
 *
 * What is checked, for any operation of the spec (not only the ones below):
 *   - the route exists in the spec (method + path template), path parameters match their schema
 *     (a snowflake really is a snowflake, so `/channels/undefined/messages` fails);
 *   - query parameters are known to the operation and have the right type;
 *   - the JSON body validates against the operation's `application/json` request schema;
 *   - a few documented rules the schema cannot express (see `semanticErrors`).
 *
 * Where the spec and real Discord disagree, this validator follows Discord (and documents it in
 * SPEC_PATCHES below) without becoming permissive:
 *   - The spec never forbids unknown properties; Discord silently ignores them, which hides typos
 *     (`allowedMentions` instead of `allowed_mentions`). By default unknown properties are errors,
 *     except the few that discord.js sends anyway (`tts`, `enforce_nonce`, `nonce` on message
 *     bodies, `nsfw` on commands, `type` when starting a thread from a message; DISCORDJS_EXTRAS).
 *   - `default_member_permissions` is typed as an integer; Discord documents and discord.js sends
 *     a string of digits ("8"). Both are accepted, nothing else.
 *   - `create_message` allows `content` up to 4000 characters (a Nitro user limit); bots get 2000.
 *   - Unions that discriminate on `type` are rewritten to if/then chains so that an invalid
 *     button yields "components[0].components[0].label ..." instead of one error per union branch.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

export const SPEC_FILE = new URL('../fixtures/discord-openapi.json', import.meta.url);

/** The operations a Discord bot typically performs; all of them have a JSON request body. */
export const CHECKED_OPERATION_IDS = [
  'create_interaction_response',
  'update_original_webhook_message',
  'create_message',
  'execute_webhook',
  'bulk_set_application_commands',
  'bulk_set_guild_application_commands',
] as const;
export type CheckedOperationId = (typeof CHECKED_OPERATION_IDS)[number];

/** Anything that looks like a request: `RecordedRequest` from fake-discord.ts qualifies. */
export interface RequestLike {
  readonly method: string;
  /** Route path, with or without the `/api/v10` prefix; `%40original` or `@original` both work. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | URLSearchParams;
  /** The parsed JSON body (for multipart requests: the parsed `payload_json`). */
  readonly body?: unknown;
  /** Files uploaded alongside (multipart). Only their count matters here. */
  readonly files?: readonly unknown[];
}

export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  /** e.g. `/interactions/{interaction_id}/{interaction_token}/callback` */
  readonly pathTemplate: string;
  readonly hasJsonBody: boolean;
  readonly bodyRequired: boolean;
}

export interface OperationMatch {
  readonly operation: SpecOperation;
  readonly pathParams: Readonly<Record<string, string>>;
}

export interface RequestValidation {
  /** The matched operation, or null when the spec has no such route. */
  readonly operationId: string | null;
  readonly pathTemplate: string | null;
  /** Empty when the request is valid. */
  readonly errors: string[];
}

export interface SpecValidatorOptions {
  /** Report properties the spec does not define (default true). */
  readonly rejectUnknownProperties?: boolean;
  /** Which of the extra properties discord.js sends are tolerated (default: all; see DISCORDJS_EXTRAS). */
  readonly toleratedProperties?: readonly string[];
  /** Apply the documented rules the schema cannot express (default true). */
  readonly semanticChecks?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required: boolean;
  readonly schema: JsonObject;
}

interface InternalOperation extends SpecOperation {
  readonly parameters: readonly Parameter[];
  readonly bodySchema: JsonObject | null;
  readonly segments: readonly string[];
}

const DOC_ID = 'https://fake-discord.invalid/openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/**
 * Properties discord.js sends although the spec does not define them there; Discord ignores them.
 * `messageLike` applies to every request schema with `content` and `embeds` (discord.js's
 * MessagePayload always adds `tts` and `enforce_nonce`, and `nonce` with the enforceNonce option);
 * `commandLike` to every command schema (`nsfw` is documented but missing from the spec).
 */
const DISCORDJS_EXTRAS = {
  messageLike: {
    tts: { type: ['boolean', 'null'] },
    enforce_nonce: { type: ['boolean', 'null'] },
    nonce: { oneOf: [{ type: 'integer' }, { type: 'string', maxLength: 25 }, { type: 'null' }] },
  },
  commandLike: { nsfw: { type: ['boolean', 'null'] } },
  /** GuildTextThreadManager.create always sends `type`, also when starting from a message. */
  bySchema: { CreateTextThreadWithMessageRequest: { type: { type: 'integer', enum: [10, 11, 12] } } },
} satisfies Record<string, Record<string, JsonObject | Record<string, JsonObject>>>;
const DEFAULT_TOLERATED = ['tts', 'enforce_nonce', 'nonce', 'nsfw', 'type'];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonObject(value: Json | undefined): value is JsonObject {
  return isObject(value);
}

function deepMap(value: Json, fn: (node: JsonObject) => JsonObject): Json {
  if (Array.isArray(value)) return value.map((item) => deepMap(item, fn));
  if (!isJsonObject(value)) return value;
  const mapped: JsonObject = {};
  for (const [key, child] of Object.entries(value)) mapped[key] = deepMap(child, fn);
  return fn(mapped);
}

/** Rewrites document-local `$ref`s so a fragment can be compiled on its own. */
function absolutize(schema: Json): Json {
  return deepMap(schema, (node) => {
    const ref = node.$ref;
    return typeof ref === 'string' && ref.startsWith('#') ? { ...node, $ref: DOC_ID + ref } : node;
  });
}

function refName(ref: Json | undefined): string | null {
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null;
}

function typeIncludes(schema: JsonObject, type: string): boolean {
  const t = schema.type;
  return t === type || (Array.isArray(t) && t.includes(type));
}

function discriminatorValues(schema: JsonObject): number[] | null {
  const props = schema.properties;
  if (!isJsonObject(props)) return null;
  const type = props.type;
  if (!isJsonObject(type)) return null;
  if (typeof type.const === 'number') return [type.const];
  if (Array.isArray(type.enum)) {
    const values = type.enum.filter((v) => typeof v === 'number');
    return values.length === type.enum.length ? values : null;
  }
  return null;
}

/**
 * Loads the spec, patches it (see file comment) and compiles validators lazily. Compiling the
 * callback/message schemas takes a moment, so reuse one instance (`getSpecValidator()`).
 */
export class SpecValidator {
  readonly #ajv: Ajv2020;
  readonly #operations: InternalOperation[] = [];
  readonly #byId = new Map<string, InternalOperation>();
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #semanticChecks: boolean;

  constructor(options: SpecValidatorOptions = {}) {
    this.#semanticChecks = options.semanticChecks ?? true;
    const doc = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as JsonObject;
    const components = doc.components;
    if (!isJsonObject(components) || !isJsonObject(components.schemas) || !isJsonObject(doc.paths)) {
      throw new Error('discord-openapi.json: unexpected layout (no paths or components.schemas)');
    }
    const schemas = components.schemas;
    patchSpec(schemas, options.rejectUnknownProperties ?? true, options.toleratedProperties ?? DEFAULT_TOLERATED);
    components.schemas = deepMap(schemas, (node) => rewriteDiscriminatedUnion(node, schemas));

    this.#ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, validateFormats: true });
    formatsModule.default(this.#ajv);
    this.#ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    this.#ajv.addFormat('nonce', { type: 'string', validate: () => true });
    this.#ajv.addSchema({ $id: DOC_ID, components: doc.components });

    for (const [pathTemplate, item] of Object.entries(doc.paths)) {
      if (!isJsonObject(item)) continue;
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isJsonObject(op) || typeof op.operationId !== 'string') continue;
        const own = Array.isArray(op.parameters) ? op.parameters : [];
        const parameters = [...shared, ...own].filter(isJsonObject).map((p): Parameter => ({
          name: typeof p.name === 'string' ? p.name : '',
          in: typeof p.in === 'string' ? p.in : '',
          required: p.required === true,
          schema: isJsonObject(p.schema) ? p.schema : {},
        }));
        const requestBody = isJsonObject(op.requestBody) ? op.requestBody : null;
        const content = requestBody && isJsonObject(requestBody.content) ? requestBody.content : null;
        const jsonContent = content?.['application/json'];
        const bodySchema = isJsonObject(jsonContent) && isJsonObject(jsonContent.schema) ? jsonContent.schema : null;
        const operation: InternalOperation = {
          operationId: op.operationId,
          method: method.toUpperCase(),
          pathTemplate,
          hasJsonBody: bodySchema !== null,
          bodyRequired: requestBody?.required === true,
          parameters,
          bodySchema: bodySchema ? (deepMap(bodySchema, (node) => rewriteDiscriminatedUnion(node, schemas)) as JsonObject) : null,
          segments: pathTemplate.split('/').filter(Boolean),
        };
        this.#operations.push(operation);
        this.#byId.set(op.operationId, operation);
      }
    }
  }

  /** All operations of the spec. */
  get operations(): readonly SpecOperation[] {
    return this.#operations;
  }

  operation(operationId: string): SpecOperation {
    return this.#requireOperation(operationId);
  }

  /** Finds the spec operation for a method and a concrete path (the most specific template wins). */
  findOperation(method: string, path: string): OperationMatch | null {
    const segments = normalizePath(path).split('/').filter(Boolean);
    let best: { op: InternalOperation; params: Record<string, string>; literals: number } | null = null;
    for (const op of this.#operations) {
      if (op.method !== method.toUpperCase() || op.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (const [i, tpl] of op.segments.entries()) {
        const actual = segments[i] ?? '';
        const param = /^\{(.+)\}$/.exec(tpl);
        if (param?.[1] !== undefined && actual !== '') {
          params[param[1]] = actual;
        } else if (tpl === actual) {
          literals += 1;
        } else {
          ok = false;
          break;
        }
      }
      if (ok && (best === null || literals > best.literals)) best = { op, params, literals };
    }
    return best ? { operation: best.op, pathParams: best.params } : null;
  }

  /** Validates a JSON request body for an operation. Returns readable errors; empty means valid. */
  validateRequest(operationId: string, body: unknown, files: readonly unknown[] = []): string[] {
    const op = this.#requireOperation(operationId);
    if (body === undefined) {
      return op.bodyRequired ? [`(body): ${operationId} requires a JSON body, none was sent`] : [];
    }
    if (!op.bodySchema) {
      const empty = body === null || body === '' || (isObject(body) && Object.keys(body).length === 0);
      return empty ? [] : [`(body): ${operationId} takes no request body, got ${preview(body)}`];
    }
    const validate = this.#compile(`body:${operationId}`, op.bodySchema);
    const errors = validate(body) ? [] : this.#closestBranchErrors(operationId, op.bodySchema, body, validate.errors ?? []);
    if (this.#semanticChecks) errors.push(...semanticErrors(operationId, body, files));
    return errors;
  }

  /** Finds the operation for a recorded request and validates path, query and body. */
  validateRecordedRequest(req: RequestLike): RequestValidation {
    const match = this.findOperation(req.method, req.path);
    if (!match) {
      return {
        operationId: null,
        pathTemplate: null,
        errors: [`${req.method.toUpperCase()} ${normalizePath(req.path)}: no such route in the Discord OpenAPI spec`],
      };
    }
    const op = this.#requireOperation(match.operation.operationId);
    const errors: string[] = [];
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      const value = match.pathParams[param.name];
      if (value === undefined) continue;
      const validate = this.#compile(`path:${op.operationId}:${param.name}`, param.schema);
      if (!validate(value))
        errors.push(
          `path parameter ${param.name}: ${formatErrors(validate.errors ?? [])
            .map(stripRoot)
            .join('; ')}`,
        );
    }
    const query = req.query instanceof URLSearchParams ? Object.fromEntries(req.query) : (req.query ?? {});
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    for (const [name, raw] of Object.entries(query)) {
      const param = queryParams.find((p) => p.name === name);
      if (!param) {
        errors.push(
          `query parameter ${name}: not defined for ${op.operationId} (known: ${queryParams.map((p) => p.name).join(', ') || 'none'})`,
        );
        continue;
      }
      const validate = this.#compile(`query:${op.operationId}:${name}`, param.schema);
      if (!validate(coerceQueryValue(raw, param.schema, this.#ajv))) {
        errors.push(
          `query parameter ${name}: ${formatErrors(validate.errors ?? [])
            .map(stripRoot)
            .join('; ')}`,
        );
      }
    }
    errors.push(...this.validateRequest(op.operationId, req.body, req.files ?? []));
    return { operationId: op.operationId, pathTemplate: op.pathTemplate, errors };
  }

  /**
   * A top-level union that is not discriminated by `type` (create_thread, execute_webhook) fails
   * with the errors of every branch; report only those of the branch that came closest.
   */
  #closestBranchErrors(operationId: string, schema: JsonObject, body: unknown, errors: readonly ErrorObject[]): string[] {
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
    if (!branches || branches.length < 2) return formatErrors(errors);
    let best: string[] | null = null;
    for (const [i, branch] of branches.entries()) {
      if (!isJsonObject(branch)) continue;
      const validate = this.#compile(`body:${operationId}:branch${i}`, branch);
      const branchErrors = validate(body) ? [] : formatErrors(validate.errors ?? []);
      if (best === null || branchErrors.length < best.length) best = branchErrors;
    }
    return best ?? formatErrors(errors);
  }

  #requireOperation(operationId: string): InternalOperation {
    const op = this.#byId.get(operationId);
    if (!op) throw new Error(`Unknown operationId "${operationId}" in the Discord OpenAPI spec`);
    return op;
  }

  #compile(key: string, schema: JsonObject): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(absolutize(schema) as Record<string, unknown>);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

function normalizePath(path: string): string {
  let p = path.split('?')[0] ?? '';
  p = p.replace(/^https?:\/\/[^/]+/, '').replace(/^\/api(\/v\d+)?(?=\/)/, '');
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function coerceQueryValue(raw: string, schema: JsonObject, ajv: Ajv2020): unknown {
  const ref = schema.$ref;
  const resolved = typeof ref === 'string' && refName(ref) ? (ajv.getSchema(DOC_ID + ref)?.schema ?? schema) : schema;
  if (isObject(resolved) && (typeIncludes(resolved, 'integer') || typeIncludes(resolved, 'number'))) {
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  if (isObject(resolved) && typeIncludes(resolved, 'boolean')) {
    if (raw === 'true' || raw === 'True') return true;
    if (raw === 'false' || raw === 'False') return false;
  }
  return raw;
}

/** The spec changes explained in the file comment. Mutates `schemas`. */
function patchSpec(schemas: JsonObject, rejectUnknown: boolean, tolerated: readonly string[]): void {
  // Bots may send at most 2000 characters, the 4000 of the spec is the Nitro limit.
  const messageCreate = schemas.MessageCreateRequest;
  const content = isJsonObject(messageCreate) && isJsonObject(messageCreate.properties) ? messageCreate.properties.content : undefined;
  if (!isJsonObject(content)) throw new Error('discord-openapi.json: MessageCreateRequest.content not found');
  content.maxLength = 2000;

  const isRequestSchema = (name: string): boolean => /Request(Partial)?$/.test(name);
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isRequestSchema(name) || !isJsonObject(schema) || !isJsonObject(schema.properties)) continue;
    const p = schema.properties;
    const commandLike = 'default_member_permissions' in p && 'options' in p;
    // Documented as a string ("?string"), and discord.js sends a string; the spec says integer.
    const permissions = p.default_member_permissions;
    if (commandLike && isJsonObject(permissions)) {
      p.default_member_permissions = { anyOf: [{ type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' }, { ...permissions }] };
    }
    if (!rejectUnknown) continue;
    const extras: Record<string, JsonObject> = {
      ...('content' in p && 'embeds' in p ? DISCORDJS_EXTRAS.messageLike : {}),
      ...(commandLike ? DISCORDJS_EXTRAS.commandLike : {}),
      ...(DISCORDJS_EXTRAS.bySchema as Record<string, Record<string, JsonObject> | undefined>)[name],
    };
    for (const [prop, definition] of Object.entries(extras)) {
      if (tolerated.includes(prop) && !(prop in p)) p[prop] = definition;
    }
  }

  if (!rejectUnknown) return;
  // Schemas that are combined with others via allOf cannot forbid additional properties.
  const combined = new Set<string>();
  deepMap(schemas, (node) => {
    const allOf = node.allOf;
    if (Array.isArray(allOf) && (allOf.length > 1 || 'properties' in node)) {
      for (const member of allOf) if (isJsonObject(member)) combined.add(refName(member.$ref) ?? '');
    }
    return node;
  });
  for (const [name, schema] of Object.entries(schemas)) {
    if (combined.has(name) || !isJsonObject(schema)) continue;
    schemas[name] = deepMap(schema, (node) => {
      const closable =
        isJsonObject(node.properties) &&
        (node.type === undefined || typeIncludes(node, 'object')) &&
        !('additionalProperties' in node) &&
        !('unevaluatedProperties' in node) &&
        !('allOf' in node) &&
        !('oneOf' in node) &&
        !('anyOf' in node);
      return closable ? { ...node, additionalProperties: false } : node;
    });
  }
}

/**
 * `oneOf`/`anyOf` over object schemas that each fix `type` to disjoint numbers becomes
 * `{required: [type], properties: {type: {enum: all}}, allOf: [{if: type = a, then: A}, ...]}`,
 * which accepts exactly the same documents but reports only the errors of the intended branch.
 * A `{type: 'null'}` branch is kept as such.
 */
function rewriteDiscriminatedUnion(node: JsonObject, schemas: JsonObject): JsonObject {
  const keyword = Array.isArray(node.oneOf) ? 'oneOf' : Array.isArray(node.anyOf) ? 'anyOf' : null;
  if (!keyword) return node;
  const branches = node[keyword] as Json[];
  const nullBranch = branches.some((b) => isJsonObject(b) && b.type === 'null' && Object.keys(b).length === 1);
  const candidates = branches.filter((b) => !(isJsonObject(b) && b.type === 'null' && Object.keys(b).length === 1));
  if (candidates.length < 2) return node;
  const seen = new Set<number>();
  const cases: { values: number[]; branch: JsonObject }[] = [];
  for (const branch of candidates) {
    if (!isJsonObject(branch)) return node;
    const name = refName(branch.$ref);
    const target = name ? schemas[name] : branch;
    if (!isJsonObject(target)) return node;
    const values = discriminatorValues(target);
    const required = Array.isArray(target.required) && target.required.includes('type');
    if (!values || !required || values.some((v) => seen.has(v))) return node;
    values.forEach((v) => seen.add(v));
    cases.push({ values, branch });
  }
  const { [keyword]: _removed, ...rest } = node;
  const discriminated: JsonObject = {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: [...seen].sort((a, b) => a - b) } },
    allOf: cases.map(({ values, branch }) => ({
      if: { type: 'object', properties: { type: { enum: values } }, required: ['type'] },
      then: branch,
    })),
  };
  return nullBranch ? { ...rest, oneOf: [{ type: 'null' }, discriminated] } : { ...rest, ...discriminated };
}

function jsPath(instancePath: string): string {
  if (instancePath === '') return '(body)';
  return instancePath
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, key) => (/^\d+$/.test(key) ? `${acc}[${key}]` : acc === '' ? key : `${acc}.${key}`), '');
}

function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeOne(e: ErrorObject): string {
  const sized = ['maxLength', 'minLength', 'maxItems', 'minItems'].includes(e.keyword);
  const got = (): string => {
    if (sized && typeof e.data === 'string') return `got ${codePoints(e.data)} characters`;
    if (sized && Array.isArray(e.data)) return `got ${e.data.length} items`;
    return `got ${preview(e.data)}`;
  };
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}" (not in the Discord spec)`;
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (${got()})`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)} (${got()})`;
    case 'type':
      return `must be ${String(params.type).split(',').join(' or ')} (${got()})`;
    case 'maxLength':
    case 'minLength':
    case 'maxItems':
    case 'minItems':
      return `${e.message ?? e.keyword} (${got()})`;
    case 'pattern':
      return e.schema === '^(0|[1-9][0-9]*)$'
        ? `must be a snowflake (a string of digits) (${got()})`
        : `${e.message ?? e.keyword} (${got()})`;
    default:
      return `${e.message ?? e.keyword}${e.data !== undefined && typeof e.data !== 'object' ? ` (${got()})` : ''}`;
  }
}

function stripRoot(line: string): string {
  return line.startsWith('(body): ') ? line.slice('(body): '.length) : line;
}

/**
 * Turns ajv errors into one readable line each, dropping the noise of unions: the "must be null"
 * branch of nullable values and the summary "must match a schema in anyOf/oneOf" / "must match
 * then" lines whenever a more specific error at or below the same place explains them.
 */
function formatErrors(errors: readonly ErrorObject[]): string[] {
  const isUnionNoise = (e: ErrorObject): boolean =>
    e.keyword === 'oneOf' ||
    e.keyword === 'anyOf' ||
    e.keyword === 'if' ||
    (e.keyword === 'type' && String((e.params as { type?: unknown }).type) === 'null');
  // SnowflakeType has both a pattern and format: "snowflake"; report it once.
  const isDuplicateFormat = (e: ErrorObject): boolean =>
    e.keyword === 'format' && errors.some((o) => o.keyword === 'pattern' && o.instancePath === e.instancePath);
  const specific = errors.filter((e) => !isUnionNoise(e) && !isDuplicateFormat(e));
  const kept = errors.filter((e) => {
    if (isDuplicateFormat(e)) return false;
    if (!isUnionNoise(e)) return true;
    return !specific.some((s) => s.instancePath === e.instancePath || s.instancePath.startsWith(`${e.instancePath}/`));
  });
  const lines = kept.map((e) => `${jsPath(e.instancePath)}: ${describeOne(e)}`);
  return [...new Set(lines)];
}

function codePoints(text: string): number {
  let count = 0;
  for (const _char of text) count += 1;
  return count;
}

function embedTextLength(embed: unknown): number {
  if (!isObject(embed)) return 0;
  const str = (v: unknown): number => (typeof v === 'string' ? codePoints(v) : 0);
  let total = str(embed.title) + str(embed.description);
  if (isObject(embed.footer)) total += str(embed.footer.text);
  if (isObject(embed.author)) total += str(embed.author.name);
  if (Array.isArray(embed.fields)) for (const f of embed.fields) if (isObject(f)) total += str(f.name) + str(f.value);
  return total;
}

/** Rules from Discord's documentation that the OpenAPI schema cannot express. */
function semanticErrors(operationId: string, body: unknown, files: readonly unknown[]): string[] {
  if (!isObject(body)) return [];
  let message: Record<string, unknown> | null = null;
  let where = '';
  let mustHaveContent = false;
  if (operationId === 'create_interaction_response') {
    if (isObject(body.data)) {
      message = body.data;
      where = 'data.';
    }
    mustHaveContent = body.type === 4;
  } else if (
    ['create_message', 'execute_webhook', 'update_original_webhook_message', 'update_webhook_message', 'update_message'].includes(
      operationId,
    )
  ) {
    message = body;
    mustHaveContent = operationId === 'create_message' || operationId === 'execute_webhook';
  }
  if (mustHaveContent && !message)
    return ['data: a CHANNEL_MESSAGE_WITH_SOURCE (type 4) response needs data (Discord: 50006 Cannot send an empty message)'];
  if (!message) return [];
  const errors: string[] = [];
  const embeds = Array.isArray(message.embeds) ? message.embeds : [];
  const total = embeds.reduce<number>((sum, e) => sum + embedTextLength(e), 0);
  if (total > 6000) {
    errors.push(`${where}embeds: title, description, field, footer and author texts must total at most 6000 characters (got ${total})`);
  }
  const nonEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '');
  const flags = typeof message.flags === 'number' ? message.flags : 0;
  const componentsV2 = (flags & (1 << 15)) !== 0;
  if (
    mustHaveContent &&
    !['content', 'embeds', 'components', 'attachments', 'sticker_ids', 'poll'].some((k) => nonEmpty(message[k])) &&
    files.length === 0
  ) {
    errors.push(
      `${where || '(body)'}: message has no content, embeds, components, attachments, stickers or poll (Discord: 50006 Cannot send an empty message)`,
    );
  }
  if (componentsV2 && (nonEmpty(message.content) || nonEmpty(message.embeds))) {
    errors.push(`${where}flags: IS_COMPONENTS_V2 messages cannot have content or embeds`);
  }
  const mentions = message.allowed_mentions;
  if (isObject(mentions) && Array.isArray(mentions.parse)) {
    for (const kind of ['users', 'roles']) {
      if (mentions.parse.includes(kind) && nonEmpty(mentions[kind])) {
        errors.push(`${where}allowed_mentions: parse contains "${kind}" and ${kind} is a list; they are mutually exclusive`);
      }
    }
  }
  return errors;
}

let shared: SpecValidator | undefined;

/** The shared default validator (created on first use). */
export function getSpecValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}

/** Validates a JSON body for an operationId; returns readable errors (empty = valid). */
export function validateRequest(operationId: string, body: unknown): string[] {
  return getSpecValidator().validateRequest(operationId, body);
}

/** Finds the operation of a recorded request (method + path) and validates it. */
export function validateRecordedRequest(req: RequestLike): RequestValidation {
  return getSpecValidator().validateRecordedRequest(req);
}

export function findOperation(method: string, path: string): OperationMatch | null {
  return getSpecValidator().findOperation(method, path);
}

/** Throws one readable error listing every invalid request; does nothing when all are valid. */
export function assertValidRequests(requests: Iterable<RequestLike>): void {
  const problems: string[] = [];
  for (const req of requests) {
    const result = validateRecordedRequest(req);
    if (result.errors.length > 0) {
      const name = result.operationId ? ` (${result.operationId})` : '';
      problems.push(`${req.method.toUpperCase()} ${normalizePath(req.path)}${name}:\n  - ${result.errors.join('\n  - ')}`);
    }
  }
  if (problems.length > 0) throw new Error(`Requests that break the Discord OpenAPI spec:\n${problems.join('\n')}`);
}
