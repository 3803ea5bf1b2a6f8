"""Dashboard accounts: passwords (argon2), browser sessions, login throttling, account deletion."""
