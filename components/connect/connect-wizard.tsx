"use client";

/*
 * One file over 400 lines, on purpose: the guided setup's state — which step, what is saved as
 * a draft, when each step's input is checked and how one create runs at the end — reads as one
 * piece. Each step's fields are their own components (issuer-step.tsx, rule-step.tsx, …).
 */

import { useRouter } from "next/navigation";
import type { ConnectOptions } from "@/lib/console/connect-options";
import { useEffect, useRef, useState } from "react";
import { set, useForm, type FieldErrors, type Path, type Resolver } from "react-hook-form";
import { checkIssuerKeysAction, connectWorkloadAction } from "@/lib/console/actions/connect";
import { fieldMessage, sentence } from "@/components/forms/action-errors";
import { formErrorText } from "@/components/forms/error-text";
import { useFormCheck } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Icon } from "@/components/ui/icons";
import type { ActionResult } from "@/lib/console/action-result";
import { DangerConfirm, useDangerGuard } from "@/components/rules/danger-confirm";
import { useRuleAdvice, type RuleDraft } from "@/components/rules/use-rule-advice";
import { defaultValues, getProvider, isProviderId } from "@/lib/providers";
import { IssuerStep } from "./issuer-step";
import type { KeyCheckState } from "./key-check";
import { ProviderStep } from "./provider-step";
import { ReviewStep } from "./review-step";
import { RuleStep } from "./rule-step";
import { ServiceAccountStep } from "./service-account-step";
import {
  answersComplete,
  connectInput,
  firstInvalidStep,
  initialValues,
  issuerUrlOf,
  jwksOf,
  locateField,
  matchingIssuers,
  matchOf,
  presetOf,
  rawMatchFields,
  serviceAccountRoleOf,
  STEPS,
  suggestedNames,
  validateStep,
  type ConnectFormValues,
  type Problem,
  type StepId,
} from "./wizard-model";

const STEP_INTRO: Record<StepId, string> = {
  provider: "Where does the workload run? The choice decides the issuer and the questions that follow.",
  issuer: "The identity provider whose tokens this server will trust.",
  service_account: "Who the workload becomes.",
  rule: "Which of the issuer's identities may act as the service account, and with what scope.",
  review: "Check everything, then create.",
};

const indexOf = (step: StepId) => STEPS.findIndex((s) => s.id === step);

/**
 * Unfinished answers, kept in this tab's sessionStorage so that a reload (or a look at another
 * page) does not lose them; cleared once the workload is connected or the user starts over.
 * The answers hold no secrets: names, URLs, public keys and match rules.
 */
const DRAFT_KEY = "wif.connect.draft.v1";

interface Draft {
  values: ConnectFormValues;
  step: StepId;
  furthest: number;
  /** The user picked "new" or "existing" for the issuer themselves: no longer overridden. */
  issuerModeChosen: boolean;
}

function readDraft(): Draft | undefined {
  try {
    const draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? "null") as Partial<Draft> | null;
    if (!draft?.values || typeof draft.values !== "object" || !STEPS.some((s) => s.id === draft.step) || typeof draft.furthest !== "number") return undefined;
    return draft as Draft;
  } catch {
    return undefined; // unreadable (storage disabled, or an old shape): start afresh
  }
}

function writeDraft(draft: Draft | undefined): void {
  try {
    if (draft) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Storage full or disabled: the wizard still works, it just forgets on reload.
  }
}

/** What the server finds with the request these values make (API field path → message). */
type RequestCheck = (values: ConnectFormValues, typing: boolean) => Promise<ActionResult<Record<string, string>>>;

/** How long the step's messages wait, after a failed Continue, for the user to pause typing. */
const TYPING_PAUSE_MS = 250;

/**
 * A resolver that checks only the current step (the review step checks everything): the
 * request's schema on the server, the preset's questions and the form's own shape here.
 */
function stepResolver(current: () => StepId, options: ConnectOptions, checkRequest: RequestCheck): Resolver<ConnectFormValues> {
  return async (values, _context, { names }) => {
    const step = current();
    // Choosing a provider involves nothing the server checks.
    const checked = step === "provider" ? { ok: true as const, data: {} } : await checkRequest(values, names?.length === 1);
    const problems: Problem[] = checked.ok ? validateStep(step, values, options, checked.data) : [["root.server", checked.error.message]];
    if (problems.length === 0) return { values, errors: {} };
    const errors: Record<string, unknown> = {};
    for (const [path, message] of problems) set(errors, path, { type: "validate", message: sentence(message) });
    return { values: {}, errors: errors as FieldErrors<ConnectFormValues> };
  };
}

/**
 * "Connect a workload": provider → issuer → service account → rule → review, one form with
 * validation at every step, the advisor live beside the rule, and one all-or-nothing
 * submission. Errors from the server reopen the step and field they concern.
 */
