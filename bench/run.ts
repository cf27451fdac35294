/** `npm run bench [-- token|gateway|retention]`: the token endpoint bench, then the gateway bench (or one of them; retention only when named). */
const which = process.argv[2];
if (which !== undefined && which !== "token" && which !== "gateway" && which !== "retention") {
  console.error("usage: npm run bench [-- token|gateway|retention]");
  process.exit(2);
}
if (which === "retention") await import("./retention");
if (which === undefined || which === "token") await import("./token-endpoint");
if (which === undefined || which === "gateway") await import("./gateway");
export {};
