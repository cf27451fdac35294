/**
 * The key that encrypts stored upstream keys: WIF_SECRET_KEY when set, else a key file beside
 * the database, generated on first start with mode 0600. Several instances on one PostgreSQL
 * database must share one key, so they set WIF_SECRET_KEY.
 * @see docs/gateway.md#upstream-keys-at-rest
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SecretsConfig } from "../config";
import { keyringFrom, type SecretKeyring } from "../core/secret-box";
import { logger } from "../observability/log";

export function loadSecretKeyring(secrets: SecretsConfig): SecretKeyring {
  return keyringFrom(secrets.key ?? readOrCreateKeyFile(secrets.keyFile), secrets.previous);
}

function readOrCreateKeyFile(file: string): Buffer {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: of two processes starting together, one creates the file and the other reads it.
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) logger().warn({ file, mode: mode.toString(8) }, "the secret key file is readable by others; run chmod 600 on it");
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`the secret key file ${file} does not hold a 32-byte base64 key`);
  return key;
}
