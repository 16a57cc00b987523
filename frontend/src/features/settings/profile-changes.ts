// The profile form sends only what changed, so an untouched email cannot fail on its own.
import type { components } from "@/api/schema";

type User = components["schemas"]["User"];
type UserUpdate = components["schemas"]["UserUpdate"];

/** The editable profile fields, as the form holds them (phone `""` when there is none). */
export interface ProfileDraft {
  first_name: string;
  last_name: string;
  username: string;
  email: string;
  phone: string;
}

export const PROFILE_FIELDS = ["first_name", "last_name", "username", "email", "phone"] as const;

/** The form's starting values for `user`. */
export function profileDraft(user: User): ProfileDraft {
  return { first_name: user.first_name, last_name: user.last_name, username: user.username, email: user.email, phone: user.phone ?? "" };
}

/** The fields of `draft` that differ from `user` (trimmed; an emptied phone is `""`, which clears it). */
export function profileChanges(user: User, draft: ProfileDraft): UserUpdate {
  const before = profileDraft(user);
  const changes: UserUpdate = {};
  for (const field of PROFILE_FIELDS) {
    const value = draft[field].trim();
    if (value !== before[field]) changes[field] = value;
  }
  return changes;
}
