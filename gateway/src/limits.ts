import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { ServerResponse } from "node:http";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLArmorRejectCallback } from "@escape.tech/graphql-armor-types";
import { GraphQLError, Kind, visit, type DocumentNode, type ValidationContext, type ValueNode } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { numberSetting } from "../../shared/src/config";
import { sendError } from "../../shared/src/http";
import { ErrorCode, formatErrorForClients } from "../../shared/src/errors";
import { logError, scrubIdNumbers, serviceLogger } from "../../shared/src/log";
import { checkIdPageSize, checkPageSize, ID_FEED_FIELDS, isServiceCaller } from "../../shared/src/pagination";

/**
 * What a caller may send to the gateway. Every limit is checked while parsing or validating the document
 * (or, for page sizes given in variables, once the operation is resolved), so a refused request never
 * reaches a department. Messages name the limit that was hit, never its value.
 */
export interface GatewayLimits {
  /** Deepest selection (a field inside a field inside ...), fragments counted where they are spread. */
  maxDepth: number;
  /** Aliased fields per operation. */
  maxAliases: number;
  /** Directives per operation. */
  maxDirectives: number;
  /**
   * graphql-armor's cost: objects 2, scalars 1, times 1.5 per level of depth, a list times its literal
   * `first`. A page of 200 people with the playground's four-department profile costs about 43,000.
   */
  maxCost: number;
  /** Lexical tokens per document (graphql-js parseOptions.maxTokens: the parser stops there). */
  maxTokens: number;
  /** Errors in one response; more are dropped and counted in `extensions.omittedErrors`. */
  maxErrors: number;
  /** NODE_ENV=production: introspection refused and "Did you mean ...?" suggestions removed. */
  production: boolean;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxCost: 50000,
  maxTokens: 2000,
  maxErrors: 5,
  production: false,
};

export function gatewayLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayLimits {
  const d = DEFAULT_GATEWAY_LIMITS;
  return {
    maxDepth: numberSetting("GRAPHQL_MAX_DEPTH", d.maxDepth, env),
    maxAliases: numberSetting("GRAPHQL_MAX_ALIASES", d.maxAliases, env),
    maxDirectives: numberSetting("GRAPHQL_MAX_DIRECTIVES", d.maxDirectives, env),
    maxCost: numberSetting("GRAPHQL_MAX_COST", d.maxCost, env),
    maxTokens: numberSetting("GRAPHQL_MAX_TOKENS", d.maxTokens, env),
    maxErrors: numberSetting("GRAPHQL_MAX_ERRORS", d.maxErrors, env),
    production: env.NODE_ENV === "production",
  };
}

/** Codes of the limits, part of the public contract like the others in shared/src/errors.ts. */
export const LimitCode = {
  QUERY_TOO_DEEP: ErrorCode.QUERY_TOO_DEEP,
  TOO_MANY_ALIASES: ErrorCode.TOO_MANY_ALIASES,
  TOO_MANY_DIRECTIVES: ErrorCode.TOO_MANY_DIRECTIVES,
  QUERY_TOO_COMPLEX: ErrorCode.QUERY_TOO_COMPLEX,
  TOO_MANY_TOKENS: ErrorCode.TOO_MANY_TOKENS,
} as const;
type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

const LIMIT_MESSAGES: Record<LimitCode, string> = {
  QUERY_TOO_DEEP: "查询嵌套层数过多 (the query is nested too deeply)",
  TOO_MANY_ALIASES: "查询使用的别名过多 (the query uses too many aliases)",
  TOO_MANY_DIRECTIVES: "查询使用的指令过多 (the query uses too many directives)",
  QUERY_TOO_COMPLEX: "查询过于复杂 (the query is too complex: ask for fewer fields or split it)",
  TOO_MANY_TOKENS: "查询文本过长 (the query document is too long)",
};

function limitError(code: LimitCode): GraphQLError {
  return new GraphQLError(LIMIT_MESSAGES[code], { extensions: { code, http: { status: 400 } } });
}

/** Reports armor's rejection as our own coded error (armor's own is BAD_USER_INPUT for all of them). */
function reject(code: LimitCode): GraphQLArmorRejectCallback {
  return (context: ValidationContext | null) => context?.reportError(limitError(code));
}

