import { useState } from 'react';

/** A token shown once, right after it was made: copy it now, it is not shown again. */
export function OneTimeToken({ token, testId }: { token: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(token).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="one-time-token" data-testid={testId}>
      <code data-testid={`${testId}-value`}>{token}</code>
      <button type="button" className="btn-small" onClick={() => void copy()} data-testid={`${testId}-copy`}>
        Copy
      </button>
      <div className="muted">
        {copied === 'yes' ? 'Copied. ' : copied === 'failed' ? 'The clipboard refused: select the token and copy it. ' : ''}
        Shown once: it is not displayed again.
      </div>
    </div>
  );
}
