"use client";

import { deleteSsoProviderAction } from "@/lib/console/actions/sso";
import { Badge } from "@/components/ui/badge";
import { ConfirmActionButton } from "@/components/ui/dialog";
import type { SsoProviderDto } from "@/lib/schemas/sso";
import { SsoProviderForm } from "./sso-provider-form";

/** Each configured provider, its settings editable in place (those from the environment shown read-only). */
export function SsoProviderList({ providers }: { providers: SsoProviderDto[] }) {
  if (providers.length === 0) return <p className="px-4 py-4 text-sm text-zinc-600 sm:px-5">No providers yet: everyone signs in with a password.</p>;
  return (
    <ul className="divide-y divide-zinc-200">
      {providers.map((p) => (
        <li key={p.id} className="px-4 py-4 sm:px-5">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-2 text-sm">
              <span className="font-medium text-zinc-900">{p.name}</span>
              <span className="break-all text-zinc-600">{p.issuer_url}</span>
              <Badge>{p.role_mappings.length === 1 ? "1 mapping" : `${p.role_mappings.length} mappings`}</Badge>
              {p.source === "environment" && <Badge tone="brand">from environment</Badge>}
            </summary>
            <div className="mt-4 space-y-4">
              <SsoProviderForm provider={p} />
              {p.source === "console" && (
                <ConfirmActionButton
                  label="Remove provider"
                  title={`Remove ${p.name}?`}
                  description="Its button leaves the sign-in page and the people who signed in with it are signed out now. Their accounts stay in the Users list but can no longer sign in."
                  confirmLabel="Remove provider"
                  action={() => deleteSsoProviderAction(p.id)}
                />
              )}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
