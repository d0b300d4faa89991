import { type ChangeEvent, useRef, useState } from 'react';
import type { FieldErrors } from './validation.ts';

/**
 * Just enough form state for small forms: values, per-field errors shown after a submit
 * attempt (and cleared as the field is edited), and focus on the first invalid field.
 */
export function useFormFields<F extends string>(initial: Record<F, string>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const refs = useRef<Partial<Record<F, HTMLInputElement | null>>>({});

  const field = (name: F) => ({
    name,
    value: values[name],
    error: errors[name],
    ref: (element: HTMLInputElement | null) => {
      refs.current[name] = element;
    },
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const { value } = event.currentTarget;
      setValues((current) => ({ ...current, [name]: value }));
      setErrors((current) => (current[name] ? { ...current, [name]: undefined } : current));
    },
  });

  /** Shows the errors; returns true when there are none. */
  const check = (found: FieldErrors<F>): boolean => {
    setErrors(found);
    const first = (Object.keys(initial) as F[]).find((name) => found[name]);
    if (first === undefined) return true;
    refs.current[first]?.focus();
    return false;
  };

  const reset = () => {
    setValues(initial);
    setErrors({});
  };

  return { values, field, check, reset };
}
