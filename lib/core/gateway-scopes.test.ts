import { describe, expect, it } from "vitest";
import { API_KEY_SCOPES, gatewayPathProblem, pathFamily, scopesAllow } from "./gateway-scopes";

const scopes = (...s: string[]) => new Set(s);

/** Every scope against every family: [path, family, inference, developer, manage_tunnels, org:admin]. */
const TABLE: Array<[string, string, boolean, boolean, boolean, boolean]> = [
  ["/v1/messages", "messages", true, true, false, false],
  ["/v1/messages/count_tokens", "messages.count_tokens", true, true, false, false],
  ["/v1/models", "models", true, true, false, false],
  ["/v1/models/claude-sonnet-4-5", "models", true, true, false, false],
  ["/v1/messages/batches", "messages.batches", false, true, false, false],
  ["/v1/messages/batches/msgbatch_1/results", "messages.batches", false, true, false, false],
  ["/v1/files", "files", false, true, false, false],
  ["/v1/files/file_1/content", "files", false, true, false, false],
  ["/v1/skills", "skills", false, true, false, false],
  ["/v1/agents", "agents", false, true, false, false],
  ["/v1/sessions/s_1/events", "sessions", false, true, false, false],
  ["/v1/environments", "environments", false, true, false, false],
  ["/v1/vaults", "vaults", false, true, false, false],
  ["/v1/memory_stores", "memory_stores", false, true, false, false],
  ["/v1/deployments", "deployments", false, true, false, false],
  ["/v1/tunnels", "tunnels", false, true, true, false],
  ["/v1/tunnels/tun_1", "tunnels", false, true, true, false],
  // An endpoint that does not exist yet: a workspace endpoint, developer only.
  ["/v1/brand_new_family/x", "brand_new_family", false, true, false, false],
  ["/v1/organizations/me", "organizations", false, false, false, true],
];

describe("scope table", () => {
  it.each(TABLE)("%s is %s", (path, family, inference, developer, tunnels, admin) => {
    expect(pathFamily(path)).toBe(family);
    expect(scopesAllow(scopes("workspace:inference"), path)).toBe(inference);
    expect(scopesAllow(scopes("workspace:developer"), path)).toBe(developer);
    expect(scopesAllow(scopes("workspace:manage_tunnels"), path)).toBe(tunnels);
    expect(scopesAllow(scopes("org:admin"), path)).toBe(admin);
    // API keys act as workspace:developer in their workspace.
    expect(scopesAllow(API_KEY_SCOPES, path)).toBe(developer);
  });

  it("allows a path when any one of several scopes admits it", () => {
    expect(scopesAllow(scopes("workspace:inference", "workspace:manage_tunnels"), "/v1/tunnels")).toBe(true);
    expect(scopesAllow(scopes(), "/v1/messages")).toBe(false);
  });
});

describe("gateway paths", () => {
  it.each([
    ["/v1/models/../messages/batches", "dot segments"],
    ["/v1/models/%2e%2e/messages/batches", "encoded dot"],
    ["/v1/models/x%2Fy", "encoded slash"],
    ["/v1/models/x%5cy", "encoded backslash"],
    ["/v1//messages", "empty segment"],
    ["/v1/messages/.", "dot segment at the end"],
    ["/v1/mess ages", "a space"],
    ["/v1/messages\\batches", "a backslash"],
    ["/v2/messages", "another version"],
  ])("refuses %s (%s)", (path) => {
    expect(gatewayPathProblem(path)).toBeDefined();
  });

  it.each(["/v1/messages", "/v1/models/claude-3-5-haiku@20241022", "/v1/files/file_011CNha8iCJcU1wXNR6q4V8w/content", "/v1/skills/s_1/versions/2"])("accepts %s", (path) => {
    expect(gatewayPathProblem(path)).toBeUndefined();
  });
});
