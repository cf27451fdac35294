/**
 * Escaping for every place a snippet interpolates a value. YAML syntax itself is the `yaml`
 * library's job; these cover what the tools reading that YAML (or a shell) expand on top.
 */

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One POSIX shell word that expands to exactly `value` (bash, sh, a sourced env file). */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  return `'${value.replaceAll("'", () => `'\\''`)}'`;
}

/**
 * Percent-encode everything but RFC 3986 unreserved characters, so the result is also inert
 * inside a double-quoted shell string and a YAML block (encodeURIComponent leaves `'()*!`).
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * GitHub Actions evaluates `${{ … }}` in almost every workflow value (env, environment,
 * with:, run:). Each literal `${{` becomes an expression that yields `${{`, so a value can
 * never open an expression of its own (e.g. `${{ secrets.X }}`).
 * @see https://docs.github.com/actions/reference/evaluate-expressions-in-workflows-and-actions#literals
 */
export function githubLiteral(value: string): string {
  return value.replaceAll("${{", () => "${{ '${{' }}");
}

/**
 * GitHub branch and tag filters are globs; a backslash makes `* ? + [ ] !` and itself literal.
 * @see https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet
 */
export function githubFilterLiteral(value: string): string {
  return value.replace(/[\\*?+[\]!]/g, (c) => `\\${c}`);
}

/** GitLab expands `$VAR`, `${VAR}` and `%VAR%` in variables and keywords such as `id_tokens:aud`. */
export function gitlabExpands(value: string): boolean {
  return /[$%]/.test(value);
}

/**
 * Kubernetes expands `$(VAR)` in a container's env values and reduces `$$` to `$`, so doubling
 * every `$` keeps a value literal.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export function kubernetesEnvLiteral(value: string): string {
  // A function, not a replacement string: in one of those `$$` itself means `$`.
  return value.replaceAll("$", () => "$$");
}
