/** One area from the tree the user sees, as an indented choice list (receivers' and users' forms). */
import { useMemo } from 'preact/hooks';
import { areaOptions, indentedName } from '../lib/receiver-areas.js';
import { useSession } from '../session.js';

interface Props {
  readonly label: string;
  readonly value: string;
  readonly onChange: (areaId: string) => void;
  /** The empty choice's text ("choose an area", "whole network"); its value is ''. */
  readonly emptyLabel: string;
  /** Whether the empty choice may be submitted (an admin without an area). */
  readonly required?: boolean;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly testId?: string;
  readonly disabled?: boolean;
}

export function AreaSelect({ label, value, onChange, emptyLabel, required = false, error, hint, testId, disabled = false }: Props) {
  const { areas } = useSession();
  const options = useMemo(() => areaOptions(areas), [areas]);
  return (
    <label>
      {label}
      <select
        value={value}
        required={required}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {indentedName(option)}
          </option>
        ))}
      </select>
      {hint && <span class="muted small field-hint">{hint}</span>}
      {error && <span class="field-error">{error}</span>}
    </label>
  );
}
