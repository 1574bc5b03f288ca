import * as fs from 'fs';

/**
 * Who runs the server. PostgreSQL refuses to start as root ("root" execution of the
 * PostgreSQL server is not permitted), so when we are root (CI containers, this
 * workbook's machine) every server program runs as the `postgres` account, via the
 * uid/gid options of child_process.spawn (which also drops root's supplementary groups).
 */
export interface ServerUser {
  name: string;
  /** null: run as ourselves (we are not root). */
  uid: number | null;
  gid: number | null;
}

/** Reads /etc/passwd for an account's uid and gid; null when the account does not exist. */
export function lookupAccount(name: string, passwdFile = '/etc/passwd'): { uid: number; gid: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(passwdFile, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 4) {
      const uid = Number(fields[2]);
      const gid = Number(fields[3]);
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
    }
  }
  return null;
}

/** Ourselves when not root; the `postgres` account (or `accountName`) when root. */
export function serverUser(accountName = 'postgres'): ServerUser {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid !== 0) return { name: 'self', uid: null, gid: null };
  const account = lookupAccount(accountName);
  if (!account) {
    throw new Error(
      `running as root, but PostgreSQL refuses to run as root and there is no ${JSON.stringify(accountName)} account to run it as; ` +
        'install the server package (it creates the account: `apt-get install -y postgresql`) or run as an ordinary user',
    );
  }
  if (account.uid === 0) throw new Error(`the ${JSON.stringify(accountName)} account has uid 0; PostgreSQL cannot run as root`);
  return { name: accountName, uid: account.uid, gid: account.gid };
}

/** Gives a file or folder to the server account, so the server can use what we created as root. */
export function handOver(user: ServerUser, file: string): void {
  if (user.uid !== null && user.gid !== null) fs.chownSync(file, user.uid, user.gid);
}
