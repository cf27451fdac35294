/**
 * The token path's one per-exchange read on PostgreSQL, batched: for a cached rule, is the
 * policy version still the one it was read at, and was the assertion's `jti` consumed? The
 * checks of the exchanges that arrive while a batch is out go together in the next one — one
 * round trip for all of them instead of one each (the read half of postgres-committer.ts's
 * group commit). Each answer is as fresh as a read of its own: the batch is sent after the
 * exchange asked, in one snapshot.
 */
import type pg from "pg";
import { batchQueue } from "./batch-queue";

export interface PolicyCheck {
  policy_version: number | null;
  jti_used: boolean;
}

interface Pending {
  issuerId: string;
  jti: string | null;
  resolve(check: PolicyCheck): void;
  reject(err: unknown): void;
}

/** `used`: the batch positions whose jti is consumed for their issuer. */
const CHECK_SQL = `
select (select version from policy_version where id = 1) as policy_version,
  array(
    select q.n from unnest($1::int[], $2::text[], $3::text[]) as q(n, issuer_id, jti)
    where exists (select 1 from used_jtis u where u.issuer_id = q.issuer_id and u.jti = q.jti)
  ) as used`;

/** Batches out at once: one being answered while the next gathers. */
const MAX_IN_FLIGHT = 2;

export type PolicyChecker = (issuerId: string, jti: string | null) => Promise<PolicyCheck>;

export function batchedPolicyChecks(pool: pg.Pool): PolicyChecker {
  async function send(batch: Pending[]): Promise<void> {
    const withJti = batch.flatMap((p, n) => (p.jti === null ? [] : [{ n, issuerId: p.issuerId, jti: p.jti }]));
    try {
      const { rows } = await pool.query<{ policy_version: number | null; used: number[] }>({
        name: "wif_policy_check_batch",
        text: CHECK_SQL,
        values: [withJti.map((q) => q.n), withJti.map((q) => q.issuerId), withJti.map((q) => q.jti)],
      });
      const used = new Set(rows[0]!.used);
      batch.forEach((p, n) => p.resolve({ policy_version: rows[0]!.policy_version, jti_used: used.has(n) }));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  const batches = batchQueue(send, MAX_IN_FLIGHT);
  return (issuerId, jti) => new Promise<PolicyCheck>((resolve, reject) => batches.push({ issuerId, jti, resolve, reject }));
}
