/// `groups`, exactly as the database specification defines it.
struct CreateGroups: SQLMigration {
    let name = "003_create_groups"
    let postgresUp = [
        """
        CREATE TABLE groups (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
          name VARCHAR(255) NOT NULL,
          description TEXT,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          deleted_at TIMESTAMPTZ
        )
        """,
        """
        CREATE INDEX idx_groups_tenant_id ON groups(tenant_id)
        """,
    ]
    let postgresDown = ["DROP TABLE groups"]
}
