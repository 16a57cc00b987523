import { useState } from "react";
import type { components } from "@/api/schema";
import { FormLevelError } from "@/components/field";
import { QueryState } from "@/components/states";
import { useMySessions, useRevokeOtherSessions, useRevokeSession } from "./api";
import { describeUserAgent } from "./user-agent";

type Session = components["schemas"]["Session"];

const when = (iso: string) => new Date(iso).toLocaleString();

/** Your sign-in sessions: see them, end one, or end all but this one. */
export function SessionsSection() {
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const [note, setNote] = useState<string | null>(null);

  const endOthers = () =>
    revokeOthers.mutate(undefined, {
      onSuccess: ({ revoked }) => setNote(revoked === 1 ? "1 other session ended." : `${revoked} other sessions ended.`),
    });

  return (
    <section className="card settings-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <QueryState query={sessions} isEmpty={(page) => page.items.length === 0} empty="No sessions.">
        {(page) => {
          // The current session first, then the most recently used.
          const items = [...page.items].sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_at.localeCompare(a.last_seen_at));
          const others = items.filter((s) => !s.current).length;
          return (
            <div className="stack">
              <ul className="settings-sessions" data-testid="sessions">
                {items.map((session) => (
                  <SessionItem
                    key={session.id}
                    session={session}
                    ending={revoke.isPending && revoke.variables === session.id}
                    onRevoke={() => revoke.mutate(session.id, { onSuccess: () => setNote("Session ended.") })}
                  />
                ))}
              </ul>
              <FormLevelError error={revoke.error ?? revokeOthers.error} shown={[]} />
              {note && (
                <p className="notice" role="status">
                  {note}
                </p>
              )}
              <div>
                <button type="button" className="button" disabled={others === 0 || revokeOthers.isPending} onClick={endOthers}>
                  End all other sessions
                </button>
              </div>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}

function SessionItem({ session, ending, onRevoke }: { session: Session; ending: boolean; onRevoke: () => void }) {
  const device = describeUserAgent(session.user_agent);
  return (
    <li className="settings-session" data-testid="session" data-current={session.current || undefined}>
      <div>
        <div className="settings-session-device" title={session.user_agent ?? undefined}>
          {device} {session.current && <span className="badge settings-current">This session</span>}
        </div>
        <small className="notice">
          Signed in {when(session.created_at)} · last active {when(session.last_seen_at)} · expires {when(session.expires_at)}
        </small>
      </div>
      {!session.current && (
        <button type="button" className="button" disabled={ending} onClick={onRevoke}>
          {/* The name starts with the visible words, so "click End session" works by voice too. */}
          End session<span className="visually-hidden"> on {device}, last active {when(session.last_seen_at)}</span>
        </button>
      )}
    </li>
  );
}
