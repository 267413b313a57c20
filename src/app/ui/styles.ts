import { css } from 'lit'

/**
 * The look every element shares, built on Web Awesome's design tokens
 * (`--wa-*`, set by its theme in `theme.ts`, light or dark): text, native
 * form controls, buttons, fieldsets, hints, warnings, alerts and statuses. Elements list it first
 * in their `styles` and add only their own layout.
 */
export const baseStyles = css`
  :host {
    color: var(--wa-color-text-normal);
    font-family: var(--wa-font-family-body);
    line-height: var(--wa-line-height-normal, 1.6);
  }
  h2 { font-size: var(--wa-font-size-l); margin: 0; }
  h3 { font-size: var(--wa-font-size-m); margin: 0; }
  a { color: var(--wa-color-text-link); overflow-wrap: anywhere; }
  label { font-weight: var(--wa-font-weight-semibold, 600); }
  input[type=text], input[type=password], input[type=number], input[type=url], input:not([type]), select, textarea {
    font: inherit;
    color: inherit;
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s, 1px) solid var(--wa-color-neutral-border-loud);
    border-radius: var(--wa-border-radius-m);
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    min-height: 2.5rem;
    box-sizing: border-box;
    max-width: 100%;
  }
  input[type=file] { font: inherit; color: inherit; max-width: 100%; min-width: 0; }
  input[type=file]::file-selector-button {
    font: inherit; cursor: pointer; margin-inline-end: var(--wa-space-s);
    color: var(--wa-color-neutral-on-normal);
    background: var(--wa-color-neutral-fill-normal);
    border: var(--wa-border-width-s, 1px) solid var(--wa-color-neutral-border-normal);
    border-radius: var(--wa-border-radius-m);
    padding: var(--wa-space-2xs) var(--wa-space-s);
    min-height: 2.5rem;
  }
  button {
    font: inherit;
    font-weight: var(--wa-font-weight-action, 500);
    cursor: pointer;
    min-height: 2.5rem;
    padding: 0 var(--wa-space-m);
    border-radius: var(--wa-border-radius-m);
    color: var(--wa-color-neutral-on-normal);
    background: var(--wa-color-neutral-fill-normal);
    border: var(--wa-border-width-s, 1px) solid var(--wa-color-neutral-border-normal);
  }
  button:hover:not(:disabled) { background: var(--wa-color-neutral-fill-quiet); }
  button.primary { color: var(--wa-color-brand-on-loud); background: var(--wa-color-brand-fill-loud); border-color: var(--wa-color-brand-border-loud); }
  button.primary:hover:not(:disabled) { background: var(--wa-color-brand-fill-loud); filter: brightness(1.1); }
  button:disabled { opacity: 0.6; cursor: not-allowed; }
  :is(button, input, select, textarea, a):focus-visible { outline: var(--wa-focus-ring, 3px solid var(--wa-color-focus)); outline-offset: var(--wa-focus-ring-offset, 1px); }
  input:focus-visible, select:focus-visible { outline-offset: 0; }
  progress { width: 100%; accent-color: var(--wa-color-brand-fill-loud); }
  .hint, .meta { color: var(--wa-color-text-quiet); font-size: var(--wa-font-size-s); }
  .warn { color: var(--wa-color-warning-on-quiet); }
  section { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--wa-space-s); }
  section > p, fieldset > p { margin: 0; }
  fieldset {
    display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--wa-space-xs); margin: 0; min-width: 0;
    border: var(--wa-border-width-s, 1px) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l); padding: var(--wa-space-s) var(--wa-space-m) var(--wa-space-m);
  }
  :is(section, fieldset, form) > button { justify-self: start; }
  legend { font-weight: var(--wa-font-weight-semibold, 600); padding: 0 var(--wa-space-2xs); }
  code, output, textarea { font-family: var(--wa-font-family-code); }
  [role=alert] { color: var(--wa-color-danger-on-quiet); }
  [role=status] { color: var(--wa-color-success-on-quiet); }
`
