/**
 * Group commit for the token path on PostgreSQL. The grants and denials of the exchanges that
 * finish while a batch is being written wait and go together in the next one: ONE statement,
 * one round trip and one commit for the lot, where a grant alone took six (BEGIN, the `jti`,
 * the token, the history row, COMMIT) — the round trips, not the work, were what made the
 * token path five times slower on PostgreSQL than on SQLite (README, "Performance").
 *
 * The statement's first step consumes the batch's `jti`s (`INSERT … ON CONFLICT DO NOTHING`,
 * the primary key decides, as before, across every instance sharing the database); a grant
 * whose `jti` was taken — by an earlier exchange, or by another instance's uncommitted batch,
 * which PostgreSQL waits for — writes neither token nor history and is rejected with
 * `NothingChanged`. One statement is one transaction: every grant of a batch is committed, or
 * none. Should the statement fail as a whole, each entry is written again on its own, so only
 * a failing one is rejected. No caller hears of success before the commit that holds its writes.
 *
 * Prepared by name once per connection (parse and plan once); the rows travel as one array per
 * column (`unnest`), so the statement's text is the same for every batch size.
 */
import type pg from "pg";
import type { AccessTokenRecord, AuthEventRecord, GrantRecords, UsedJtiRecord } from "../core/ports";
import { batchQueue } from "./batch-queue";
import { NothingChanged } from "./sqlite-committer";

/** The columns each record is written to, in its own shape (ports.ts) and the table's names. */
const JTI_COLUMNS = ["issuer_id", "jti", "expires_at"] as const satisfies ReadonlyArray<keyof UsedJtiRecord>;
const TOKEN_COLUMNS = [
  "id",
  "token_hash",
  "organization_id",
  "federation_rule_id",
  "service_account_id",
  "workspace_id",
  "scope",
  "subject",
  "request_id",
  "created_at",
  "expires_at",
] as const satisfies ReadonlyArray<keyof AccessTokenRecord>;
const EVENT_COLUMNS = [
  "id",
  "organization_id",
  "occurred_at",
  "request_id",
  "outcome",
  "reason",
  "detail",
  "federation_rule_id",
  "issuer_id",
  "service_account_id",
  "workspace_id",
  "subject",
  "claims",
  "claims_verified",
  "access_token_id",
  "client_ip",
] as const satisfies ReadonlyArray<keyof AuthEventRecord>;

/** `$k::text[]` for each column from parameter `first` on (claims_verified is the one integer). */
function arrays(columns: readonly string[], first: number): string {
  return columns.map((c, i) => `$${first + i}::${c === "claims_verified" ? "int" : "text"}[]`).join(", ");
}

const JTI_FIRST = 2; // $1: the batch positions of the jtis
const TOKEN_FIRST = JTI_FIRST + JTI_COLUMNS.length + 1; // after the jti columns: the tokens' positions, then their columns
const EVENT_FIRST = TOKEN_FIRST + TOKEN_COLUMNS.length + 1;

/**
 * The batch's statement. Data-modifying CTEs all run, to completion, in one snapshot; `claimed`
 * hands the `jti`s it inserted to the others through RETURNING, and the positions whose `jti`
 * it could not insert are left out of the token and history inserts and returned.
 */
const BATCH_SQL = `
with claimed as (
  insert into used_jtis (${JTI_COLUMNS.join(", ")})
  select * from unnest(${arrays(JTI_COLUMNS, JTI_FIRST)})
  on conflict (issuer_id, jti) do nothing
  returning issuer_id, jti
),
refused as (
  select j.n from unnest($1::int[], $${JTI_FIRST}::text[], $${JTI_FIRST + 1}::text[]) as j(n, issuer_id, jti)
  where not exists (select 1 from claimed c where c.issuer_id = j.issuer_id and c.jti = j.jti)
),
tokens as (
  insert into access_tokens (${TOKEN_COLUMNS.join(", ")})
  select ${TOKEN_COLUMNS.join(", ")} from unnest($${TOKEN_FIRST - 1}::int[], ${arrays(TOKEN_COLUMNS, TOKEN_FIRST)}) as t(n, ${TOKEN_COLUMNS.join(", ")})
  where t.n not in (select n from refused)
),
events as (
  insert into auth_events (${EVENT_COLUMNS.join(", ")})
  select ${EVENT_COLUMNS.join(", ")} from unnest($${EVENT_FIRST - 1}::int[], ${arrays(EVENT_COLUMNS, EVENT_FIRST)}) as e(n, ${EVENT_COLUMNS.join(", ")})
  where e.n not in (select n from refused)
)
select n from refused`;

