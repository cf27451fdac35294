/** Test data shared by the API, service and browser tests; imports nothing, so Playwright specs may use it too. */

/**
 * A rule's create input admitting `subject` from an issuer as a service account: scope
 * workspace:developer in the default workspace, unless `extra` says otherwise.
 */
export function ruleInput(name: string, issuerId: string, serviceAccountId: string, subject: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    issuer_id: issuerId,
    match: { subject_prefix: subject },
    target: { type: "service_account", service_account_id: serviceAccountId },
    oauth_scope: "workspace:developer",
    workspace_id: "default",
    ...extra,
  };
}
