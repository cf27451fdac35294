/** `npm run bench [-- token|gateway]`: the token endpoint bench, then the gateway bench (or one of them). */
const which = process.argv[2];
if (which !== undefined && which !== "token" && which !== "gateway") {
  console.error("usage: npm run bench [-- token|gateway]");
  process.exit(2);
}
if (which === undefined || which === "token") await import("./token-endpoint");
if (which === undefined || which === "gateway") await import("./gateway");
export {};
