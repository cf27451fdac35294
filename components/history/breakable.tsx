import { Fragment } from "react";

/**
 * A long identifier (a subject such as `repo:acme/app:ref:refs/heads/main`, an ID) that may
 * wrap after its separators rather than mid-word: a <wbr> after each / : and _.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[/:_])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
