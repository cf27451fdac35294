/** Full width unless the caller set a width of its own (there is no class merger here). */
export const fullWidthUnless = (className?: string) => (className && /(^|\s)(\w+:)?w-/.test(className) ? "" : "w-full");

/** Join class names, skipping falsy ones. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
