/**
 * The route table of the RatGTEx REST API (v4): the 11 route names, in the server's order, and the query
 * parameters each takes. The client validates against it and the offline twin answers exactly these
 * routes; nothing else lists them.
 *
 * @module
 */

/** The kinds of parameter value the API takes. */
export type ParamKind = "gene" | "tissue" | "variant" | "boolean";

/** Metadata of one query parameter of one route. */
export interface ParamSpec {
  /** What the value is. */
  kind: ParamKind;
  /** Must be given. */
  required: boolean;
  /** Takes several values (sent comma-joined). */
  list: boolean;
}

/** A route name (the compiler checks that {@link ROUTE_PARAMS} has exactly these keys). */
export type Route =
  | "tissueInfo"
  | "gene"
  | "exon"
  | "variant"
  | "geneExpression"
  | "medianGeneExpression"
  | "topExpressedGene"
  | "singleTissueEqtl"
  | "eqtl"
  | "xqtl"
  | "dyneqtl";

/**
 * The 11 routes and their query parameters, as the real server reads them.
 */
export const ROUTE_PARAMS = {
  tissueInfo: {},
  gene: { geneId: { kind: "gene", required: true, list: true } },
  exon: { geneId: { kind: "gene", required: true, list: false } },
  variant: { variantId: { kind: "variant", required: true, list: true } },
  geneExpression: { geneId: { kind: "gene", required: true, list: false } },
  medianGeneExpression: {
    geneId: { kind: "gene", required: true, list: true },
    tissueSiteDetailId: { kind: "tissue", required: false, list: true },
  },
  topExpressedGene: {
    tissueSiteDetailId: { kind: "tissue", required: true, list: false },
    filterMtGene: { kind: "boolean", required: false, list: false },
  },
  singleTissueEqtl: { geneId: { kind: "gene", required: true, list: false } },
  eqtl: { geneId: { kind: "gene", required: true, list: false } },
  xqtl: { geneId: { kind: "gene", required: true, list: false } },
  dyneqtl: {
    geneId: { kind: "gene", required: true, list: false },
    tissueSiteDetailId: { kind: "tissue", required: true, list: false },
    variantId: { kind: "variant", required: true, list: false },
  },
} as const satisfies Record<Route, Record<string, ParamSpec>>;

/**
 * The 11 route names, in the server's order (the keys of {@link ROUTE_PARAMS}).
 */
export const ROUTE_NAMES: readonly Route[] = Object.keys(ROUTE_PARAMS) as Route[];

/**
 * Whether `name` is one of the 11 routes.
 */
export function isRoute(name: string): name is Route {
  return Object.hasOwn(ROUTE_PARAMS, name);
}
