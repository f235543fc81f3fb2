/**
 * Why `privateKeyPath` could not be read, and the fix. EACCES is the usual one in a container:
 * Docker mounts a secret root-owned 0600 (or 0444 only when asked) and the image runs as `node`
 * (uid 1000), so the fix names the uid the bot runs as. `uid` comes from the caller that read the
 * file (process.getuid), undefined where there are no uids.
 */
export function keyFileProblem(field: string, file: string, code: string | undefined, uid: number | undefined): string {
  if (code === 'EACCES') {
    const who = uid === undefined ? "the bot's user" : `uid ${uid}`;
    const owner = uid === undefined ? 'BOT_USER' : String(uid);
    return (
      `${field}: ${file} cannot be read by ${who} (EACCES) — make it readable by that user: chown ${owner} ${file} ` +
      `or chmod 0640 with a group it is in; in Docker Compose give the secret uid: "${owner}" and mode: 0400`
    );
  }
  return `${field}: cannot read ${file} (${code ?? 'error'}) — check the path and that the bot's user may read it`;
}
