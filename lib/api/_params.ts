/**
 * One table of parameter metadata drives validation of every route (as gtexr does): which parameters a
 * route takes, which are required, which are lists, and how each kind of value is checked. Bad input
 * is refused here, before any request is sent, with a {@link ValidationError} naming the parameter, the
 * value and the fix.
 *
 * @module
 */
import { ValidationError } from "../_core/errors.ts";
import { closest, didYouMean } from "../_core/options.ts";
import { suggestTissue, V4_TISSUE_IDS } from "../_core/tissues.ts";
import { MAX_ID_LENGTH, parseVariantId, typeOf } from "../_core/ids.ts";

export { parseVariantId, V4_TISSUE_IDS };
import { type ParamSpec, type Route, ROUTE_PARAMS } from "../_core/routes.ts";

export { type ParamKind, type ParamSpec, type Route, ROUTE_PARAMS } from "../_core/routes.ts";

/**
 * A well-formed tissue ID that is not among the valid ones. The client catches it (by class, never by
 * message) to ask the server's own tissue list once before refusing.
 */
export class UnknownTissueError extends ValidationError {}

/**
 * A well-formed gene ID that is not in RatGTEx's gene list (or differs from one only by case: IDs are
 * case-sensitive, and the routes other than `gene` answer a case slip with nothing).
 */
export class UnknownGeneError extends ValidationError {
  /** The closest known IDs, a case-insensitive match first. */
  readonly suggestions: string[];
  /** Build it from the parameter, the value, the closest IDs and the route. */
  constructor(parameter: string, value: string, suggestions: string[], route?: string) {
    const sameCase = suggestions.find((g) => g.toLowerCase() === value.toLowerCase());
    const problem = sameCase
      ? `not a RatGTEx gene ID (IDs are case-sensitive: did you mean ${sameCase}?)`
      : `not a RatGTEx gene ID${suggestions.length ? ` (did you mean ${orList(suggestions)}?)` : ""}`;
    super(parameter, value, problem, UNKNOWN_GENE_FIX, route);
    this.name = "ValidationError";
    this.suggestions = suggestions;
  }
}

const UNKNOWN_GENE_FIX = "gene IDs are checked against RatGTEx's own list (data/v4/autocomplete.v4.json): " +
  "RefSeq GRCr8 symbols, spelt exactly, e.g. Cd300lf";

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/**
 * Whether a validation error is about a well-formed ID that RatGTEx does not have (a gene not in its list,
 * a tissue not among its tissues): in a batch, that item fails alone. Any other validation error (a
 * malformed ID, a misspelt parameter) fails the whole call before anything is sent.
 */
export function isUnknownId(error: unknown): boolean {
  return error instanceof UnknownGeneError || error instanceof UnknownTissueError;
}

/**
 * Where RatGTEx's list of gene IDs lives for an API base URL: `…/api/v4` → `…/data/v4/autocomplete.v4.json`
 * (the portal publishes the release folder beside the API); null for a base URL of another form.
 */
export function geneListUrl(baseUrl: string): string | null {
  const m = /^(.*)\/api\/v4\/?$/.exec(baseUrl);
  return m ? `${m[1]}/data/v4/autocomplete.v4.json` : null;
}

/**
 * Check every gene ID of a validated query against the known IDs; throws an {@link UnknownGeneError} for
 * the first unknown one, naming the parameter, the value and the closest IDs.
 */
export function checkKnownGenes(route: Route, query: Record<string, string>, known: ReadonlySet<string>): void {
  const specs = ROUTE_PARAMS[route] as Record<string, ParamSpec>;
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.kind !== "gene" || query[name] === undefined) continue;
    for (const id of query[name].split(",")) {
      if (!known.has(id)) throw new UnknownGeneError(name, id, closest(id, known), route);
    }
  }
}

const GENE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TISSUE_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

const GENE_FIX = "gene IDs are RefSeq GRCr8 gene symbols such as Cd300lf or LOC120093067 " +
  "(letters, digits, '.', '-', '_'; Ensembl IDs are not used); pass several as an array";

/**
 * Check one gene ID's form (a RefSeq GRCr8 symbol); returns it unchanged, or throws a
 * {@link ValidationError} naming the parameter, the value and the fix.
 */
export function checkGeneId(value: unknown, parameter = "geneId", route?: string): string {
  if (typeof value !== "string") {
    throw new ValidationError(parameter, value, `expected a string, got ${typeOf(value)}`, GENE_FIX, route);
  }
  if (value.trim() === "") throw new ValidationError(parameter, value, "empty gene ID", GENE_FIX, route);
  if (value.includes(",")) {
    throw new ValidationError(
      parameter,
      value,
      "contains a comma",
      "pass several genes as an array (['Cd300lf', 'Eno1']), not one comma-joined string",
      route,
    );
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new ValidationError(parameter, value, `longer than ${MAX_ID_LENGTH} characters`, GENE_FIX, route);
  }
  if (!GENE_RE.test(value)) {
    throw new ValidationError(parameter, value, "contains characters a gene symbol never has", GENE_FIX, route);
  }
  return value;
}

