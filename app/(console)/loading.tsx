/**
 * Shown inside the console frame while a page's data loads (every console page reads the
 * database on the server): a heading bar and rows in the shape of the lists most pages are,
 * announced to screen readers once.
 */
export default function ConsoleLoading() {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">Loading…</span>
      <div aria-hidden="true" className="animate-pulse">
        <div className="mb-2 h-7 w-56 rounded bg-zinc-200" />
        <div className="mb-8 h-4 w-80 max-w-full rounded bg-zinc-100" />
        <div className="space-y-3">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="h-11 rounded-md border border-zinc-100 bg-zinc-50" />
          ))}
        </div>
      </div>
    </div>
  );
}
