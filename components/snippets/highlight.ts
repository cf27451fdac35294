/**
 * Syntax highlighting of generated snippets, on the server: the page passes the markup to the
 * snippet viewer, so the highlighter is not part of any page's JavaScript.
 */
import "server-only";
import { highlight, type LanguageName } from "sugar-high";
import type { Snippet, SnippetLanguage } from "@/lib/snippets/types";

const HIGHLIGHT_LANGUAGE: Record<SnippetLanguage, LanguageName> = {
  yaml: "yaml",
  bash: "shell",
  dotenv: "shell",
  python: "python",
  typescript: "typescript",
  go: "go",
  java: "java",
  csharp: "csharp",
  ruby: "ruby",
  php: "php",
  json: "json",
};

/** A snippet with its code as highlighted markup (sugar-high escapes the code; the markup is its own tokens only). */
export type HighlightedSnippet = Omit<Snippet, "companion"> & { html: string; companion?: NonNullable<Snippet["companion"]> & { html: string } };

const markup = (code: string, language: SnippetLanguage) => highlight(code, { lang: HIGHLIGHT_LANGUAGE[language] });

export function highlightSnippets(snippets: Snippet[]): HighlightedSnippet[] {
  return snippets.map(({ companion, ...s }) => ({
    ...s,
    html: markup(s.code, s.language),
    ...(companion ? { companion: { ...companion, html: markup(companion.code, companion.language) } } : {}),
  }));
}
