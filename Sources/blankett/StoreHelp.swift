// The one description of a store URL that every --store option shows.
enum StoreHelp {
    static let kinds = "sqlite:PATH, outbox:DIR or postgres://USER@HOST:PORT/DB[?sslmode=disable|prefer|require] "
        + "(a PostgreSQL password comes from PGPASSWORD or a password file, PGPASSFILE or ~/.pgpass, never from the URL)"
}
