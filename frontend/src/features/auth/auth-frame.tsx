import type { ReactNode } from "react";

/** The centred card of the sign-in screens. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <section className="auth-card" aria-labelledby="auth-title">
        <div className="brand">RPMA</div>
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
