/**
 * The message under a form control. The element is always present (empty when there is no
 * error) so screen readers announce a message when it appears.
 */
export function FieldError({ id, message }: { id: string; message?: string | undefined }) {
  return (
    <p id={id} aria-live="polite" className="text-sm text-red-700 empty:hidden">
      {message}
    </p>
  );
}
