/** YAML output for the generated files: built as data, serialised by the `yaml` library. */
import { Document } from "yaml";

/** Serialise `value` with an optional comment block on top; lines are never folded, so commands stay copyable. */
export function renderYaml(value: unknown, header?: string[]): string {
  const doc = new Document(value);
  if (header?.length) doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
