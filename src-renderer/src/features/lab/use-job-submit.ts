import { useState } from 'react';
import type { StartOutcome } from '../../stores/lab.store';
import { formFields } from './lab-runs';

/**
 * The state a lab form keeps around starting a job: each field's error, the form's one-line error and whether the
 * start is on its way. `start` shows the fields the form found wrong (and starts nothing when there are any), or
 * the server's refusal named per field, or hands the new job to `onStarted`.
 */
export function useJobSubmit(onStarted: (jobId: number) => void) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async (found: Record<string, string>, send: (() => Promise<StartOutcome>) | null) => {
    setErrors(found);
    if (!send || Object.keys(found).length) return setFormError('Fix the highlighted fields; nothing was started.');
    setBusy(true);
    const outcome = await send();
    setBusy(false);
    if (!outcome.ok) {
      setErrors(formFields(outcome.fields));
      return setFormError(`Not started: ${outcome.message}`);
    }
    setFormError(null);
    onStarted(outcome.job.id);
  };

  return { errors, formError, busy, start };
}
