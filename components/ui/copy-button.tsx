"use client";

import { useEffect, useState } from "react";
import { buttonClasses, type ButtonSize, type ButtonVariant } from "./button";
import { Icon } from "./icons";

/** Copy with the Clipboard API, falling back to a selection copy where it is unavailable (plain http). */
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

export function CopyButton({
  value,
  label = "Copy",
  context,
  variant = "secondary",
  size = "sm",
  className,
}: {
  value: string;
  label?: string;
  /** Said after the label to screen readers only ("Copy" → "Copy rule ID"), when several copy buttons share a page. */
  context?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <>
      <button type="button" className={buttonClasses(variant, size, className)} onClick={async () => setState((await copyText(value)) ? "copied" : "failed")}>
        <Icon name={state === "copied" ? "check" : "copy"} />
        {label}
        {context && <span className="sr-only"> {context}</span>}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Copy failed; select the text and copy it by hand" : ""}
      </span>
    </>
  );
}
