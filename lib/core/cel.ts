/**
 * Rule conditions in CEL over the single variable `claims`.
 * @see docs/behaviour.md#rule-match: must evaluate to a boolean; a constant-true expression
 * is rejected at create time.
 *
 * JSON numbers in claims are JS numbers; the library compares them with CEL ints and
 * doubles by value (`claims.run_attempt == 2` works), and strings never equal numbers.
 */
import { Environment, serialize } from "@marcbachmann/cel-js";
import type { Claims } from "./types";

export const MAX_CONDITION_LENGTH = 4096;

export interface CompiledCondition {
  evaluate(claims: Claims): { ok: true; value: boolean } | { ok: false; message: string };
}

type Ast = { op: string; args: unknown };
type Parsed = ((ctx?: Record<string, unknown>) => unknown) & { ast: Ast; check(): { valid: boolean; type?: string; error?: Error } };

const env = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 64, maxListElements: 500, maxMapEntries: 200, maxCallArguments: 16 } }).registerVariable(
  "claims",
  "map",
);
/** An environment without `claims`, to evaluate sub-expressions that do not mention it. */
const constantEnv = new Environment();

const cache = new Map<string, { ok: true; program: CompiledCondition } | { ok: false; message: string }>();
const CACHE_LIMIT = 500;

/** The library's first message line, without its source excerpt. */
const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0]!.trim();

function isAst(v: unknown): v is Ast {
  return v !== null && typeof v === "object" && "op" in v;
}

function mentionsClaims(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsClaims);
  if (!isAst(node)) return false;
  if (node.op === "id" && node.args === "claims") return true;
  return mentionsClaims(node.args);
}

/**
 * Whether the expression calls `matches()`. The library runs it on JavaScript's backtracking
 * RegExp, so a pattern such as `^(a+)+$` (or one read from the claims) lets a token's claim
 * value block the process: refused until a linear-time (RE2) engine backs it.
 */
function callsMatches(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsMatches);
  if (!isAst(node)) return false;
  if ((node.op === "call" || node.op === "rcall") && Array.isArray(node.args) && node.args[0] === "matches") return true;
  return callsMatches(node.args);
}

/**
 * Whether the expression is true whatever the claims: a sub-expression that does not mention
 * `claims` and evaluates to true, reached through `||` (any side) or `&&` (every side).
 */
function isConstantTrue(node: Ast): boolean {
  if (node.op === "||" && Array.isArray(node.args)) return node.args.some((a) => isAst(a) && isConstantTrue(a));
  if (node.op === "&&" && Array.isArray(node.args)) return node.args.every((a) => isAst(a) && isConstantTrue(a));
  if (mentionsClaims(node)) return false;
  try {
    return constantEnv.evaluate(serialize(node as never)) === true;
  } catch {
    return false;
  }
}

function compile(expression: string): { ok: true; program: CompiledCondition } | { ok: false; message: string } {
  if (expression.length > MAX_CONDITION_LENGTH) return { ok: false, message: `condition: must be at most ${MAX_CONDITION_LENGTH} characters` };
  let parsed: Parsed;
  try {
    parsed = env.parse(expression) as unknown as Parsed;
  } catch (err) {
    return { ok: false, message: `condition: ${firstLine(err)}` };
  }
  if (callsMatches(parsed.ast)) {
    return { ok: false, message: "condition: matches() is not supported (regular expressions could stall the server); use startsWith, endsWith, contains, == or in" };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, message: `condition: ${firstLine(checked.error)}; only the variable claims is available` };
  if (checked.type !== "bool" && checked.type !== "dyn") return { ok: false, message: `condition: must evaluate to a boolean, got ${checked.type}` };
  if (isConstantTrue(parsed.ast)) return { ok: false, message: "condition: is always true; it would admit every token from the issuer" };
  return {
    ok: true,
    program: {
      evaluate(claims) {
        try {
          const value = parsed({ claims });
          if (typeof value !== "boolean") return { ok: false, message: `condition evaluated to ${typeof value === "bigint" ? "int" : typeof value}, not a boolean` };
          return { ok: true, value };
        } catch (err) {
          return { ok: false, message: firstLine(err) };
        }
      },
    },
  };
}

/** `claims.name` or `claims["name"]`: the top-level claim a node reads, if that is all it is. */
function claimName(node: unknown): string | undefined {
  if (!isAst(node) || !Array.isArray(node.args)) return undefined;
  const [object, key] = node.args as [unknown, unknown];
  if (!isAst(object) || object.op !== "id" || object.args !== "claims") return undefined;
  if (node.op === ".") return typeof key === "string" ? key : undefined;
  if (node.op === "[]" && isAst(key) && key.op === "value" && typeof key.args === "string") return key.args;
  return undefined;
}

const isPinValue = (node: unknown) => isAst(node) && node.op === "value" && node.args !== "" && (typeof node.args === "string" || typeof node.args === "bigint");

/**
 * The top-level claims a condition requires to equal fixed values: `claims.x == "v"` (either
 * side, dot or index) or `claims.x in ["v", …]`, reached only through `&&`. A claim that is
 * merely mentioned (`has(claims.x)`, `claims.x != "v"`, under `||`) is not pinned.
 */
export function pinnedClaims(expression: string): Set<string> {
  const pinned = new Set<string>();
  let ast: Ast;
  try {
    ast = (env.parse(expression) as unknown as Parsed).ast;
  } catch {
    return pinned;
  }
  const visit = (node: unknown) => {
    if (!isAst(node) || !Array.isArray(node.args)) return;
    const [left, right] = node.args as [unknown, unknown];
    if (node.op === "&&") node.args.forEach(visit);
    else if (node.op === "==") {
      const name = (isPinValue(right) && claimName(left)) || (isPinValue(left) && claimName(right));
      if (name) pinned.add(name);
    } else if (node.op === "in" && isAst(right) && right.op === "list" && Array.isArray(right.args) && right.args.length > 0 && right.args.every(isPinValue)) {
      const name = claimName(left);
      if (name) pinned.add(name);
    }
  };
  visit(ast);
  return pinned;
}

/** Parse, check and cache a condition. Never throws. */
export function compileCondition(expression: string): { ok: true; program: CompiledCondition } | { ok: false; message: string } {
  let hit = cache.get(expression);
  if (!hit) {
    hit = compile(expression);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(expression, hit);
  }
  return hit;
}