export function ConnectWizard({ options }: { options: ConnectOptions }) {
  const router = useRouter();
  const [step, setStep] = useState<StepId>("provider");
  const [furthest, setFurthest] = useState(0);
  const stepRef = useRef<StepId>("provider");
  const attempted = useRef(new Set<StepId>());
  const issuerModeChosen = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [keyCheck, setKeyCheck] = useState<KeyCheckState>({ status: "idle" });

  const checkInput = useFormCheck("connect");
  const checkRequest: RequestCheck = (v, typing) => checkInput(connectInput(v, options), typing);
  const form = useForm<ConnectFormValues>({ defaultValues: initialValues(options), resolver: stepResolver(() => stepRef.current, options, checkRequest) });
  const values = form.watch();

  // The draft is read after hydration (the server rendered a fresh wizard), and saved only after that.
  const [draftLoaded, setDraftLoaded] = useState(false);
  const [resumed, setResumed] = useState(false);
  useEffect(() => {
    const draft = readDraft();
    if (draft) {
      // Against the defaults, so names the user typed still count as typed (suggestions stop following).
      form.reset(draft.values, { keepDefaultValues: true });
      stepRef.current = draft.step;
      setStep(draft.step);
      setFurthest(draft.furthest);
      issuerModeChosen.current = draft.issuerModeChosen === true;
      setResumed(true);
    }
    setDraftLoaded(true);
  }, [form]);
  // `values` is a new object on every render: its text says whether anything changed.
  const valuesText = JSON.stringify(values);
  useEffect(() => {
    if (!draftLoaded) return;
    // Nothing past the first step is nothing worth bringing back.
    writeDraft(furthest === 0 ? undefined : { values: form.getValues(), step, furthest, issuerModeChosen: issuerModeChosen.current });
  }, [draftLoaded, valuesText, step, furthest, form]);

  function startOver() {
    writeDraft(undefined);
    form.reset(initialValues(options));
    attempted.current.clear();
    issuerModeChosen.current = false;
    setKeyCheck({ status: "idle" });
    setResumed(false);
    setFurthest(0);
    goTo("provider");
  }
  const preset = presetOf(values);
  const issuerUrl = issuerUrlOf(values, options);
  const matches = matchingIssuers(values, options);
  const match = matchOf(values);
  // Fragments of a half-answered rule (repo:/:ref:…) are not shown or judged.
  const complete = answersComplete(values);
  const draftOf = (v: ConnectFormValues): RuleDraft => ({
    issuerUrl: issuerUrlOf(v, options),
    match: matchOf(v),
    oauthScope: v.rule.scopes.join(" "),
    tokenLifetimeSeconds: Number(v.rule.token_lifetime_seconds) || 0,
    serviceAccountRole: serviceAccountRoleOf(v, options),
  });
  // The advisor is asked once the rule's step is reached and its questions answered.
  const advisor = useRuleAdvice(complete && indexOf(step) >= indexOf("rule") ? draftOf(values) : undefined);
  const advice = complete ? advisor.advice : [];
  const subjectExamples = complete ? advisor.examples : { matches: [], rejects: [], note: "Answer the questions to see which identities the rule admits." };

  // A key check describes one issuer configuration; any change makes it stale.
  const checkedConfig = JSON.stringify([values.issuer.mode, values.issuer.id, issuerUrl, jwksOf(values.issuer)]);
  useEffect(() => setKeyCheck({ status: "idle" }), [checkedConfig]);

  // After a failed Continue, the step's messages follow the user's corrections, once they pause typing.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sub = form.watch(() => {
      if (!attempted.current.has(stepRef.current)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void form.trigger(), TYPING_PAUSE_MS);
    });
    return () => {
      sub.unsubscribe();
      clearTimeout(timer);
    };
  }, [form]);

  // Suggested names follow the answers (the rule's questions come after the service account's) until the user types one.
  const suggested = suggestedNames(values, options);
  useEffect(() => {
    const follow = (field: "issuer.name" | "service_account.name" | "rule.name", name: string) => {
      if (!form.getFieldState(field).isDirty && form.getValues(field) !== name) form.setValue(field, name);
    };
    if (step === "issuer") follow("issuer.name", suggested.issuer);
    if (indexOf(step) >= indexOf("service_account") && form.getValues("service_account.mode") === "new") follow("service_account.name", suggested.serviceAccount);
    if (step === "rule") follow("rule.name", suggested.rule);
  }, [step, suggested.issuer, suggested.serviceAccount, suggested.rule, form]);

  // Offer a registered issuer with the same URL, unless the user chose otherwise.
  const matchIds = matches.map((m) => m.id).join(",");
  useEffect(() => {
    if (step !== "issuer") return;
    const ids = matchIds ? matchIds.split(",") : [];
    const current = form.getValues("issuer");
    if (current.mode === "existing" && !ids.includes(current.id)) {
      form.setValue("issuer.mode", ids.length && !issuerModeChosen.current ? "existing" : "new");
      form.setValue("issuer.id", ids[0] ?? "");
    } else if (current.mode === "new" && ids.length && !issuerModeChosen.current) {
      form.setValue("issuer.mode", "existing");
      form.setValue("issuer.id", ids[0]!);
    }
  }, [step, matchIds, form]);

  function selectProvider(id: string) {
    if (!isProviderId(id)) return;
    const p = getProvider(id);
    form.setValue("answers", defaultValues(p));
    form.setValue("issuer.jwks_type", p.issuer.keyModes[0]!);
    form.setValue("rule.advanced", false);
    issuerModeChosen.current = false;
  }

  function goTo(target: StepId) {
    stepRef.current = target;
    form.clearErrors();
    setStep(target);
    setFurthest((f) => Math.max(f, indexOf(target)));
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  async function next() {
    attempted.current.add(step);
    if (!(await form.trigger(undefined, { shouldFocus: true }))) return;
    // A failed key check stops the setup until it passes or the user explicitly goes on.
    if (step === "issuer" && keyCheck.status === "done" && !keyCheck.ok && !keyCheck.accepted) {
      setKeyCheck({ ...keyCheck, stopped: true });
      return;
    }
    goTo(STEPS[indexOf(step) + 1]!.id);
  }

  /** The first step, up to `upTo`, with a problem; undefined when there is none (or the server could not say, which the form then shows). */
  async function firstProblemStep(upTo: StepId): Promise<StepId | undefined> {
    const v = form.getValues();
    const checked = await checkRequest(v, false);
    if (checked.ok) return firstInvalidStep(v, options, upTo, checked.data);
    form.setError("root.server", { type: "server", message: checked.error.message });
    return undefined;
  }

  /** Jump to a step already reached; a step in between with a problem stops the jump there. */
  async function jump(target: StepId) {
    if (indexOf(target) > indexOf(step)) {
      const invalid = await firstProblemStep(STEPS[indexOf(target) - 1]!.id);
      if (invalid && indexOf(invalid) < indexOf(target)) {
        goTo(invalid);
        attempted.current.add(invalid);
        void form.trigger();
        return;
      }
    }
    goTo(target);
  }

  async function checkKeys() {
    setKeyCheck({ status: "checking" });
    const v = form.getValues();
    const input = v.issuer.mode === "existing" ? { mode: "existing", id: v.issuer.id } : { mode: "new", issuer_url: issuerUrl, jwks: jwksOf(v.issuer) };
    const result = await checkIssuerKeysAction(input);
    if (!result.ok) setKeyCheck({ status: "done", ok: false, message: fieldMessage(result.error.message, result.error.field ?? "") });
    else if (result.data.ok) setKeyCheck({ status: "done", ok: true, jwksUri: result.data.jwksUri, keys: result.data.keys });
    else setKeyCheck({ status: "done", ok: false, message: result.data.message });
  }

  function toggleAdvanced(on: boolean) {
    if (on) {
      const raw = rawMatchFields(matchOf(form.getValues()));
      form.setValue("rule.subject_prefix", raw.subject_prefix);
      form.setValue("rule.audience", raw.audience);
      form.setValue("rule.claim_rows", raw.claim_rows);
      form.setValue("rule.condition", raw.condition);
    }
    form.setValue("rule.advanced", on);
    form.clearErrors();
  }

  async function create(v: ConnectFormValues) {
    const result = await connectWorkloadAction(connectInput(v, options));
    if (result.ok) {
      writeDraft(undefined);
      setDraftLoaded(false); // nothing more to keep: the page is leaving
      const created = [result.data.created.issuer && "issuer", result.data.created.serviceAccount && "service_account"].filter(Boolean).join(",");
      router.push(`/connect/done?rule=${encodeURIComponent(result.data.ruleId)}&provider=${encodeURIComponent(v.provider)}${created ? `&created=${created}` : ""}`);
      return;
    }
    const where = result.error.field ? locateField(result.error.field, v) : { step: "review" as const, field: "root.server" };
    goTo(where.step);
    const message = result.error.field ? fieldMessage(result.error.message, result.error.field) : result.error.message;
    form.setError(where.field === "review" ? "root.server" : (where.field as Path<ConnectFormValues>), { type: "server", message: sentence(message) }, { shouldFocus: true });
  }

  // A danger finding stops Create until the user confirms it, by name.
  const danger = useDangerGuard((v: ConnectFormValues) => advisor.adviceFor(draftOf(v)), create, (message) => form.setError("root.server", { type: "server", message }));
  const submit = form.handleSubmit(danger.guard, async () => {
    const invalid = await firstProblemStep("rule");
    if (invalid) {
      goTo(invalid);
      attempted.current.add(invalid);
      void form.trigger(undefined, { shouldFocus: true });
    }
  });

  const current = STEPS[indexOf(step)]!;
  const { isSubmitting } = form.formState;
  const keysFailed = keyCheck.status === "done" && !keyCheck.ok && !!keyCheck.accepted;

  return (
    <div className="space-y-5">
      {resumed && (
        <Alert title="Your unfinished answers are back">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span>They were kept in this browser tab since you last changed them.</span>
            <Button onClick={startOver}>Start over</Button>
          </div>
        </Alert>
      )}
      <nav aria-label="Steps">
        <ol className="flex flex-wrap gap-x-1 gap-y-2 text-sm">
          {STEPS.map((s, i) => {
            const isCurrent = s.id === step;
            const reachable = i <= furthest && !isCurrent;
            const done = i < indexOf(step);
            const label = (
              <>
                <span className={cn("flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold", isCurrent ? "bg-brand-600 text-white" : done ? "bg-brand-100 text-brand-700" : "bg-zinc-200 text-zinc-700")}>
                  {done ? <Icon name="check" className="size-3.5" /> : i + 1}
                </span>
                <span className={cn(isCurrent ? "font-semibold text-zinc-900" : "text-zinc-700", !isCurrent && "max-sm:sr-only")}>{s.title}</span>
                {done && <span className="sr-only"> (done)</span>}
              </>
            );
            return (
              <li key={s.id} className="flex items-center gap-1">
                {reachable ? (
                  <button type="button" onClick={() => void jump(s.id)} className="flex items-center gap-2 rounded-md px-1.5 py-1 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600">
                    {label}
                  </button>
                ) : (
                  <span aria-current={isCurrent ? "step" : undefined} className="flex items-center gap-2 px-1.5 py-1">
                    {label}
                  </span>
                )}
                {i < STEPS.length - 1 && <span aria-hidden="true" className="h-px w-3 bg-zinc-300 sm:w-6" />}
              </li>
            );
          })}
        </ol>
      </nav>

      <Card>
        <CardContent className="space-y-5 sm:p-6">
          <div>
            <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-zinc-900 focus:outline-none">
              {indexOf(step) + 1}. {current.title}
              {preset && step !== "provider" && <span className="font-normal text-zinc-600"> · {preset.label}</span>}
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600">{STEP_INTRO[step]}</p>
          </div>

          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (step === "review") void submit(e);
              else void next();
            }}
            className="space-y-6"
          >
            <FormError message={formErrorText(form.formState.errors)} />
            <DangerConfirm {...danger.dialog} verb="Create" />
            {step === "provider" && <ProviderStep form={form} onSelect={selectProvider} demoAvailable={options.demoAvailable} />}
            {step === "issuer" && preset && (
              <IssuerStep
                form={form}
                preset={preset}
                values={values}
                issuerUrl={issuerUrl}
                matches={matches}
                keyCheck={keyCheck}
                onCheckKeys={() => void checkKeys()}
                onAcceptKeyFailure={() => {
                  if (keyCheck.status === "done" && !keyCheck.ok) setKeyCheck({ ...keyCheck, accepted: true, stopped: false });
                }}
                onModeChosen={() => (issuerModeChosen.current = true)}
              />
            )}
            {step === "service_account" && <ServiceAccountStep form={form} values={values} options={options} />}
            {step === "rule" && preset && <RuleStep form={form} preset={preset} values={values} options={options} match={complete ? match : null} advice={advice} examples={subjectExamples} adviceProblem={advisor.problem} onAdvanced={toggleAdvanced} />}
            {step === "review" && preset && <ReviewStep preset={preset} values={values} options={options} issuerUrl={issuerUrl} match={match} advice={advice} onEdit={(s) => void jump(s)} />}
            {step === "review" && keysFailed && (
              <Alert tone="warning" title="The issuer's keys could not be fetched">
                You chose to go on after the key check failed: {keyCheck.status === "done" && !keyCheck.ok ? keyCheck.message : ""} Until the keys can be fetched, every exchange under this issuer is refused; the issuer&apos;s page will show the error.
              </Alert>
            )}

            <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-5">
              {step !== "provider" && (
                <Button onClick={() => goTo(STEPS[indexOf(step) - 1]!.id)} disabled={isSubmitting}>
                  Back
                </Button>
              )}
              <Button type="submit" variant="primary" disabled={isSubmitting || danger.saving}>
                {step === "review" ? (isSubmitting || danger.saving ? "Creating…" : keysFailed ? "Create anyway" : "Create") : "Continue"}
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
