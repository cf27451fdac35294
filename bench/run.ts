/** `npm run bench [-- token|gateway|signin]`: the token endpoint bench, then the gateway bench (or one of them, or the sign-in flood). */
const which = process.argv[2];
if (which !== undefined && which !== "token" && which !== "gateway" && which !== "signin") {
  console.error("usage: npm run bench [-- token|gateway|signin]");
  process.exit(2);
}
if (which === "signin") await import("./sign-in-flood");
if (which === undefined || which === "token") await import("./token-endpoint");
if (which === undefined || which === "gateway") await import("./gateway");
export {};
