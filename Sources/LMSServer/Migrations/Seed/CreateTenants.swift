/// `tenants`, exactly as the database specification defines it.
struct CreateTenants: SQLMigration {
    let name = "001_create_tenants"
    let postgresUp = [
        """
        CREATE TABLE tenants (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          name VARCHAR(255) NOT NULL,
          slug VARCHAR(100) UNIQUE NOT NULL,
          status VARCHAR(50) NOT NULL DEFAULT 'trial',
          isolation_strategy VARCHAR(20) NOT NULL DEFAULT 'SHARED',
          connection_string TEXT,
          seats_purchased INTEGER NOT NULL DEFAULT 1,
          seats_used INTEGER NOT NULL DEFAULT 0,
          subscription_status VARCHAR(50) NOT NULL DEFAULT 'trialing',
          stripe_customer_id VARCHAR(255),
          stripe_subscription_id VARCHAR(255),
          logo_url TEXT,
          domain VARCHAR(255),
          settings JSONB DEFAULT '{}',
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          deleted_at TIMESTAMPTZ
        )
        """,
        """
        CREATE INDEX idx_tenants_slug ON tenants(slug)
        """,
        """
        CREATE INDEX idx_tenants_stripe_customer ON tenants(stripe_customer_id)
        """,
    ]
    let postgresDown = ["DROP TABLE tenants"]
}
