import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** Discord's OpenAPI spec, copied into the repository (source and licence: spec/README.md). */
export const DISCORD_SPEC_PATH = fileURLToPath(
  new URL('./spec/discord-openapi.json', import.meta.url),
);

export interface ValidationFailure {
  method: string;
  path: string;
  problem: string;
}

export interface RequestToCheck {
  method: string;
  /** Decoded path after /api/v10. */
  path: string;
  query: Record<string, string>;
  contentType: 'json' | 'multipart' | 'none';
  body?: unknown;
  /** Multipart file field names (files[0], ...). */
  fileFields?: string[];
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
};
type Spec = { paths: Record<string, Record<string, Operation | unknown>>; components: unknown };

// ajv and ajv-formats are CommonJS; under ESM their constructor sits on `default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as unknown as new (
  opts: object,
) => {
  addSchema(schema: object): void;
  addFormat(name: string, f: boolean): void;
  compile(schema: unknown): Validate;
  errorsText(errors?: unknown[] | null): string;
};
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: unknown) => void;

const SPEC_ID = 'discord-openapi';

/**
 * Checks requests against Discord's official OpenAPI 3.1 spec with Ajv's 2020-12 build. Route
 * templates are matched literal-first so `/messages/@original` wins over `/messages/{message_id}`.
 */
export class OpenApiValidator {
  private readonly spec: Spec;
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly routes: { template: string; regex: RegExp }[];
  private readonly compiled = new Map<string, Validate>();

  private constructor(specText: string) {
    // Local refs point into `components`; re-anchor them on the id the components are added under.
    this.spec = JSON.parse(specText.replaceAll('"$ref": "#/', `"$ref": "${SPEC_ID}#/`)) as Spec;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const f of ['snowflake', 'int32', 'int64', 'double', 'float', 'nonce'])
      this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: SPEC_ID, components: this.spec.components });
    this.routes = Object.keys(this.spec.paths)
      .map((template) => ({
        template,
        params: (template.match(/\{/g) ?? []).length,
        regex: new RegExp(
          `^${template
            .split(/(\{[^}]+\})/)
            .map((part) =>
              part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('')}$`,
        ),
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** Loads the spec; a missing file fails the test run rather than switching the checks off. */
  static load(path = DISCORD_SPEC_PATH): OpenApiValidator {
    if (!existsSync(path)) throw new Error(`Discord OpenAPI spec not found at ${path}`);
    return new OpenApiValidator(readFileSync(path, 'utf8')).warmUp();
  }

  /** Returns the problems found (empty when the request conforms). */
  check(req: RequestToCheck): string[] {
    const route = this.routes.find((r) => r.regex.test(req.path));
    if (!route) return [`no route ${req.path} in the spec`];
    const op = this.spec.paths[route.template]?.[req.method.toLowerCase()] as Operation | undefined;
    if (!op) return [`no ${req.method} on ${route.template} in the spec`];
    const problems: string[] = [];
    const pathParams = (this.spec.paths[route.template]?.parameters ?? []) as {
      name: string;
      in: string;
    }[];
    const known = new Set(
      [...pathParams, ...(op.parameters ?? [])].filter((p) => p.in === 'query').map((p) => p.name),
    );
    for (const key of Object.keys(req.query))
      if (!known.has(key)) problems.push(`unknown query parameter ${key}`);
    const content = op.requestBody?.content;
    if (req.contentType === 'none') return problems;
    const media = req.contentType === 'json' ? 'application/json' : 'multipart/form-data';
    // A multipart body is payload_json plus files[n]; payload_json follows the JSON schema.
    const schema = content?.['application/json']?.schema ?? content?.[media]?.schema;
    if (!schema) return [...problems, `${route.template} takes no ${media} body`];
    const validate = this.compile(`${req.method} ${route.template} ${media}`, schema);
    if (!validate(docsWin(req.body ?? {})))
      problems.push(this.ajv.errorsText(validate.errors).slice(0, 1000));
    if (req.contentType === 'multipart') problems.push(...checkAttachmentParts(req));
    return problems;
  }

  /**
   * Compiles the body schemas of the routes under `prefixes` now. Ajv takes seconds for the big
   * message schemas on a loaded machine; paid in `beforeAll`, that cost cannot make a test's first
   * Discord request miss discord.js's or the test's own timeout.
   */
  warmUp(prefixes = ['/interactions/', '/webhooks/']): this {
    for (const { template } of this.routes) {
      if (!prefixes.some((p) => template.startsWith(p))) continue;
      for (const [method, op] of Object.entries(this.spec.paths[template] ?? {})) {
        const content = (op as Operation).requestBody?.content;
        for (const media of ['application/json', 'multipart/form-data']) {
          const schema = content?.['application/json']?.schema ?? content?.[media]?.schema;
          if (schema) this.compile(`${method.toUpperCase()} ${template} ${media}`, schema);
        }
      }
    }
    return this;
  }

  private compile(key: string, schema: unknown): Validate {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(schema);
      this.compiled.set(key, v);
    }
    return v;
  }
}

/** Each new attachment in payload_json must name a `files[n]` part that was actually sent. */
function checkAttachmentParts(req: RequestToCheck): string[] {
  const body = req.body as { attachments?: { id?: unknown }[] } | undefined;
  const fields = new Set(req.fileFields ?? []);
  const problems: string[] = [];
  for (const a of body?.attachments ?? []) {
    const id = String(a.id);
    // Small integers are placeholders for new files; snowflakes keep existing attachments.
    if (/^\d{1,2}$/.test(id) && !fields.has(`files[${id}]`))
      problems.push(`attachment ${id} has no files[${id}] part`);
  }
  return problems;
}

/**
 * Where Discord's written docs and the spec disagree, the docs win (specs/README.md). The docs
 * type `default_member_permissions` as a permission bit set in a string (what discord.js sends);
 * the spec says integer. Such strings are checked as the integers they spell, nothing else.
 */
function docsWin(body: unknown): unknown {
  const fix = (command: unknown): unknown => {
    if (!command || typeof command !== 'object') return command;
    const value = (command as Record<string, unknown>)['default_member_permissions'];
    if (typeof value !== 'string' || !/^\d+$/.test(value)) return command;
    return { ...command, default_member_permissions: Number(value) };
  };
  return Array.isArray(body) ? body.map(fix) : fix(body);
}
