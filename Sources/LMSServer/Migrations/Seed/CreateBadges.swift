/// `badges`, exactly as the database specification defines it.
struct CreateBadges: SQLMigration {
    let name = "012_create_badges"
    let postgresUp = [
        """
        CREATE TABLE badges (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          name VARCHAR(255) NOT NULL,
          description TEXT,
          image_url TEXT NOT NULL, -- Stored on Cloudflare R2
          criteria JSONB NOT NULL, -- Conditions for earning
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
    ]
    let postgresDown = ["DROP TABLE badges"]
}
