export interface MigrationStatus {
  readonly executed: readonly string[];
  readonly pending: readonly string[];
}

export interface MigrateOptions {
  /**
   * Hold a PostgreSQL advisory lock while migrating (default true), so that two
   * processes or ORMs migrating one database at once take turns: the second finds the
   * work done. Embedded PGlite has one connection and one owner; it passes false.
   */
  readonly lock?: boolean;
}
