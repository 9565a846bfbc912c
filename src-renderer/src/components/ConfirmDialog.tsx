import { useEffect, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  title: string;
  /** exactly what will happen, in words */
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** the confirmation cannot be given yet (e.g. an invalid input in the dialog) */
  disabled?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal that says what an action will do before it does it; Escape or Cancel backs out. */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, disabled, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h3>{title}</h3>
      <div className="confirm-text" data-testid="confirm-text">
        {children}
      </div>
      <div className="confirm-actions">
        <button type="button" onClick={onCancel} data-testid="confirm-cancel" autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'btn-danger' : 'btn-primary'}
          onClick={onConfirm}
          disabled={busy || disabled}
          data-testid="confirm-ok"
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
