/** A labelled password input (sign-in and password change). */
export function PasswordField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  minLength?: number;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type="password"
        autoComplete={props.autoComplete}
        required
        minLength={props.minLength}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
