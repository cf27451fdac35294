"use client";

import { useEffect } from "react";

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
