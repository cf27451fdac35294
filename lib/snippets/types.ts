/** What the snippet generators take and give: plain data, safe to hand to a client component. */

import type { ProviderId } from "../providers/preset";

export type { ProviderId };

/** Everything a workload needs to federate through one rule. Values are used verbatim and escaped per language. */
export interface SnippetInput {
  provider: ProviderId;
  /** This server's public URL. */
  baseUrl: string;
  /** The organization's UUID. */
  organizationId: string;
  /** `svac_…` */
  serviceAccountId: string;
  /** `fdrl_…` */
  ruleId: string;
  /** `wrkspc_…`; omitted from the snippets when null or absent. */
  workspaceId?: string | null;
  /** The audience the workload must request its identity token with. */
  audience: string;
  /** The rule's `oauth_scope`, shown for information. */
  scope?: string;
  /** The GitHub trigger the rule's subject expects. */
  github?: { branch?: string; tag?: string; environment?: string; pullRequests?: boolean };
  /** The GitLab ref the rule's subject expects. */
  gitlab?: { refType?: "branch" | "tag"; ref?: string };
  /** The service account whose projected token the rule's subject expects. */
  kubernetes?: { namespace: string; serviceAccount: string };
}

export type SnippetLanguage = "yaml" | "bash" | "python" | "typescript" | "go" | "java" | "csharp" | "ruby" | "php" | "dotenv" | "json";

/** One generated file or code sample. */
export interface Snippet {
  /** Stable within one `buildSnippets` result; used for tab ids. */
  id: string;
  label: string;
  language: SnippetLanguage;
  /** Where the file goes in the user's repository, when it is a file of its own (enables Download). */
  filename?: string;
  code: string;
  /** Plain text shown above the code. */
  description?: string;
  /** A second block in the same tab, another way to say the same (the shell lines beside a settings file). */
  companion?: { label: string; language: SnippetLanguage; code: string; description?: string };
}

/** The single result the console renders. */
export interface SnippetSet {
  /** Provider-specific files: a workflow, a CI job, a pod spec, or a note on fetching the token. */
  files: Snippet[];
  /** Client code, one per SDK, plus the CLI and raw cURL. */
  sdk: Snippet[];
  /** The environment variables the SDKs read. */
  env: Snippet;
  /** Shown with every snippet while the base URL is one a workload elsewhere cannot reach. */
  warning: string | null;
}