/**
 * ApolloServer options for the limits: graphql-armor's depth, alias, directive and cost rules (not its
 * token plugin, which answers 500; graphql-js counts tokens instead), no HTTP batching, no stack traces,
 * introspection and suggestions off in production.
 */
export function limitOptions(limits: GatewayLimits): Pick<
  ApolloServerOptions<BaseContext>,
  "plugins" | "validationRules" | "allowBatchedHttpRequests" | "includeStacktraceInErrorResponses" | "introspection" | "parseOptions" | "validationOptions"
> {
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, exposeLimits: false, propagateOnRejection: false, onReject: [reject(LimitCode.QUERY_TOO_DEEP)] },
    maxAliases: { n: limits.maxAliases, exposeLimits: false, propagateOnRejection: false, onReject: [reject(LimitCode.TOO_MANY_ALIASES)] },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: false, propagateOnRejection: false, onReject: [reject(LimitCode.TOO_MANY_DIRECTIVES)] },
    costLimit: { maxCost: limits.maxCost, exposeLimits: false, propagateOnRejection: false, onReject: [reject(LimitCode.QUERY_TOO_COMPLEX)] },
    blockFieldSuggestion: { enabled: limits.production, mask: "" },
  }).protect();
  return {
    ...armor,
    introspection: !limits.production,
    parseOptions: { maxTokens: limits.maxTokens },
    // graphql-js stops after maxErrors and adds one "too many errors" entry; the plugin trims the rest.
    validationOptions: { maxErrors: limits.maxErrors, hideSuggestions: limits.production },
  };
}

/**
 * `first` above the page cap (MAX_PAGE_SIZE; SERVICE_MAX_PAGE_SIZE for a department's signed service
 * identity; SERVICE_MAX_ID_PAGE_SIZE for a service reading a feed of ids only) is refused here, as a literal or through a variable, before the query is planned: the
 * departments would refuse it too, but only after the gateway had called them.
 */
export function pageSizeViolation(document: DocumentNode, variables: Record<string, unknown> | undefined, caller: Caller | undefined): GraphQLError | null {
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
    return undefined;
  };
  for (const { field, value: node } of firstArguments(document)) {
    const value = valueOf(node);
    if (typeof value !== "number") continue; // null/absent: the default page; other types fail coercion
    try {
      if (ID_FEED_FIELDS.has(field) && isServiceCaller(caller)) checkIdPageSize(value, "first");
      else checkPageSize(value, "first", caller);
    } catch (error) {
      const refused = error as GraphQLError;
      return new GraphQLError(refused.message, { extensions: { ...refused.extensions, http: { status: 400 } } });
    }
  }
  return null;
}

/**
 * Every `first` argument of a document, in document order, with its field. Apollo hands the same parsed
 * document to every request that sends the same text, so it is collected once per document, not per request.
 */
const firstArgumentsOf = new WeakMap<DocumentNode, { field: string; value: ValueNode }[]>();

function firstArguments(document: DocumentNode): { field: string; value: ValueNode }[] {
  let found = firstArgumentsOf.get(document);
  if (!found) {
    const list: { field: string; value: ValueNode }[] = [];
    visit(document, {
      Field(field) {
        for (const argument of field.arguments ?? []) if (argument.name.value === "first") list.push({ field: field.name.value, value: argument.value });
      },
    });
    firstArgumentsOf.set(document, (found = list));
  }
  return found;
}

export function limitsPlugin(limits: GatewayLimits): ApolloServerPlugin<{ caller: Caller }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, contextValue, operation }) {
          // The gateway's executor has no answer of its own for a missing operation (Apollo would say 500).
          if (!operation) throw operationNotFound(request.operationName);
          const violation = pageSizeViolation(document, request.variables, contextValue.caller);
          if (violation) throw violation;
        },
        // A literal `first` far beyond the cap also makes the document too costly, which validation finds
        // first: name the argument too, ahead of the other errors.
        async didEncounterErrors({ document, request, contextValue, errors }) {
          if (!document || errors.some((error) => error.extensions?.field === "first")) return;
          const violation = pageSizeViolation(document, request.variables, contextValue?.caller);
          if (violation) (errors as GraphQLError[]).unshift(violation);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (!errors || errors.length <= limits.maxErrors) return;
          response.body.singleResult.errors = errors.slice(0, limits.maxErrors);
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, omittedErrors: errors.length - limits.maxErrors };
        },
      };
    },
  };
}

