/**
 * The OpenAPI 3.1 document served at `GET /v1/openapi.json`, generated from the zod schemas
 * that validate requests (lib/schemas) and shape replies (lib/schemas/responses.ts) — never
 * written by hand, so it cannot drift from what the server accepts and answers.
 * @see docs/behaviour.md#openapi
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { listQuery } from "../schemas/common";
import { organizationConfig } from "../schemas/config";
import { issuerCreate, issuerUpdate } from "../schemas/issuers";
import { ruleCreate, ruleUpdate, ruleWorkspaceAdd } from "../schemas/rules";
import { serviceAccountCreate, serviceAccountUpdate, serviceAccountWorkspaceAdd, workspaceServiceAccountAdd, workspaceServiceAccountUpdate } from "../schemas/service-accounts";
import { apiKeyCreate, apiKeyUpdate, workspaceCreate, workspaceUpdate } from "../schemas/workspaces";
import {
  apiKeyResponse,
  configPlanResponse,
  errorResponse,
  issuerResponse,
  organizationResponse,
  pageOf,
  ruleResponse,
  ruleWorkspaceDeleted,
  ruleWorkspaceResponse,
  serviceAccountResponse,
  serviceAccountWorkspaceMemberDeleted,
  serviceAccountWorkspaceMemberResponse,
  tokenResponse,
  workspaceResponse,
} from "../schemas/responses";
import { tokenRequest } from "./token-endpoint";

/** The schemas named in `components.schemas` (`.meta({ id })` copies; validation is unchanged). */
const named = <T extends z.ZodType>(id: string, schema: T): T => schema.meta({ id }) as T;

const ERROR = named("Error", errorResponse);
const errors = {
  400: { description: "Invalid request; the message starts with the field", content: { "application/json": { schema: ERROR } } },
  401: { description: "Missing or invalid credentials", content: { "application/json": { schema: ERROR } } },
  403: { description: "The credential may not do this", content: { "application/json": { schema: ERROR } } },
  404: { description: "Not found in this organization", content: { "application/json": { schema: ERROR } } },
  409: { description: "A live resource already has this name", content: { "application/json": { schema: ERROR } } },
};

const json = <T extends z.ZodType>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const idParam = (name: string, description: string) => z.object({ [name]: z.string().meta({ description }) });

/** An admin key or an org:admin access token, as a bearer token or in x-api-key. */
const SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];

const listParams = listQuery.extend({ include_archived: z.enum(["true", "false"]).optional().meta({ description: "Include archived resources" }) });

interface Resource {
  tag: string;
  path: string;
  /** What the item is called in summaries ("federation issuer"). */
  noun: string;
  response: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  archive: boolean;
}

function registerResource(registry: OpenAPIRegistry, r: Resource): void {
  const id = idParam("id", `The ${r.noun}'s tagged ID`);
  const routes: RouteConfig[] = [
    { method: "get", path: r.path, summary: `List ${r.noun}s, newest first`, request: { query: listParams }, responses: { 200: json(pageOf(r.response)), 401: errors[401], 403: errors[403] } },
    { method: "post", path: r.path, summary: `Create a ${r.noun}`, request: body(r.create), responses: { 200: json(r.response), 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] } },
    { method: "get", path: `${r.path}/{id}`, summary: `Retrieve a ${r.noun}`, request: { params: id }, responses: { 200: json(r.response), 401: errors[401], 404: errors[404] } },
    {
      method: "post",
      path: `${r.path}/{id}`,
      summary: `Update a ${r.noun} (partial)`,
      request: { params: id, ...body(r.update) },
      responses: { 200: json(r.response), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
    },
  ];
  if (r.archive) {
    routes.push({ method: "post", path: `${r.path}/{id}/archive`, summary: `Archive a ${r.noun}`, request: { params: id }, responses: { 200: json(r.response), 400: errors[400], 401: errors[401], 404: errors[404] } });
  }
  for (const route of routes) registry.registerPath({ ...route, tags: [r.tag], security: SECURITY });
}

function buildDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "Admin key (sk-ant-admin01-…), or an access token with org:admin" });
  registry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "x-api-key" });
  const secured = { security: SECURITY };

  registry.registerPath({
    method: "post",
    path: "/v1/oauth/token",
    tags: ["OAuth"],
    summary: "Exchange a workload's identity token for an access token (RFC 7523 jwt-bearer grant)",
    description: "Send `anthropic-beta: oauth-2025-04-20,oidc-federation-2026-04-01`. Every refusal but a malformed request is `401 Authentication failed`; the reason is in the authentication history.",
    request: {
      body: {
        required: true,
        content: { "application/json": { schema: named("TokenRequest", tokenRequest) }, "application/x-www-form-urlencoded": { schema: tokenRequest } },
      },
    },
    responses: { 200: json(named("TokenResponse", tokenResponse)), 400: errors[400], 401: errors[401], 413: { description: "Body too large", content: { "application/json": { schema: ERROR } } } },
  });

  registry.registerPath({ method: "get", path: "/v1/organizations/me", tags: ["Organization"], summary: "The organization of the calling credential", ...secured, responses: { 200: json(named("Organization", organizationResponse)), 401: errors[401] } });

  const resources: Resource[] = [
    { tag: "Workspaces", path: "/v1/organizations/workspaces", noun: "workspace", response: named("Workspace", workspaceResponse), create: named("WorkspaceCreate", workspaceCreate), update: named("WorkspaceUpdate", workspaceUpdate), archive: true },
    {
      tag: "Service accounts",
      path: "/v1/organizations/service_accounts",
      noun: "service account",
      response: named("ServiceAccount", serviceAccountResponse),
      create: named("ServiceAccountCreate", serviceAccountCreate),
      update: named("ServiceAccountUpdate", serviceAccountUpdate),
      archive: true,
    },
    {
      tag: "Federation issuers",
      path: "/v1/organizations/federation_issuers",
      noun: "federation issuer",
      response: named("FederationIssuer", issuerResponse),
      create: named("FederationIssuerCreate", issuerCreate),
      update: named("FederationIssuerUpdate", issuerUpdate),
      archive: true,
    },
    {
      tag: "Federation rules",
      path: "/v1/organizations/federation_rules",
      noun: "federation rule",
      response: named("FederationRule", ruleResponse),
      create: named("FederationRuleCreate", ruleCreate),
      update: named("FederationRuleUpdate", ruleUpdate),
      archive: true,
    },
    { tag: "API keys", path: "/v1/organizations/api_keys", noun: "API key", response: named("ApiKey", apiKeyResponse), create: named("ApiKeyCreate", apiKeyCreate), update: named("ApiKeyUpdate", apiKeyUpdate), archive: false },
  ];
  for (const r of resources) registerResource(registry, r);

  // Memberships and a rule's workspaces: the sub-resources the SDK calls.
  const member = named("ServiceAccountWorkspaceMember", serviceAccountWorkspaceMemberResponse);
  const memberDeleted = named("ServiceAccountWorkspaceMemberDeleted", serviceAccountWorkspaceMemberDeleted);
  const ruleWorkspace = named("FederationRuleWorkspace", ruleWorkspaceResponse);
  const sub = (method: "get" | "post" | "delete", path: string, tag: string, summary: string, params: z.ZodObject, response: z.ZodType, request?: z.ZodType, query?: z.ZodObject) =>
    registry.registerPath({
      method,
      path,
      tags: [tag],
      summary,
      ...secured,
      request: { params, ...(request ? body(request) : {}), ...(query ? { query } : {}) },
      responses: { 200: json(response), 400: errors[400], 401: errors[401], 404: errors[404] },
    });
  const ws = z.object({ id: z.string().meta({ description: "Workspace ID, or default" }) });
  const wsSa = z.object({ id: z.string().meta({ description: "Workspace ID, or default" }), sa: z.string().meta({ description: "Service account ID" }) });
  const sa = z.object({ id: z.string().meta({ description: "Service account ID" }) });
  const saWs = z.object({ id: z.string().meta({ description: "Service account ID" }), ws: z.string().meta({ description: "Workspace ID, or default" }) });
  const rule = z.object({ id: z.string().meta({ description: "Federation rule ID" }) });
  const ruleWs = z.object({ id: z.string().meta({ description: "Federation rule ID" }), ws: z.string().meta({ description: "Workspace ID, or default" }) });
  sub("get", "/v1/organizations/workspaces/{id}/service_accounts", "Workspaces", "List a workspace's service accounts", ws, pageOf(member), undefined, listQuery);
  sub("post", "/v1/organizations/workspaces/{id}/service_accounts", "Workspaces", "Add a service account to a workspace", ws, member, workspaceServiceAccountAdd);
  sub("get", "/v1/organizations/workspaces/{id}/service_accounts/{sa}", "Workspaces", "Retrieve a membership", wsSa, member);
  sub("post", "/v1/organizations/workspaces/{id}/service_accounts/{sa}", "Workspaces", "Change a member's role", wsSa, member, workspaceServiceAccountUpdate);
  sub("delete", "/v1/organizations/workspaces/{id}/service_accounts/{sa}", "Workspaces", "Remove a service account from a workspace (idempotent)", wsSa, memberDeleted);
  sub("get", "/v1/organizations/service_accounts/{id}/workspaces", "Service accounts", "List a service account's workspaces", sa, pageOf(member), undefined, listQuery);
  sub("post", "/v1/organizations/service_accounts/{id}/workspaces", "Service accounts", "Add a service account to a workspace", sa, member, serviceAccountWorkspaceAdd);
  sub("delete", "/v1/organizations/service_accounts/{id}/workspaces/{ws}", "Service accounts", "Remove a service account from a workspace (idempotent)", saWs, memberDeleted);
  sub("get", "/v1/organizations/federation_rules/{id}/workspaces", "Federation rules", "List the workspaces a rule is enabled for", rule, pageOf(ruleWorkspace), undefined, listQuery);
  sub("post", "/v1/organizations/federation_rules/{id}/workspaces", "Federation rules", "Enable a rule for a workspace", rule, ruleWorkspace, ruleWorkspaceAdd);
  sub("delete", "/v1/organizations/federation_rules/{id}/workspaces/{ws}", "Federation rules", "Disable a rule for a workspace (idempotent)", ruleWs, named("FederationRuleWorkspaceDeleted", ruleWorkspaceDeleted));

  // Configuration as code (self-hosted).
  const configDocument = named("OrganizationConfig", organizationConfig);
  registry.registerPath({
    method: "get",
    path: "/v1/organizations/config",
    tags: ["Configuration as code"],
    summary: "Export the organization's configuration (JSON, or YAML with format=yaml or Accept: application/yaml)",
    ...secured,
    request: { query: z.object({ format: z.enum(["json", "yaml"]).optional() }) },
    responses: { 200: { description: "The configuration document", content: { "application/json": { schema: configDocument }, "application/yaml": { schema: z.string() } } }, 401: errors[401], 403: errors[403] },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/organizations/config",
    tags: ["Configuration as code"],
    summary: "Plan and apply a configuration document in one transaction (dry_run=true plans and rolls back)",
    ...secured,
    request: {
      query: z.object({ dry_run: z.enum(["true", "false"]).optional() }),
      body: { required: true, content: { "application/yaml": { schema: z.string() }, "application/json": { schema: configDocument } } },
    },
    responses: { 200: json(named("OrganizationConfigPlan", configPlanResponse)), 400: errors[400], 401: errors[401], 403: errors[403] },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "WIF Console API",
      version: "1",
      description: "Workload identity federation: the token endpoint and the Admin API resources of the official SDK's beta.organization, plus self-hosted additions.",
    },
    servers: [{ url: "/" }],
  });
}

let cached: ReturnType<typeof buildDocument> | undefined;

/** The document, generated on first use (the schemas do not change while the process runs). */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  cached ??= buildDocument();
  return cached;
}
