import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** What crashed, in the user's words ("The comparison"); "This panel" when not given. */
  label?: string;
  /**
   * When this changes (compared with Object.is), a crashed panel renders its children again: the
   * user changed what the panel shows, which is the way out. Controls that change it (Close
   * report, Clear, the selection) must live outside the boundary, so a crash cannot take them with it.
   */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
}

/** Error messages can quote user input (a pasted link, a file name): keep the alert readable. */
const MAX_MESSAGE_CHARS = 300;

/** Keeps one broken panel from blanking the page: shows what went wrong and a way to retry. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Panel crashed', error, info.componentStack);
  }

  override componentDidUpdate(previous: Props) {
    if (this.state.error && !Object.is(previous.resetKey, this.props.resetKey))
      this.setState({ error: null });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const message = String(error.message);
    return (
      <div role="alert" className="message error">
        <strong>{this.props.label ?? 'This panel'} hit an unexpected error:</strong>{' '}
        {message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message}
        <div>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
