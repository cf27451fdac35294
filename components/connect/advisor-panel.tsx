/**
 * The rule advisor's findings and example subjects. Pure rendering (no hooks), so the rule
 * page renders it on the server and the forms re-render it live as the user types.
 */
import type { Advice, AdviceSeverity } from "@/lib/insight/advisor";
import type { SubjectExamples } from "@/lib/insight/subject-examples";
import { Badge, type BadgeTone } from "../ui/badge";
import { cn } from "../ui/cn";
import { Icon } from "../ui/icons";

const TONE: Record<AdviceSeverity, BadgeTone> = { danger: "red", warning: "amber", info: "blue" };
const LABEL: Record<AdviceSeverity, string> = { danger: "Danger", warning: "Warning", info: "Note" };
const BORDER: Record<AdviceSeverity, string> = { danger: "border-l-red-500", warning: "border-l-amber-500", info: "border-l-sky-400" };

/** "2 dangers, 1 warning", or that nothing risky was found. */
export function adviceSummary(advice: readonly Advice[]): string {
  const count = (s: AdviceSeverity) => advice.filter((a) => a.severity === s).length;
  const parts = [
    [count("danger"), "danger", "dangers"],
    [count("warning"), "warning", "warnings"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return parts.length ? `The advisor found ${parts.join(" and ")}.` : "The advisor found nothing risky.";
}

export function AdviceList({ advice }: { advice: readonly Advice[] }) {
  if (advice.length === 0) return <p className="text-sm text-zinc-600">Nothing to say about this rule.</p>;
  return (
    <ul className="space-y-2.5">
      {advice.map((a) => (
        <li key={`${a.code}-${a.title}`} className={cn("rounded-md border border-l-4 border-zinc-200 bg-white px-3 py-2.5", BORDER[a.severity])}>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={TONE[a.severity]}>{LABEL[a.severity]}</Badge>
            <p className="text-sm font-medium text-zinc-900">{a.title}</p>
          </div>
          <p className="mt-1 text-[13px] break-words text-zinc-700">{a.detail}</p>
          <p className="mt-1 text-[13px] break-words text-zinc-900">
            <span className="font-medium">Fix: </span>
            {a.fix}
          </p>
        </li>
      ))}
    </ul>
  );
}

function SubjectList({ title, subjects, ok }: { title: string; subjects: string[]; ok: boolean }) {
  return (
    <div>
      <p className="text-[13px] font-medium text-zinc-900">{title}</p>
      {subjects.length === 0 ? (
        <p className="mt-1 text-[13px] text-zinc-600">None among the examples.</p>
      ) : (
        <ul className="mt-1 space-y-1" aria-label={title}>
          {subjects.map((s) => (
            <li key={s} className="flex items-start gap-1.5">
              <Icon name={ok ? "check" : "close"} className={cn("mt-0.5 size-3.5 shrink-0", ok ? "text-emerald-700" : "text-red-700")} />
              <code className="font-mono text-[12px] break-all text-zinc-800">{s}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SubjectExampleLists({ examples }: { examples: SubjectExamples }) {
  if (examples.note) return <p className="text-[13px] text-zinc-600">{examples.note}</p>;
  return (
    <div className="grid gap-3 @lg:grid-cols-2">
      <SubjectList title="Would be admitted" subjects={examples.matches} ok />
      <SubjectList title="Would be refused" subjects={examples.rejects} ok={false} />
    </div>
  );
}

/**
 * Findings, then (when given) example subjects. `live` announces the summary when it changes
 * (forms, whose advice comes from the server as the user types: undefined until the first
 * answer, with `problem` when there is none); a saved rule's page shows findings only, its
 * match being shown beside them.
 */
export function AdvisorPanel({
  advice,
  examples,
  problem,
  live = false,
  headingLevel = 2,
}: {
  advice: readonly Advice[] | undefined;
  examples?: SubjectExamples | undefined;
  problem?: string | undefined;
  live?: boolean;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby="advisor-heading" className="@container space-y-3">
      <div>
        <Heading id="advisor-heading" className="text-[15px] font-semibold text-zinc-900">
          Rule advisor
        </Heading>
        <p className="mt-0.5 text-sm text-zinc-600" aria-live={live ? "polite" : undefined}>
          {advice ? adviceSummary(advice) : problem ? `The advisor could not read the rule: ${problem}` : "The advisor is reading the rule…"}
        </p>
      </div>
      {advice && <AdviceList advice={advice} />}
      {examples && (
        <div className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2.5">
          <SubjectExampleLists examples={examples} />
          {!examples.note && <p className="mt-2 text-[12px] text-zinc-600">Examples check the subject only; the rule&apos;s audience, claims and condition must match as well.</p>}
        </div>
      )}
    </section>
  );
}
