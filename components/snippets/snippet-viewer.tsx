"use client";

/**
 * Tabs over generated snippets (lib/snippets): highlighted code, Copy, and Download for
 * snippets that are files of their own. The server highlights them (./highlight.ts), so the
 * highlighter never reaches the browser.
 */
import { useId, useRef, useState, type CSSProperties, type KeyboardEvent } from "react";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import type { HighlightedSnippet } from "./highlight";

/** sugar-high colours tokens through these variables; values keep 4.5:1 contrast on the dark block. */
const THEME = {
  "--sh-class": "#7dd3fc",
  "--sh-identifier": "#e4e4e7",
  "--sh-sign": "#a1a1aa",
  "--sh-property": "#93c5fd",
  "--sh-entity": "#5eead4",
  "--sh-jsxliterals": "#c4b5fd",
  "--sh-string": "#86efac",
  "--sh-keyword": "#f9a8d4",
  "--sh-comment": "#a1a1aa",
} as CSSProperties;

/** Save `code` as `filename` through a temporary object URL (a download, which the CSP does not govern). */
function downloadFile(filename: string, code: string) {
  const url = URL.createObjectURL(new Blob([code], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename.split("/").at(-1) ?? filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="size-4">
      <path d="M12 4v11m0 0l-4-4m4 4l4-4M5 19h14" />
    </svg>
  );
}

export function SnippetViewer({ snippets, label = "Code samples", warning }: { snippets: HighlightedSnippet[]; label?: string; warning?: string | null }) {
  const baseId = useId();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const [selectedIndex, setSelectedIndex] = useState(0);
  const index = Math.min(selectedIndex, snippets.length - 1);
  const snippet = snippets[index];
  const companion = snippet?.companion;
  if (!snippet) return null;

  const tabId = (i: number) => `${baseId}-tab-${i}`;
  const panelId = `${baseId}-panel`;
  const select = (i: number) => {
    const next = (i + snippets.length) % snippets.length;
    setSelectedIndex(next);
    tabs.current[next]?.focus();
  };
  // WAI-ARIA tabs with automatic activation: arrows move and select, Home/End jump.
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: snippets.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    select(target);
  };

  return (
    <div className="min-w-0 overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
      {snippets.length > 1 ? (
        <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex gap-1 overflow-x-auto border-b border-zinc-200 bg-zinc-50 px-2 pt-2">
          {snippets.map((s, i) => (
            <button
              key={s.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              id={tabId(i)}
              type="button"
              role="tab"
              aria-selected={i === index}
              aria-controls={panelId}
              tabIndex={i === index ? 0 : -1}
              onClick={() => setSelectedIndex(i)}
              className={cn(
                "-mb-px shrink-0 rounded-t-md border px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600",
                i === index ? "border-zinc-200 border-b-white bg-white text-zinc-900" : "border-transparent text-zinc-600 hover:text-zinc-900",
              )}
            >
              {s.label}
            </button>
          ))}
        </div>
      ) : null}
      <div id={panelId} role={snippets.length > 1 ? "tabpanel" : "region"} aria-labelledby={snippets.length > 1 ? tabId(index) : undefined} aria-label={snippets.length > 1 ? undefined : snippet.label}>
        <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 sm:px-4">
          <p className="flex min-w-0 items-baseline gap-2 text-sm">
            {snippets.length === 1 && <span className="font-medium text-zinc-900">{snippet.label}</span>}
            {snippet.filename && <span className="truncate font-mono text-xs text-zinc-600">{snippet.filename}</span>}
          </p>
          <div className="flex shrink-0 items-center gap-2">
            {snippet.filename && (
              <button type="button" className={buttonClasses("secondary", "sm")} onClick={() => downloadFile(snippet.filename!, snippet.code)}>
                <DownloadIcon />
                Download
                <span className="sr-only"> {snippet.label}</span>
              </button>
            )}
            <CopyButton value={snippet.code} context={snippet.label} />
          </div>
        </div>
        {snippet.description && <p className="px-3 pb-2 text-sm text-zinc-600 sm:px-4">{snippet.description}</p>}
        {warning && (
          <p role="note" className="mx-3 mb-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 sm:mx-4">
            <span className="font-medium">Will not work from another machine yet.</span> {warning}
          </p>
        )}
        <pre
          tabIndex={0}
          aria-label={`${snippet.label} code`}
          style={THEME}
          className="overflow-x-auto bg-zinc-950 sm:max-h-[32rem] sm:overflow-y-auto px-3 py-3 font-mono text-[13px] leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 sm:px-4"
        >
          {/* sugar-high escapes the code; its output is markup of our own tokens only. */}
          <code dangerouslySetInnerHTML={{ __html: snippet.html }} />
        </pre>
        {companion && (
          <>
            <div className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-200 px-3 py-2 sm:px-4">
              <p className="text-sm font-medium text-zinc-900">{companion.label}</p>
              <CopyButton value={companion.code} context={companion.label} />
            </div>
            {companion.description && <p className="px-3 pb-2 text-sm text-zinc-600 sm:px-4">{companion.description}</p>}
            <pre tabIndex={0} aria-label={`${companion.label} code`} style={THEME} className="overflow-x-auto bg-zinc-950 px-3 py-3 font-mono text-[13px] leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 sm:px-4">
              <code dangerouslySetInnerHTML={{ __html: companion.html }} />
            </pre>
          </>
        )}
      </div>
    </div>
  );
}
