/**
 * Modules that touch the database or keys import "server-only" so that Next refuses to
 * bundle them into client code. Outside Next (this custom server, the CLI) that marker
 * package throws on import; this resolve hook makes it the empty module it is in
 * Next's server bundles.
 */
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
