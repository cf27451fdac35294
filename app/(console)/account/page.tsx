import type { Metadata } from "next";
import { SecondFactorSetup } from "@/components/account/second-factor-setup";
import { Alert } from "@/components/ui/alert";
import { SectionCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/console/auth";
import { mustEnrolSecondFactor, secondFactorStatus } from "@/lib/console/second-factor";
import { isSsoUser } from "@/lib/console/users";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const ctx = await pageContext("viewer");
  const [status, sso, required] = await Promise.all([secondFactorStatus(ctx.db, ctx.user.id), isSsoUser(ctx.db, ctx.user.id), mustEnrolSecondFactor(ctx.db, ctx.user.id)]);
  return (
    <>
      <PageHeader title="Account" description={`Signed in as ${ctx.user.email} (${ctx.user.role}).`} />
      {required && (
        <Alert tone="warning" title="Set up a second factor to continue" className="mb-6">
          An owner requires a second factor for password sign-in. The rest of the console opens once it is set up.
        </Alert>
      )}
      <SectionCard id="second-factor" title="Second factor" description="A code from an authenticator app after your password, so a leaked password alone cannot sign in." padded>
        {sso ? (
          <p className="text-sm text-zinc-700">You sign in with single sign-on; your identity provider asks for your second factor.</p>
        ) : (
          <SecondFactorSetup enabled={status.enabled} recoveryCodesLeft={status.recoveryCodesLeft} />
        )}
      </SectionCard>
    </>
  );
}
