/**
 * The guided setup's final submission: an issuer (existing or new), a service account
 * (existing or new) and a rule, created together or not at all.
 */
import { z } from "zod";
import { issuerCreate } from "./issuers";
import { requireWorkspace, ruleFields } from "./rules";
import { serviceAccountCreate } from "./service-accounts";
import { taggedId } from "./common";

export const connectWorkload = z.strictObject({
  issuer: z.discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("existing"), id: taggedId("fdis_") }),
    z.strictObject({ mode: z.literal("new"), create: issuerCreate }),
  ]),
  service_account: z.discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("existing"), id: taggedId("svac_") }),
    z.strictObject({ mode: z.literal("new"), create: serviceAccountCreate }),
  ]),
  /** The rule without its references, which come from the two steps above. */
  rule: ruleFields.omit({ issuer_id: true, target: true }).superRefine(requireWorkspace),
});