/** One entry of a batch: a grant (a `jti` or none, the token, its history row) or a denial's history row. */
interface Entry {
  jti: UsedJtiRecord | null;
  token: AccessTokenRecord | null;
  event: AuthEventRecord;
}

interface Pending extends Entry {
  resolve(): void;
  reject(err: unknown): void;
}

/** The batch as the statement's parameters: per table, the entries' positions, then one array per column. */
function parameters(entries: Entry[]): unknown[] {
  const jtis: Array<[number, UsedJtiRecord]> = [];
  const tokens: Array<[number, AccessTokenRecord]> = [];
  entries.forEach((e, n) => {
    if (e.jti) jtis.push([n, e.jti]);
    if (e.token) tokens.push([n, e.token]);
  });
  const columnsOf = <R>(rows: Array<[number, R]>, columns: ReadonlyArray<keyof R>) => [rows.map(([n]) => n), ...columns.map((c) => rows.map(([, r]) => r[c]))];
  return [
    ...columnsOf(jtis, JTI_COLUMNS),
    ...columnsOf(tokens, TOKEN_COLUMNS),
    ...columnsOf(
      entries.map((e, n): [number, AuthEventRecord] => [n, e.event]),
      EVENT_COLUMNS,
    ),
  ];
}

export interface PostgresCommitter {
  /** Commit a grant's records together; rejects with `NothingChanged`, having written nothing, when its `jti` was consumed. */
  saveGrant(records: GrantRecords): Promise<void>;
  /** Commit a denial's history row. */
  recordEvent(event: AuthEventRecord): Promise<void>;
  /** Commit what was submitted; later submissions are refused. */
  close(): Promise<void>;
}

export interface PostgresCommitterOptions {
  /** Batches written at once; the next waits, gathering what arrives meanwhile. */
  maxInFlight?: number;
}

/**
 * Batches in flight at once. Two: one being written while the next gathers would leave the
 * connection idle between them; more split the same exchanges into smaller batches.
 */
const DEFAULT_MAX_IN_FLIGHT = 2;

export function startPostgresCommitter(pool: pg.Pool, options: PostgresCommitterOptions = {}): PostgresCommitter {
  let closed = false;

  const run = async (entries: Entry[]): Promise<Set<number>> => {
    const result = await pool.query<{ n: number }>({ name: "wif_exchange_batch", text: BATCH_SQL, values: parameters(entries) });
    return new Set(result.rows.map((r) => r.n));
  };

  async function write(batch: Pending[]): Promise<void> {
    // A jti twice in one batch: the statement would insert it once and pass both grants. The later is refused here.
    const seen = new Set<string>();
    const entries = batch.filter((p) => {
      if (!p.jti) return true;
      const key = `${p.jti.issuer_id}\u0000${p.jti.jti}`;
      if (seen.has(key)) {
        p.reject(new NothingChanged());
        return false;
      }
      seen.add(key);
      return true;
    });
    if (entries.length === 0) return;
    let refused: Set<number>;
    try {
      refused = await run(entries);
    } catch {
      // Nothing of the batch was written: each entry again, alone, so only a failing one is rejected.
      await Promise.all(entries.map((p) => run([p]).then((r) => settle(p, r.size > 0), p.reject)));
      return;
    }
    entries.forEach((p, n) => settle(p, refused.has(n)));
  }

  const settle = (p: Pending, refused: boolean) => (refused ? p.reject(new NothingChanged()) : p.resolve());
  const batches = batchQueue(write, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);

  const submit = (entry: Entry) => {
    if (closed) return Promise.reject(new Error("the PostgreSQL committer is closed"));
    return new Promise<void>((resolve, reject) => batches.push({ ...entry, resolve, reject }));
  };

  return {
    saveGrant: (records) => submit({ jti: records.usedJti, token: records.accessToken, event: records.history }),
    recordEvent: (event) => submit({ jti: null, token: null, event }),
    async close() {
      if (closed) return;
      closed = true;
      await batches.settled();
    },
  };
}
