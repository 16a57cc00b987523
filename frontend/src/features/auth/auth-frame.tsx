import type { ReactNode } from "react";
import { ConnectionForm } from "@/components/connection-form";
import { isTauri } from "@/lib/tauri";

/**
 * The centred card of the sign-in screens. In the desktop app it also says where the server is,
 * so a new desk can attach to the workshop's team server before anyone signs in.
 */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <section className="auth-card" aria-labelledby="auth-title">
        <div className="brand">RPMA</div>
        <h1 id="auth-title">{title}</h1>
        {children}
        {isTauri() && (
          <details className="auth-connection">
            <summary>Server connection</summary>
            <ConnectionForm />
          </details>
        )}
      </section>
    </main>
  );
}
