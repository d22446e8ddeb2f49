/// `user_progress`, exactly as the database specification defines it.
struct CreateUserProgress: SQLMigration {
    let name = "010_create_user_progress"
    let postgresUp = [
        """
        CREATE TABLE user_progress (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          course_id UUID NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          lesson_id UUID NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
          completed BOOLEAN NOT NULL DEFAULT false,
          progress_seconds INTEGER NOT NULL DEFAULT 0, -- For video progress
          completed_at TIMESTAMPTZ,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          UNIQUE(user_id, lesson_id)
        )
        """,
        """
        CREATE INDEX idx_user_progress_user_course ON user_progress(user_id, course_id)
        """,
    ]
    let postgresDown = ["DROP TABLE user_progress"]
}
