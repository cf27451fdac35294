"use client";

/**
 * Asks before a rule the advisor marks dangerous is created or saved, naming each danger
 * finding, so "it was only a warning on the side" is never how an open rule gets in.
 * @see docs/behaviour.md#dangerous-rules
 */
import type { Advice } from "@/lib/insight/advisor";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";

export const dangersOf = (advice: Advice[]) => advice.filter((a) => a.severity === "danger");

export function DangerConfirm({ dangers, verb, onConfirm, onCancel }: { dangers: Advice[]; verb: "Create" | "Save"; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Dialog
      open={dangers.length > 0}
      onClose={onCancel}
      title={dangers.length === 1 ? `${verb} a rule that ${lower(dangers[0]!.title)}?` : `${verb} a rule with ${dangers.length} dangerous findings?`}
      description="The advisor marks this as dangerous. Workloads the rule admits get tokens as soon as it exists."
      footer={
        <>
          <Button onClick={onCancel}>Go back and change it</Button>
          <Button variant="danger" onClick={onConfirm}>
            {verb} anyway
          </Button>
        </>
      }
    >
      <ul className="space-y-3 text-sm">
        {dangers.map((d) => (
          <li key={d.code + d.title}>
            <p className="font-medium text-red-800">{d.title}</p>
            <p className="mt-0.5 text-zinc-700">{d.detail}</p>
            <p className="mt-0.5 text-zinc-700">
              <span className="font-medium">Fix:</span> {d.fix}
            </p>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

const lower = (title: string) => title.charAt(0).toLowerCase() + title.slice(1);
