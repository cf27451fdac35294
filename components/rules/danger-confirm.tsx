"use client";

/**
 * Asks before a rule the advisor marks dangerous is created or saved, naming each danger
 * finding, so "it was only a warning on the side" is never how an open rule gets in.
 * @see docs/behaviour.md#dangerous-rules
 */
import { useState } from "react";
import type { Advice } from "@/lib/insight/advisor";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";

const dangersOf = (advice: readonly Advice[]) => advice.filter((a) => a.severity === "danger");

/**
 * Holds a save back while the advisor finds dangers in the values being saved (asked of the
 * server at that moment, so the dialog never rests on advice for what was typed before):
 * `guard(values)` saves at once when there are none, else opens the dialog (`dialog`,
 * DangerConfirm's props), whose confirm saves; `saving` is true while a confirmed save runs.
 * When the advisor cannot answer, nothing is saved and `onAdviceFailed` gets the reason.
 */
export function useDangerGuard<V>(adviceFor: (values: V) => Promise<Advice[]>, save: (values: V) => Promise<unknown>, onAdviceFailed: (message: string) => void) {
  const [confirming, setConfirming] = useState<{ values: V; dangers: Advice[] }>();
  const [saving, setSaving] = useState(false);
  return {
    saving,
    async guard(values: V) {
      let dangers: Advice[];
      try {
        dangers = dangersOf(await adviceFor(values));
      } catch (err) {
        return onAdviceFailed(`The advisor could not read the rule: ${(err as Error).message}`);
      }
      if (dangers.length > 0) return setConfirming({ values, dangers });
      await save(values);
    },
    dialog: {
      dangers: confirming?.dangers ?? [],
      onCancel: () => setConfirming(undefined),
      onConfirm: () => {
        const values = confirming!.values;
        setConfirming(undefined);
        setSaving(true);
        void save(values).finally(() => setSaving(false));
      },
    },
  };
}

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
