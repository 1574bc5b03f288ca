/**
 * Keeping secrets out of logs and responses. The service never puts a password into a
 * message on purpose; this is the second line of defence for text we do not control
 * (a driver's error message, an exception from a library): every known secret, and the
 * password part of any URL with credentials, becomes "***".
 */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@\s]*)@/gi;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly string[]) {
    // Longest first, so a secret that contains another is replaced whole. Very short
    // "secrets" would blank out ordinary words; a password of 1-2 characters is not one.
    this.secrets = [...new Set(secrets.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text.replace(URL_CREDENTIALS, '$1:***@');
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  /** True when the text contains no known secret (for assertions and self-checks). */
  isClean(text: string): boolean {
    return this.secrets.every((secret) => !text.includes(secret));
  }
}
