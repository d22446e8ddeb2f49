/// `user_badges`, exactly as the database specification defines it.
struct CreateUserBadges: SQLMigration {
    let name = "013_create_user_badges"
    let postgresUp = [
        """
        CREATE TABLE user_badges (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          badge_id UUID NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
          course_id UUID REFERENCES courses(id), -- Optional, if badge is course-specific
          earned_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          UNIQUE(user_id, badge_id, course_id)
        )
        """,
        """
        CREATE INDEX idx_user_badges_user_id ON user_badges(user_id)
        """,
    ]
    let postgresDown = ["DROP TABLE user_badges"]
}