/**
 * Check a tissue ID's form, and membership when the valid IDs are known (`null`: form only). IDs are
 * case-sensitive; a case slip is refused with the right spelling in the message.
 */
export function checkTissueId(
  value: unknown,
  valid: readonly string[] | null,
  parameter = "tissueSiteDetailId",
  route?: string,
): string {
  const fix = `valid tissue IDs are ${(valid ?? V4_TISSUE_IDS).join(", ")}`;
  if (typeof value !== "string") {
    throw new ValidationError(parameter, value, `expected a string, got ${typeOf(value)}`, fix, route);
  }
  if (!TISSUE_RE.test(value) || value.length > MAX_ID_LENGTH) {
    throw new ValidationError(parameter, value, "not a tissue ID", fix, route);
  }
  if (valid && !valid.includes(value)) {
    const near = suggestTissue(value, valid);
    const caseSlip = near !== null && near.toLowerCase() === value.toLowerCase();
    throw new UnknownTissueError(
      parameter,
      value,
      near ? `unknown tissue (${caseSlip ? "IDs are case-sensitive: " : ""}did you mean ${near}?)` : "unknown tissue",
      fix,
      route,
    );
  }
  return value;
}

/** The names of the options every route call takes (see `CallOptions`). */
export const CALL_OPTION_NAMES = ["client", "raw", "signal", "refresh"] as const;

/** The parameters of a route call: each value a string, a list of strings or a boolean. */
export type RouteParams = Record<string, string | readonly string[] | boolean | undefined>;

/**
 * Validate a route's parameters against {@link ROUTE_PARAMS} and return the query (lists comma-joined).
 * Tissue membership is checked against `tissueIds` when given (form only otherwise).
 */
export function validateParams(
  route: Route,
  input: object,
  tissueIds: readonly string[] | null,
): Record<string, string> {
  const params = input as RouteParams;
  const specs = ROUTE_PARAMS[route] as Record<string, ParamSpec>;
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new ValidationError("params", params, "expected an object of query parameters", usage(route), route);
  }
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(specs, key)) {
      const near = didYouMean(key, Object.keys(specs));
      // An option passed where the parameters go (`tissueInfo({ client })`): say where it belongs.
      const misplaced = (CALL_OPTION_NAMES as readonly string[]).includes(key);
      throw new ValidationError(
        key,
        misplaced ? `{ ${key}: … }` : params[key],
        `${route} takes no parameter ${key}${near ? ` (did you mean ${near}?)` : ""}${
          misplaced ? `; ${key} is an option: options go second` : ""
        }`,
        misplaced
          ? `${usage(route)}, e.g. ${route}(${route === "tissueInfo" ? "{}" : "params"}, { ${key} })`
          : usage(route),
        route,
      );
    }
  }
  const query: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = params[name];
    if (raw === undefined || raw === null) {
      if (spec.required) throw new ValidationError(name, raw, "required", usage(route), route);
      continue;
    }
    if (spec.kind === "boolean") {
      if (typeof raw !== "boolean") {
        throw new ValidationError(
          name,
          raw,
          `expected a boolean, got ${typeOf(raw)}`,
          `pass ${name}: true or false`,
          route,
        );
      }
      query[name] = String(raw);
      continue;
    }
    const values = typeof raw === "string" ? [raw] : raw;
    if (!Array.isArray(values)) {
      throw new ValidationError(
        name,
        raw,
        `expected ${spec.list ? "a string or an array of strings" : "a string"}, got ${typeOf(raw)}`,
        usage(route),
        route,
      );
    }
    if (!spec.list && values.length !== 1) {
      throw new ValidationError(name, raw, "takes exactly one value", usage(route), route);
    }
    if (values.length === 0) throw new ValidationError(name, raw, "empty list", usage(route), route);
    for (const v of values) {
      if (spec.kind === "gene") checkGeneId(v, name, route);
      else if (spec.kind === "variant") parseVariantId(v, name, route);
      else checkTissueId(v, tissueIds, name, route);
    }
    query[name] = values.join(",");
  }
  return query;
}

function usage(route: Route): string {
  const specs = ROUTE_PARAMS[route] as Record<string, ParamSpec>;
  const parts = Object.entries(specs).map(([k, s]) =>
    `${k}${s.required ? "" : "?"}: ${s.kind === "boolean" ? "boolean" : s.list ? "string | string[]" : "string"}`
  );
  return parts.length ? `${route}({ ${parts.join(", ")} })` : `${route}({})`;
}
