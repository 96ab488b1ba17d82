import type { ButtonHTMLAttributes, Ref } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** primary: the main action of a view; danger: deletes something; secondary (default): everything else. */
  variant?: 'primary' | 'secondary' | 'danger';
  ref?: Ref<HTMLButtonElement>;
}

/** A native button with the shared look; `type` defaults to "button" so it never submits a form by accident. */
export function Button({ variant = 'secondary', type = 'button', className, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      data-variant={variant}
      className={className ? `sldc-button ${className}` : 'sldc-button'}
    />
  );
}
