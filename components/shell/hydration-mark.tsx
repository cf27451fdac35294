"use client";

import { useEffect, useRef } from "react";

/**
 * Marks `<html data-hydrated>` once React has taken over the page. Forms registered with
 * react-hook-form write their default values into the inputs when they hydrate, so text typed
 * into a server-rendered page before that moment is replaced; the browser tests wait for this
 * mark after every navigation instead of racing it.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}

/**
 * The same mark for a page's own content. Console pages stream inside the layout's loading
 * boundary and hydrate after the frame, so `<html data-hydrated>` can be set while the page
 * still shows its server HTML: a relative time then swaps in and a link shrinks under a click
 * already aimed at it (e2e/history.spec.ts). Rendered by every page header; the tests wait
 * for it to be marked too (e2e/support/test.ts).
 */
export function PageHydrationMark() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    ref.current?.setAttribute("data-done", "");
  }, []);
  return <span ref={ref} hidden data-page-hydration="" />;
}
