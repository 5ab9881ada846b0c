/** Pool settings shared by every PostgreSQL connection the apps open. */
export function postgresConnectionOptions(url: string, applicationName: string) {
  return {
    type: 'postgres' as const,
    url,
    applicationName,
    synchronize: false,
    extra: { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 },
  };
}
