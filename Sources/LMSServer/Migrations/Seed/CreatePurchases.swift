/// `purchases`, exactly as the database specification defines it.
struct CreatePurchases: SQLMigration {
    let name = "009_create_purchases"
    let postgresUp = [
        """
        CREATE TABLE purchases (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id UUID NOT NULL REFERENCES users(id),
          course_id UUID NOT NULL REFERENCES courses(id),
          tenant_id UUID REFERENCES tenants(id), -- NULL for B2C
          amount DECIMAL(10, 2) NOT NULL,
          currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
          status VARCHAR(50) NOT NULL DEFAULT 'pending',
          stripe_payment_intent_id VARCHAR(255),
          stripe_checkout_session_id VARCHAR(255),
          purchased_at TIMESTAMPTZ,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        """
        CREATE INDEX idx_purchases_user_id ON purchases(user_id)
        """,
        """
        CREATE INDEX idx_purchases_course_id ON purchases(course_id)
        """,
        """
        CREATE INDEX idx_purchases_tenant_id ON purchases(tenant_id)
        """,
        """
        CREATE UNIQUE INDEX idx_purchases_stripe_session ON purchases(stripe_checkout_session_id)
        """,
    ]
    let postgresDown = ["DROP TABLE purchases"]
}
