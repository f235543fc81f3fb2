/**
 * Why `privateKeyPath` could not be read, and the fix. EACCES is the usual one in a container:
 * Docker bind-mounts a key file with its host owner and mode (Compose applies a secret's uid and
 * mode only under Swarm) and the image runs as `node` (uid 1000), so the fix names the uid the bot runs as. `uid` comes from the caller that read the
 * file (process.getuid), undefined where there are no uids.
 */
export function keyFileProblem(field: string, file: string, code: string | undefined, uid: number | undefined): string {
  if (code === 'EACCES') {
    const who = uid === undefined ? "the bot's user" : `uid ${uid}`;
    const owner = uid === undefined ? 'BOT_USER' : String(uid);
    return (
      `${field}: ${file} cannot be read by ${who} (EACCES) — make it readable by that user: chown ${owner} ${file} ` +
      `or chmod 0640 with a group it is in; in Docker the mounted file itself must be (Compose ignores a file secret's uid and mode): ` +
      `install -o ${owner} -m 0400 KEY /etc/moneymind/ssh_key`
    );
  }
  return `${field}: cannot read ${file} (${code ?? 'error'}) — check the path and that the bot's user may read it`;
}
