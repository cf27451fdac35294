/**
 * Client code for each official SDK, the ant CLI and raw cURL. The SDKs take federation from
 * the environment (envSnippet), so this code holds no IDs: nothing here needs escaping, and one
 * sample fits every rule. Each one refuses to run with a leftover API key or auth token, which
 * would silently win over federation (docs/providers.md, pitfall 13).
 * @see docs/behaviour.md#client-behaviour
 */
import type { Snippet, SnippetInput } from "./types";

const OVERRIDING_VARIABLES = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"] as const;
const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** What the SDKs send on the exchange. */
const EXCHANGE_BETA = "oauth-2025-04-20,oidc-federation-2026-04-01";

const python = `import os

import anthropic

for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
    if name in os.environ:
        raise SystemExit(f"Unset {name}: it wins over workload identity federation")

# Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
client = anthropic.Anthropic()

organization = client.beta.organization.retrieve()
print(f"id: {organization.id}")
print(f"name: {organization.name}")
`;

/** Also valid JavaScript (an ES module), so the same text runs under plain Node. */
const typescript = `import Anthropic from "@anthropic-ai/sdk";

for (const name of ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"]) {
  if (name in process.env) throw new Error(\`Unset \${name}: it wins over workload identity federation\`);
}

// Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
const client = new Anthropic();

const organization = await client.beta.organization.retrieve();
console.log(\`id: \${organization.id}\`);
console.log(\`name: \${organization.name}\`);
`;

const go = `package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/anthropics/anthropic-sdk-go"
)

func main() {
	for _, name := range []string{"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"} {
		if _, set := os.LookupEnv(name); set {
			log.Fatalf("Unset %s: it wins over workload identity federation", name)
		}
	}

	// Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
	client := anthropic.NewClient()

	organization, err := client.Beta.Organization.Get(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("id: %s\\n", organization.ID)
	fmt.Printf("name: %s\\n", organization.Name)
}
`;

const java = `import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;

public class Main {
    public static void main(String[] args) {
        for (String name : new String[] {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"}) {
            if (System.getenv(name) != null) {
                throw new IllegalStateException("Unset " + name + ": it wins over workload identity federation");
            }
        }

        // Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
        AnthropicClient client = AnthropicOkHttpClient.fromEnv();

        var organization = client.beta().organization().retrieve();
        System.out.println("id: " + organization.id());
        System.out.println("name: " + organization.name());
    }
}
`;

const csharp = `using Anthropic;

foreach (var name in new[] { "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN" })
{
    if (Environment.GetEnvironmentVariable(name) is not null)
    {
        throw new InvalidOperationException($"Unset {name}: it wins over workload identity federation");
    }
}

// Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
AnthropicClient client = new();

var organization = await client.Beta.Organization.Retrieve();
Console.WriteLine($"id: {organization.ID}");
Console.WriteLine($"name: {organization.Name}");
`;

const ruby = `require "anthropic"

%w[ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN].each do |name|
  abort("Unset #{name}: it wins over workload identity federation") if ENV.key?(name)
end

# Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
client = Anthropic::Client.new

organization = client.beta.organization.retrieve
puts "id: #{organization.id}"
puts "name: #{organization.name}"
`;

const php = `<?php

require __DIR__ . '/vendor/autoload.php';

use Anthropic\\Client;

foreach (['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as $name) {
    if (getenv($name) !== false) {
        fwrite(STDERR, "Unset {$name}: it wins over workload identity federation\\n");
        exit(1);
    }
}

// Reads the ANTHROPIC_* federation variables and exchanges the identity token on first use.
$client = new Client();

$organization = $client->beta->organization->retrieve();
echo "id: {$organization->id}\\n";
echo "name: {$organization->name}\\n";
`;

const cli = `unset ${OVERRIDING_VARIABLES.join(" ")}  # either one wins over federation

# ant reads the ANTHROPIC_* federation variables and exchanges the identity token itself.
ant beta:organization retrieve
`;

/**
 * A raw exchange and one API call with curl and jq, reading the same variables as the SDKs.
 * Also the last step of the generated CI jobs.
 */
export function curlExchangeScript(input: Pick<SnippetInput, "workspaceId">): string {
  const fields = ["federation_rule_id", "organization_id", "service_account_id", ...(input.workspaceId ? ["workspace_id"] : [])];
  const args = fields.map((field) => `    --arg ${field} "$ANTHROPIC_${field.toUpperCase()}" \\`);
  const body = [
    "{",
    `      grant_type: "${GRANT_TYPE}",`,
    `      assertion: ($assertion | rtrimstr("\\n")),`,
    `      ${fields.map((f) => `$${f}`).join(", ")}`,
    "    }",
  ].join("\n");
  return `set -euo pipefail

# Exchange the identity token for a short-lived access token (RFC 7523 jwt-bearer grant).
ACCESS_TOKEN=$(
  jq -n \\
    --rawfile assertion "$ANTHROPIC_IDENTITY_TOKEN_FILE" \\
${args.join("\n")}
    '${body}' |
    curl -fsS "$ANTHROPIC_BASE_URL/v1/oauth/token" \\
      -H "content-type: application/json" \\
      -H "anthropic-beta: ${EXCHANGE_BETA}" \\
      --data-binary @- |
    jq -er .access_token
)

# Call the API with it: the organization the token acts in.
curl -fsS "$ANTHROPIC_BASE_URL/v1/organizations/me" \\
  -H "authorization: Bearer $ACCESS_TOKEN" \\
  -H "anthropic-version: 2023-06-01"
`;
}

/** The TypeScript sample's text, for the CI jobs that run it. */
export const TYPESCRIPT_SAMPLE = typescript;

const SHARED_NOTE = "Reads the environment block; no IDs in the code.";

export function sdkSnippets(input: SnippetInput): Snippet[] {
  return [
    { id: "python", label: "Python", language: "python", code: python, description: `pip install anthropic. ${SHARED_NOTE}` },
    { id: "typescript", label: "TypeScript", language: "typescript", code: typescript, description: `npm install @anthropic-ai/sdk. ${SHARED_NOTE}` },
    { id: "go", label: "Go", language: "go", code: go, description: `go get github.com/anthropics/anthropic-sdk-go. ${SHARED_NOTE}` },
    { id: "java", label: "Java", language: "java", code: java, description: `Maven/Gradle: com.anthropic:anthropic-java. ${SHARED_NOTE}` },
    { id: "csharp", label: "C#", language: "csharp", code: csharp, description: `dotnet add package Anthropic. ${SHARED_NOTE}` },
    { id: "ruby", label: "Ruby", language: "ruby", code: ruby, description: `gem install anthropic. ${SHARED_NOTE}` },
    { id: "php", label: "PHP", language: "php", code: php, description: `composer require anthropic-ai/sdk. ${SHARED_NOTE}` },
    { id: "cli", label: "CLI", language: "bash", code: cli, description: `The ant CLI. ${SHARED_NOTE}` },
    {
      id: "curl",
      label: "cURL",
      language: "bash",
      code: curlExchangeScript(input),
      description: "The raw exchange at POST /v1/oauth/token, then one API call with the access token. Needs curl and jq; reads the environment block.",
    },
  ];
}
