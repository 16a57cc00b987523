/** The backup codes as a text file to keep: one code a line, with what they are for. */
export function backupCodesText(codes: readonly string[], email: string, when: Date = new Date()): string {
  return [
    `RPMA backup codes for ${email}`,
    `Created ${when.toISOString().slice(0, 10)}. Each code works once, instead of a code from your authenticator app.`,
    "",
    ...codes,
    "",
  ].join("\n");
}

/** A file name for the backup codes of `email`. */
export function backupCodesFileName(email: string): string {
  return `rpma-backup-codes-${email.replace(/[^a-z0-9._-]+/gi, "_")}.txt`;
}
