/// `users`, exactly as the database specification defines it.
struct CreateUsers: SQLMigration {
    let name = "002_create_users"
    let postgresUp = [
        """
        CREATE TABLE users (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          email VARCHAR(255) UNIQUE NOT NULL,
          password_hash VARCHAR(255) NOT NULL,
          first_name VARCHAR(100) NOT NULL,
          last_name VARCHAR(100) NOT NULL,
          role VARCHAR(50) NOT NULL DEFAULT 'learner',
          status VARCHAR(50) NOT NULL DEFAULT 'pending',
          tenant_id UUID REFERENCES tenants(id) ON DELETE SET NULL,
          avatar_url TEXT,
          last_login_at TIMESTAMPTZ,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          deleted_at TIMESTAMPTZ -- Soft delete
        )
        """,
        """
        CREATE INDEX idx_users_email ON users(email)
        """,
        """
        CREATE INDEX idx_users_tenant_id ON users(tenant_id)
        """,
        """
        CREATE INDEX idx_users_status ON users(status)
        """,
    ]
    let postgresDown = ["DROP TABLE users"]
}
