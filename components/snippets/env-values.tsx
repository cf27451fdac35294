import { CardContent } from "../ui/card";
import { CopyButton } from "../ui/copy-button";
import { Code } from "../ui/description-list";

/** The environment variables a workload sets to exchange its token, each with a copy button. */
export function EnvValues({ values }: { values: ReadonlyArray<readonly [name: string, value: string]> }) {
  return (
    <CardContent className="space-y-3">
      {values.map(([name, value]) => (
        <div key={name} className="flex flex-wrap items-center gap-2">
          <span className="w-full font-mono text-xs text-zinc-600 sm:w-72">{name}</span>
          <Code>{value}</Code>
          <CopyButton value={value} context={name} />
        </div>
      ))}
    </CardContent>
  );
}
