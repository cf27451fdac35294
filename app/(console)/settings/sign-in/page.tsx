import type { Metadata } from "next";
import { RoleMappingTrial } from "@/components/settings/role-mapping-trial";
import { SignInPolicyForm } from "@/components/settings/sign-in-policy-form";
import { SsoProviderForm } from "@/components/settings/sso-provider-form";
import { SsoProviderList } from "@/components/settings/sso-provider-list";
import { SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/console/auth";
import { redirectUri } from "@/lib/console/sso-sign-in";
import { getRuntime } from "@/lib/runtime";
import { getSignInPolicy, listSsoProviders } from "@/lib/services/sso-providers";

export const metadata: Metadata = { title: "Sign-in and SSO" };

export default async function SignInSettingsPage() {
  const ctx = await pageContext("owner");
  const runtime = await getRuntime();
  const [providers, policy] = await Promise.all([listSsoProviders(ctx), getSignInPolicy(ctx.db)]);
  return (
    <>
      <PageHeader
        title="Sign-in and SSO"
        description="How people sign in to this console: your organization's identity providers (OpenID Connect), who gets which role, and what local accounts must do."
      />
      <div className="space-y-6">
        <SectionCard id="policy" title="Sign-in policy" padded>
          <SignInPolicyForm policy={{ require_sso: policy.requireSso, require_second_factor: policy.requireSecondFactor }} />
        </SectionCard>
        <SectionCard
          id="providers"
          title="Identity providers"
          description={
            <>
              Register this redirect URI with the provider: <code className="break-all text-zinc-900">{redirectUri(runtime.publicUrl)}</code>
            </>
          }
        >
          <SsoProviderList providers={providers} />
        </SectionCard>
        <SectionCard id="new-provider" title="Add a provider" padded>
          <SsoProviderForm />
        </SectionCard>
        <SectionCard id="mapping-trial" title="Try the role mappings" description="The same checks a sign-in runs, on claims you paste: nothing is signed in or stored." padded>
          {/* Keyed by the providers, so the form's default choice follows one added or removed. */}
          <RoleMappingTrial key={providers.map((p) => p.id).join(",")} providers={providers.map((p) => ({ id: p.id, name: p.name }))} />
        </SectionCard>
      </div>
    </>
  );
}
