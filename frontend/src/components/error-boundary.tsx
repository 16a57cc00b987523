import { Component, type ErrorInfo, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { errorMessage } from "@/api/errors";
import { Page } from "./page";

interface Props {
  /** What failed, for the title ("Tasks could not be shown"). */
  screen: string;
  children: ReactNode;
}

/**
 * Catches a screen's render errors so one failing screen does not take the app down: it says what
 * failed and offers a way back, while the sidebar and the other screens keep working. The router
 * keys it by location, so moving elsewhere starts afresh; "Try again" renders the screen again.
 */
export class ErrorBoundary extends Component<Props, { error: unknown; failed: boolean }> {
  override state = { error: null as unknown, failed: false };

  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    // React reports it too; this names the screen and where in it.
    console.warn(`${this.props.screen} failed:`, error, info.componentStack);
  }

  private readonly reset = () => this.setState({ error: null, failed: false });

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Page title={`${this.props.screen} could not be shown`}>
        <div className="state state-error" role="alert" data-testid="screen-error">
          <p>{errorMessage(this.state.error)}</p>
          <div className="row-buttons">
            <button type="button" className="button" onClick={this.reset}>
              Try again
            </button>
            <Link to="/" className="button">
              Back to the dashboard
            </Link>
          </div>
        </div>
      </Page>
    );
  }
}
