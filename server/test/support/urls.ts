/** The same server as `url`, but database `name`. */
export function databaseUrlFor(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A connection for CREATE/DROP DATABASE: the server's own `postgres` database. */
export function adminUrl(url: string): string {
  return databaseUrlFor(url, 'postgres');
}
