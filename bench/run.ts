/** `npm run bench [-- token|gateway|signin|retention]`: the token endpoint bench, then the gateway bench (or one of them; the sign-in flood and retention only when named). */
const which = process.argv[2];
if (which !== undefined && which !== "token" && which !== "gateway" && which !== "signin" && which !== "retention") {
  console.error("usage: npm run bench [-- token|gateway|signin|retention]");
  process.exit(2);
}
if (which === "signin") await import("./sign-in-flood");
if (which === "retention") await import("./retention");
if (which === undefined || which === "token") await import("./token-endpoint");
if (which === undefined || which === "gateway") await import("./gateway");
export {};