/**
 * HTTP batching is off (ApolloArmor sets allowBatchedHttpRequests: false; Apollo would answer a JSON array
 * with a generic BAD_REQUEST): one operation per request, so every limit above holds per request. Answers a
 * batch (a JSON array) with BATCHING_NOT_SUPPORTED and says so.
 */
export function refuseBatch(body: unknown, res: ServerResponse): boolean {
  if (!Array.isArray(body)) return false;
  sendError(res, 400, ErrorCode.BATCHING_NOT_SUPPORTED, "不支持批量请求，请逐个发送操作 (batched requests are not supported: send one operation per request)");
  return true;
}

function operationNotFound(name: string | undefined): GraphQLError {
  return new GraphQLError(
    name ? `文档中没有名为 ${name} 的操作 (the document has no operation named ${name})` : "文档含多个操作，须指定 operationName (the document has several operations: give operationName)",
    { extensions: { code: "OPERATION_RESOLUTION_FAILURE", http: { status: 400 } } },
  );
}

// graphql-js 16 spells it "more that N tokens".
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/**
 * The gateway's formatError: the limits' own codes (Apollo files every validation error under
 * GRAPHQL_VALIDATION_FAILED and a token overflow under GRAPHQL_PARSE_FAILED, with the limit's value in the
 * message), then the platform's rules (shared/src/errors.ts), then ID numbers masked, including those a
 * caller wrote into a document that graphql-js quotes back. In production every "Did you mean ...?" goes,
 * also the enum and input-field ones graphql-js writes while coercing variables (armor's mask only knows
 * the `Did you mean "x"` form).
 */
export function gatewayErrorFormatter(limits: GatewayLimits) {
  return (
    formatted: { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[]; locations?: readonly unknown[] },
    original: unknown,
  ) => {
    let input = formatted;
    const inner = (original as { originalError?: unknown } | null)?.originalError;
    const innerCode = inner instanceof GraphQLError ? inner.extensions?.code : undefined;
    if (formatted.extensions?.code === "GRAPHQL_VALIDATION_FAILED" && typeof innerCode === "string" && innerCode in LIMIT_MESSAGES) {
      input = { ...formatted, message: LIMIT_MESSAGES[innerCode as LimitCode], extensions: { ...formatted.extensions, code: innerCode } };
    } else if (formatted.extensions?.code === "GRAPHQL_VALIDATION_FAILED" && formatted.message === "Validation aborted.") {
      // graphql-js's own work budget (many overlapping fields or fragments) gave up on the document.
      input = { message: LIMIT_MESSAGES.QUERY_TOO_COMPLEX, extensions: { code: LimitCode.QUERY_TOO_COMPLEX } };
    } else if (formatted.extensions?.code === "GRAPHQL_PARSE_FAILED" && TOKEN_LIMIT.test(formatted.message)) {
      input = { message: LIMIT_MESSAGES.TOO_MANY_TOKENS, extensions: { code: LimitCode.TOO_MANY_TOKENS } };
    } else if (formatted.message === "provided sha does not match query" && original instanceof GraphQLError && !original.originalError) {
      input = { message: "persistedQuery 的 sha256Hash 与查询文本不符 (the persisted query's sha256Hash does not match the query)", extensions: { code: "BAD_REQUEST" } };
    }
    const result = formatErrorForClients(input, original, logScrubbed);
    let message = scrubIdNumbers(result.message);
    if (limits.production) message = message.replace(SUGGESTION, "");
    return { ...result, message };
  };
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** What the gateway prints: one line, ID numbers masked, never a stack trace nor a driver's text (shared/src/log.ts). */
export function logScrubbed(message: string, error?: unknown): void {
  logError("gateway", message, error);
}

/** Apollo Server's and the gateway's logger: the same scrubbing for what the libraries print. */
export const scrubbingLogger = serviceLogger("gateway");
